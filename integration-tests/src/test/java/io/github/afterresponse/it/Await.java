package io.github.afterresponse.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Bounded waits on latches that fail the test, instead of hanging it, when nothing happens. */
final class Await {

    private Await() {}

    static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertThat(latch.await(10, TimeUnit.SECONDS)).as("waited 10 s for: " + what).isTrue();
    }

    /** For latches released by the test itself: long enough never to fire in a passing run. */
    static void hold(CountDownLatch latch) throws InterruptedException {
        if (!latch.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test never released this latch");
        }
    }
}
