package io.github.afterresponse.it;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.Completion;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A task that signals it started, then holds its thread until the test releases it, and a callback
 * that keeps the completion: the test decides when the background work ends.
 */
final class HeldTask {

    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch done = new CountDownLatch(1);
    final AtomicReference<Completion> completion = new AtomicReference<>();
    private final CountDownLatch before;

    /** A task that waits for nothing before it starts. */
    HeldTask() {
        this(new CountDownLatch(0));
    }

    /** A task that waits for {@code before} (bounded) before it counts as started. */
    HeldTask(CountDownLatch before) {
        this.before = before;
    }

    /** Registers the task and the callback on the request's exchange. */
    void registerOn(AfterResponse exchange) {
        exchange.then(task -> {
                    Await.await(before, "what the task waits for");
                    started.countDown();
                    Await.hold(release);
                })
                .onComplete(c -> {
                    completion.set(c);
                    done.countDown();
                });
    }

    boolean isRunning() {
        return started.getCount() == 0 && done.getCount() == 1;
    }
}
