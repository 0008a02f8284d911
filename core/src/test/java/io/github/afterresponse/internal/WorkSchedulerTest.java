package io.github.afterresponse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.Completion;
import io.github.afterresponse.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's bookkeeping without a container: admission counts unfinished exchanges up to
 * {@code maxRunning + queueCapacity} and refuses beyond; a release frees a place; waiting jobs
 * start first-in first-out as slots free; closing refuses new requests and ends the queued jobs
 * {@code SHUT_DOWN} without running them. A recording executor stands in for the threads.
 */
class WorkSchedulerTest {

    /** Records the jobs it is asked to start; the test runs them when it chooses. */
    private static final class RecordingExecutor implements WorkExecutor {
        final List<BackgroundJob> started = new CopyOnWriteArrayList<>();

        @Override
        public boolean needsAsync() {
            return false;
        }

        @Override
        public boolean handsOverThread() {
            return false;
        }

        @Override
        public void start(BackgroundJob job, WorkScheduler scheduler) {
            started.add(job);
        }

        @Override
        public void shutdown() {
        }

        @Override
        public String describe() {
            return "a recording executor";
        }
    }

    private final RecordingExecutor executor = new RecordingExecutor();
    private final List<Completion> completions = new CopyOnWriteArrayList<>();
    private WorkScheduler scheduler;

    private WorkScheduler scheduler(int maxRunning, int queueCapacity) {
        scheduler = new WorkScheduler(maxRunning, queueCapacity, executor, new TimeLimits("test"));
        return scheduler;
    }

    @AfterEach
    void stopTimer() {
        if (scheduler != null) {
            scheduler.timeLimits().shutdown();
        }
    }

    /** A job of an exchange whose response has been sent, with no tasks of its own. */
    private BackgroundJob job(String id) {
        Exchange exchange = new Exchange(id, Clock.systemUTC(), completions::add);
        exchange.enterForeground();
        exchange.responded(null);
        return new BackgroundJob(exchange, List.of(), null, null, StandardCharsets.UTF_8, scheduler, null);
    }

    /** Runs a started job on this thread, as the executor's thread would. */
    private void run(BackgroundJob job) {
        assertThat(job.claim()).isTrue();
        scheduler.runClaimed(job);
    }

    @Test
    void admitsUpToMaxRunningPlusQueueCapacity() {
        WorkScheduler scheduler = scheduler(2, 3);
        for (int i = 0; i < 5; i++) {
            assertThat(scheduler.admit()).as("admission %d", i + 1).isTrue();
        }
        assertThat(scheduler.admit()).as("the sixth").isFalse();
        assertThat(scheduler.admit()).as("still full").isFalse();

        scheduler.release();

        assertThat(scheduler.admit()).as("the place a release freed").isTrue();
        assertThat(scheduler.admit()).isFalse();
    }

    @Test
    void withoutAQueueAdmitsOnlyMaxRunning() {
        WorkScheduler scheduler = scheduler(1, 0);
        assertThat(scheduler.admit()).isTrue();
        assertThat(scheduler.admit()).isFalse();
    }

    @Test
    void startsWaitingJobsInArrivalOrderAsSlotsFree() {
        WorkScheduler scheduler = scheduler(1, 2);
        BackgroundJob first = job("t-1");
        BackgroundJob second = job("t-2");
        BackgroundJob third = job("t-3");
        scheduler.submit(first);
        scheduler.submit(second);
        scheduler.submit(third);
        assertThat(executor.started).containsExactly(first);
        assertThat(scheduler.running()).isEqualTo(1);
        assertThat(scheduler.queued()).isEqualTo(2);
        assertThat(scheduler.jobs().queued()).contains(second);
        assertThat(scheduler.jobs().all()).containsExactly(first, second, third);

        run(first);

        assertThat(executor.started).containsExactly(first, second);
        assertThat(scheduler.queued()).isEqualTo(1);
        run(second);
        run(third);
        assertThat(executor.started).containsExactly(first, second, third);
        assertThat(scheduler.running()).isZero();
        assertThat(scheduler.queued()).isZero();
        assertThat(completions).extracting(Completion::taskId).containsExactly("t-1", "t-2", "t-3");
        assertThat(completions).extracting(Completion::outcome).containsOnly(Outcome.COMPLETED);
    }

    @Test
    void closingRefusesNewRequestsAndEndsQueuedJobsWithoutRunningThem() throws Exception {
        WorkScheduler scheduler = scheduler(1, 1);
        assertThat(scheduler.admit()).isTrue();
        BackgroundJob running = job("t-1");
        BackgroundJob waiting = job("t-2");
        scheduler.submit(running);
        scheduler.submit(waiting);
        CountDownLatch queuedEnded = new CountDownLatch(1);
        waiting.exchange().onComplete(c -> queuedEnded.countDown());

        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> scheduler.shutdown(Duration.ofSeconds(10)));

        assertThat(queuedEnded.await(10, TimeUnit.SECONDS)).as("the queued job ended").isTrue();
        assertThat(scheduler.isClosing()).isTrue();
        assertThat(scheduler.admit()).as("admission while closing").isFalse();
        assertThat(shutdown).as("shutdown waits for the running job").isNotDone();

        run(running); // ends within the grace

        shutdown.get(10, TimeUnit.SECONDS);
        assertThat(executor.started).containsExactly(running);
        assertThat(completions).extracting(c -> c.taskId() + " " + c.outcome())
                .containsExactlyInAnyOrder("t-2 SHUT_DOWN", "t-1 COMPLETED");

        BackgroundJob late = job("t-3");
        scheduler.submit(late);
        assertThat(executor.started).as("nothing starts once closed").containsExactly(running);
        assertThat(completions).last().satisfies(c -> {
            assertThat(c.taskId()).isEqualTo("t-3");
            assertThat(c.outcome()).isEqualTo(Outcome.SHUT_DOWN);
        });
    }
}
