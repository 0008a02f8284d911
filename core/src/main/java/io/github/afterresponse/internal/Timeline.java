package io.github.afterresponse.internal;

import java.time.Clock;
import java.time.Instant;

/**
 * The instants of one exchange: the wall clock read once, when the exchange is accepted, and
 * monotonic time after that, so accepted, responded and finished stay in order even when the wall
 * clock steps back (an NTP correction) in between.
 */
final class Timeline {

    private final Instant start;
    private final long startNanos;

    Timeline(Clock clock) {
        this.start = clock.instant();
        this.startNanos = System.nanoTime();
    }

    Instant start() {
        return start;
    }

    Instant now() {
        return start.plusNanos(Math.max(0, System.nanoTime() - startNanos));
    }
}
