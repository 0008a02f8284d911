package io.github.afterresponse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AbortPolicy;
import io.github.afterresponse.ConnectionStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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
        exchange.stop().worker().attach();
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
            assertThat(exchange.stop().isStopRequested()).isTrue();
        } finally {
            exchange.stop().worker().detach();
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
        later.stop().worker().attach();
        try {
            limits.start(later);
            new CountDownLatch(1).await(10, TimeUnit.SECONDS);
        } catch (InterruptedException expected) {
            // the later limit ran out
        } finally {
            later.stop().worker().detach();
        }
        assertThat(later.status()).isEqualTo(ConnectionStatus.TIMEOUT);
        assertThat(ended.status()).isEqualTo(ConnectionStatus.NORMAL);
        assertThat(ended.stop().isStopRequested()).isFalse();
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

    /**
     * A timer whose expiries run when the test says so: {@code cancel(false)} on a scheduled
     * expiry is recorded but cannot stop one that has started, exactly as on a real timer thread
     * that is already waiting for the limit's lock.
     */
    private static final class ManualTimer extends java.util.concurrent.ScheduledThreadPoolExecutor {
        final List<Runnable> scheduled = new java.util.concurrent.CopyOnWriteArrayList<>();

        ManualTimer() {
            super(1);
        }

        @Override
        public java.util.concurrent.ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            scheduled.add(command);
            return super.schedule(() -> { }, 1, TimeUnit.DAYS); // a future to cancel; the command is the test's
        }
    }

    @Test
    void aLimitSetAgainWinsOverAnExpiryAlreadyUnderWay() {
        ManualTimer timer = new ManualTimer();
        TimeLimits manual = new TimeLimits(timer);
        try {
            Exchange exchange = exchange(Duration.ofMillis(1));
            TimeLimits.Limit limit = manual.start(exchange);
            assertThat(timer.scheduled).hasSize(1);
            Runnable expiryUnderWay = timer.scheduled.get(0);

            limit.set(Duration.ofHours(1)); // the task restarts its limit at the deadline

            expiryUnderWay.run(); // the timer thread had already taken the old expiry
            assertThat(exchange.status()).isEqualTo(ConnectionStatus.NORMAL);
            assertThat(exchange.stop().isStopRequested()).isFalse();
            assertThat(limit.deadline()).isAfter(exchange.now().plus(Duration.ofMinutes(59)));

            timer.scheduled.get(1).run(); // the restarted limit, when it runs out, still counts
            assertThat(exchange.status()).isEqualTo(ConnectionStatus.TIMEOUT);
        } finally {
            manual.shutdown();
        }
    }
}
