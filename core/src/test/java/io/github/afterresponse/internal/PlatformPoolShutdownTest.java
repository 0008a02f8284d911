package io.github.afterresponse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * With threads below max-running (platform executor), an exchange that waits for one of the
 * pool's threads waits in the scheduler's queue, not the pool's: a shutdown ends it at once, as any
 * queued exchange, and does not start its tasks during the grace.
 */
class PlatformPoolShutdownTest {

    @Test
    void workWaitingForAPoolThreadDoesNotStartDuringShutdown() throws Exception {
        WorkExecutor executor = PoolExecutor.platform("pool", 1);
        WorkScheduler scheduler = new WorkScheduler(2, 0, executor, new TimeLimits("pool"));
        try {
            CountDownLatch firstRuns = new CountDownLatch(1);
            CountDownLatch letFirstEnd = new CountDownLatch(1);
            AtomicBoolean secondRan = new AtomicBoolean();
            ExchangeTestSupport.submitOne(scheduler, () -> {
                firstRuns.countDown();
                letFirstEnd.await();
            });
            assertThat(firstRuns.await(5, TimeUnit.SECONDS)).isTrue();
            ExchangeTestSupport.submitOne(scheduler, () -> secondRan.set(true)); // waits for the one thread

            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> scheduler.shutdown(Duration.ofSeconds(10)));
            while (!scheduler.isClosing()) {
                Thread.onSpinWait();
            }
            letFirstEnd.countDown(); // the running work ends well within the grace
            shutdown.get(20, TimeUnit.SECONDS);
            assertThat(secondRan).as("work that had not begun when the filter stopped began anyway").isFalse();
        } finally {
            scheduler.timeLimits().shutdown();
            executor.shutdown();
        }
    }
}
