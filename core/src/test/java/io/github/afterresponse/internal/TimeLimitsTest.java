package io.github.afterresponse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AbortPolicy;
import io.github.afterresponse.ConnectionStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The time limit interrupts the attached worker once, and never after the work ended. */
class TimeLimitsTest {

    private final TimeLimits limits = new TimeLimits("test");

    @AfterEach
    void stop() {
        limits.shutdown();
    }

    private static Exchange exchange(Duration limit) {
        return new Exchange("l-1", Clock.systemUTC(), c -> { }, AbortPolicy.CANCEL, limit);
    }

    @Test
    void expiryMarksTimeoutAndInterruptsTheWorker() throws InterruptedException {
        Exchange exchange = exchange(Duration.ofMillis(50));
        exchange.worker().attach();
        try {
            TimeLimits.Limit limit = limits.start(exchange);
            assertThat(limit.deadline()).isNotNull();
            boolean interrupted = false;
            try {
                new CountDownLatch(1).await(10, TimeUnit.SECONDS); // never counted down: only the interrupt ends it
            } catch (InterruptedException e) {
                interrupted = true;
            }
            assertThat(interrupted).isTrue();
            assertThat(exchange.status()).isEqualTo(ConnectionStatus.TIMEOUT);
            assertThat(exchange.isStopRequested()).isTrue();
        } finally {
            exchange.worker().detach();
        }
    }

    @Test
    void zeroMeansNoLimit() {
        TimeLimits.Limit limit = limits.start(exchange(Duration.ZERO));
        assertThat(limit.deadline()).isNull();
    }

    @Test
    void endedWorkCanNoLongerTimeOut() throws InterruptedException {
        Exchange ended = exchange(Duration.ofMillis(50));
        limits.start(ended).end();
        // A later limit on the same single timer thread: once it has fired, the first one's time
        // has long passed, had it still been armed.
        Exchange later = exchange(Duration.ofMillis(150));
        later.worker().attach();
        try {
            limits.start(later);
            new CountDownLatch(1).await(10, TimeUnit.SECONDS);
        } catch (InterruptedException expected) {
            // the later limit ran out
        } finally {
            later.worker().detach();
        }
        assertThat(later.status()).isEqualTo(ConnectionStatus.TIMEOUT);
        assertThat(ended.status()).isEqualTo(ConnectionStatus.NORMAL);
        assertThat(ended.isStopRequested()).isFalse();
    }

    @Test
    void settingItAgainCountsFromNowAndZeroRemovesIt() {
        Exchange exchange = exchange(Duration.ofMillis(100));
        TimeLimits.Limit limit = limits.start(exchange);
        limit.set(Duration.ofHours(1));
        assertThat(limit.deadline()).isAfter(exchange.now().plus(Duration.ofMinutes(59)));
        limit.set(Duration.ZERO);
        assertThat(limit.deadline()).isNull();
    }

    @Test
    void noInterruptReachesTheThreadAfterItDetached() {
        WorkerThread worker = new WorkerThread();
        worker.attach();
        worker.detach();
        worker.interrupt();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
}
