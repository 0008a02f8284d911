package io.github.afterresponse.internal;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids of exchanges: a random tag per filter instance, so ids from two filters or two deployments
 * differ, and a sequence number: {@code k3f9-17}.
 */
final class ExchangeIds {

    private final String tag = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36, 36 * 36 * 36 * 36), 36);
    private final AtomicLong sequence = new AtomicLong();

    String next() {
        return tag + "-" + sequence.incrementAndGet();
    }
}
