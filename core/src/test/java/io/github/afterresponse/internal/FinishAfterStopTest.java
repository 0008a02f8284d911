package io.github.afterresponse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AbortPolicy;
import io.github.afterresponse.Completion;
import io.github.afterresponse.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * finish()'s lent jobs ({@link WorkScheduler#lend}, {@link BackgroundJob#beginHere},
 * {@link BackgroundJob#endHere}) against what {@code runHere} was fixed to do during a shutdown
 * ({@code BackgroundWorkEdgeCasesTest.runHereAfterShutdownDoesNotRunTheTasks}).
 */
class FinishAfterStopTest {

    private final List<Completion> completions = new CopyOnWriteArrayList<>();
    private final AtomicInteger ran = new AtomicInteger();
    private WorkScheduler scheduler;

    @AfterEach
    void stopTimer() {
        if (scheduler != null) {
            scheduler.timeLimits().shutdown();
        }
        Thread.interrupted(); // this test thread plays the request thread
    }

    private Exchange exchange(Duration limit) {
        Exchange exchange = new Exchange("f-1", Clock.systemUTC(), completions::add, AbortPolicy.CANCEL, limit);
        exchange.enterForeground();
        return exchange;
    }

    /** The filter stopped as ExchangeHandler.stop does: scheduler first, then its timer. */
    private void stopTheFilter() {
        scheduler.shutdown(Duration.ZERO); // nothing running: destroy() returns at once
        scheduler.timeLimits().shutdown();
    }

    /**
     * A request admitted before destroy() calls finish() after it: its rest runs on, but the
     * timer is gone, so the time limit the Javadoc promises never interrupts it, and no shutdown
     * is left to either: unsupervised work in a stopped application.
     */
    @Test
    void theRestOfAServletThatFinishesAfterTheFilterStoppedIsStillBoundedByItsTimeLimit() throws Exception {
        scheduler = new WorkScheduler(1, 1, new ContainerExecutor(), new TimeLimits("test"));
        Exchange exchange = exchange(Duration.ofMillis(50));
        stopTheFilter();
        BackgroundJob job = new BackgroundJob(exchange, exchange.responded(null), null, null,
                StandardCharsets.UTF_8, scheduler);

        scheduler.lend(job);
        TimeLimits.Limit limit = job.beginHere();
        boolean interrupted;
        try {
            new CountDownLatch(1).await(2, TimeUnit.SECONDS); // the rest of the servlet: 2 s of work
            interrupted = false;
        } catch (InterruptedException e) {
            interrupted = true;
        }
        job.endHere(limit, null);
        scheduler.giveBack(job);

        assertThat(interrupted).as("the rest interrupted by its 50 ms limit (or by the stopped filter)").isTrue();
    }

    /** The tasks registered before finish() then run after destroy(), where runHere ends them SHUT_DOWN. */
    @Test
    void tasksRegisteredBeforeFinishDoNotRunAfterTheFilterStopped() {
        scheduler = new WorkScheduler(1, 1, new ContainerExecutor(), new TimeLimits("test"));
        Exchange exchange = exchange(Duration.ZERO);
        exchange.then(task -> ran.incrementAndGet());
        stopTheFilter();
        BackgroundJob job = new BackgroundJob(exchange, exchange.responded(null), null, null,
                StandardCharsets.UTF_8, scheduler);

        scheduler.lend(job);
        TimeLimits.Limit limit = job.beginHere();
        job.endHere(limit, null);
        scheduler.giveBack(job);

        assertThat(ran).as("tasks run after shutdown").hasValue(0);
        assertThat(completions).singleElement().extracting(Completion::outcome).isEqualTo(Outcome.SHUT_DOWN);
    }
}
