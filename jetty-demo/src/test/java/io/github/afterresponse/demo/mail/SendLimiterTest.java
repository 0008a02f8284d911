package io.github.afterresponse.demo.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The limiter's guarantees are lower bounds on time: the n-th message cannot go before n
 * intervals, or before the window has moved on, after the first call began. Those are checked
 * exactly; upper bounds only loosely, as a busy machine may always be slower.
 */
class SendLimiterTest {

    private static final Duration NEVER = Duration.ofHours(1);

    @Test
    void withoutLimitEveryCallGoesAtOnce() throws InterruptedException {
        SendLimiter limiter = new SendLimiter(0, 0, Duration.ZERO);
        long start = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            assertThat(limiter.acquire(() -> false)).isTrue();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(limiter.windowFullFor()).isEmpty();
    }

    @Test
    void rateSpacesTheMessages() throws InterruptedException {
        SendLimiter limiter = new SendLimiter(100, 0, Duration.ZERO);
        long start = System.nanoTime();
        for (int i = 0; i < 51; i++) {
            assertThat(limiter.acquire(() -> false)).isTrue();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).as("51 messages at 100/s: 50 intervals of 10 ms").isGreaterThanOrEqualTo(Duration.ofMillis(500))
                .isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void rateIsSharedByEveryThread() throws Exception {
        SendLimiter limiter = new SendLimiter(200, 0, Duration.ZERO);
        CyclicBarrier start = new CyclicBarrier(4);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(threads.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    long began = System.nanoTime();
                    for (int i = 0; i < 25; i++) {
                        limiter.acquire(() -> false);
                    }
                    return began;
                }));
            }
            long firstBegan = Long.MAX_VALUE;
            for (Future<Long> thread : done) {
                firstBegan = Math.min(firstBegan, thread.get(30, TimeUnit.SECONDS));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - firstBegan))
                    .as("100 messages at 200/s over 4 threads: 99 intervals of 5 ms").isGreaterThanOrEqualTo(Duration.ofMillis(495));
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void windowLetsTheCapGoAtOnceThenWaitsForItToSlide() throws InterruptedException {
        Duration window = Duration.ofMillis(300);
        SendLimiter limiter = new SendLimiter(0, 5, window);
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.acquire(() -> false)).isTrue();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the first five").isLessThan(window);
        assertThat(limiter.windowFullFor()).hasValueSatisfying(left -> assertThat(left).isPositive().isLessThanOrEqualTo(window));

        assertThat(limiter.acquire(() -> false)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the sixth").isGreaterThanOrEqualTo(window);
        for (int i = 0; i < 5; i++) {
            limiter.acquire(() -> false);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the eleventh").isGreaterThanOrEqualTo(window.multipliedBy(2));
    }

    @Test
    void windowAndRateTogether() throws InterruptedException {
        SendLimiter limiter = new SendLimiter(50, 3, Duration.ofMillis(400));
        long start = System.nanoTime();
        for (int i = 0; i < 4; i++) {
            limiter.acquire(() -> false);
        }
        // The rate spaces the first three by 20 ms; the fourth waits for the first to leave the window.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void stopIsAskedWhileWaitingAndEndsTheWait() throws InterruptedException {
        SendLimiter limiter = new SendLimiter(0, 1, NEVER);
        assertThat(limiter.acquire(() -> false)).isTrue();
        // The window is full for an hour: the limiter asks whether to stop at least every 100 ms.
        AtomicInteger asked = new AtomicInteger();
        long start = System.nanoTime();
        assertThat(limiter.acquire(() -> asked.incrementAndGet() >= 3)).isFalse();
        assertThat(asked).hasValue(3);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(limiter.acquire(() -> true)).as("a stop asked for at once").isFalse();
    }

    @Test
    void stopIsNotAskedWhenItsTurnHasCome() throws InterruptedException {
        SendLimiter limiter = new SendLimiter(0, 0, Duration.ZERO);
        assertThat(limiter.acquire(() -> true)).isTrue();
    }

    @Test
    void interruptEndsTheWait() {
        SendLimiter limiter = new SendLimiter(0, 1, NEVER);
        assertThat(limiter.windowFullFor()).isEmpty();
        try {
            assertThat(limiter.acquire(() -> false)).isTrue();
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> limiter.acquire(() -> false)).isInstanceOf(InterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is consumed by the exception").isFalse();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            Thread.interrupted();
        }
    }
}
