package io.github.afterresponse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.Completion;
import io.github.afterresponse.Outcome;
import jakarta.servlet.AsyncContext;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's bookkeeping without a container: admission counts unfinished exchanges up to
 * {@code maxRunning + queueCapacity} and refuses beyond; a release frees a place; waiting jobs
 * start first-in first-out as slots free; closing refuses new requests and ends the queued jobs
 * {@code SHUT_DOWN} without running them. A recording executor stands in for the threads.
 */
class WorkSchedulerTest {

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
        return new BackgroundJob(exchange, List.of(), null, null, StandardCharsets.UTF_8, scheduler);
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
        assertThat(scheduler.jobs(10).running()).containsExactly(first);
        assertThat(scheduler.jobs(10).queued()).containsExactly(second, third);
        assertThat(scheduler.jobs(1).queued()).as("bounded by the maximum asked for").containsExactly(second);

        run(first);

        assertThat(executor.started).containsExactly(first, second);
        assertThat(scheduler.queued()).isEqualTo(1);
        run(second);
        run(third);
        assertThat(executor.started).containsExactly(first, second, third);
        assertThat(scheduler.running()).isZero();
        assertThat(scheduler.queued()).isZero();
        assertThat(completions).extracting(Completion::exchangeId).containsExactly("t-1", "t-2", "t-3");
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
        assertThat(completions).extracting(c -> c.exchangeId() + " " + c.outcome())
                .containsExactlyInAnyOrder("t-2 SHUT_DOWN", "t-1 COMPLETED");

        BackgroundJob late = job("t-3");
        scheduler.submit(late);
        assertThat(executor.started).as("nothing starts once closed").containsExactly(running);
        assertThat(completions).last().satisfies(c -> {
            assertThat(c.exchangeId()).isEqualTo("t-3");
            assertThat(c.outcome()).isEqualTo(Outcome.SHUT_DOWN);
        });
    }

    /**
     * An executor that refuses every job after the first: each refused job runs on the thread that
     * was handing it on, which must go through the queue one job after another, not one call
     * deeper per job (on a 512 KiB stack a few thousand nested jobs overflow it), and the refusal
     * is logged once, not once per job.
     */
    @Test
    void jobsAnExecutorRefusesRunInALoopAndTheRefusalIsLoggedOnce() throws Exception {
        int queued = 3000;
        CountDownLatch firstMayEnd = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger offered = new java.util.concurrent.atomic.AtomicInteger();
        List<Throwable> threadFailures = new CopyOnWriteArrayList<>();
        java.util.concurrent.Executor refusingAfterTheFirst = work -> {
            if (offered.getAndIncrement() > 0) {
                throw new java.util.concurrent.RejectedExecutionException("full");
            }
            Thread thread = new Thread(null, work, "small-stack", 512 * 1024);
            thread.setUncaughtExceptionHandler((t, e) -> threadFailures.add(e));
            thread.start();
        };
        scheduler = new WorkScheduler(1, queued, PoolExecutor.given(refusingAfterTheFirst, "a refusing executor"),
                new TimeLimits("test"));
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("io.github.afterresponse");
        List<java.util.logging.LogRecord> warnings = new CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            Exchange held = new Exchange("t-0", Clock.systemUTC(), completions::add);
            held.enterForeground();
            held.responded(null);
            scheduler.submit(new BackgroundJob(held, List.of(task -> firstMayEnd.await(10, TimeUnit.SECONDS)), null,
                    null, StandardCharsets.UTF_8, scheduler));
            for (int i = 1; i <= queued; i++) {
                scheduler.submit(job("t-" + i));
            }
            assertThat(scheduler.queued()).isEqualTo(queued);

            firstMayEnd.countDown();

            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> completions.size() == queued + 1 || !threadFailures.isEmpty());
            assertThat(threadFailures).as("what the handing-on thread died of").isEmpty();
            assertThat(completions).extracting(Completion::outcome).containsOnly(Outcome.COMPLETED);
            assertThat(scheduler.running()).isZero();
            assertThat(scheduler.queued()).isZero();
            assertThat(warnings).as("warnings about the refusals").hasSize(1);
        } finally {
            logger.removeHandler(handler);
        }
    }

    /**
     * Someone else interrupts a pool thread while a task runs (the application cancelling it, or a
     * container stopping its pool). The toolkit's own last steps and the callbacks run without that
     * interrupt, the queued job of another client still runs (nothing is ended on a guess), and the
     * thread gets its interrupt back when it returns to its pool.
     */
    @Test
    void anInterruptFromSomeoneElseIsHeldBackThenGivenBackToThePool() {
        RecordingExecutor pool = new RecordingExecutor(true);
        scheduler = new WorkScheduler(1, 1, pool, new TimeLimits("test"));
        List<Boolean> interruptedInCallback = new CopyOnWriteArrayList<>();
        Exchange cancelled = new Exchange("t-1", Clock.systemUTC(), completions::add);
        cancelled.enterForeground();
        cancelled.then(task -> Thread.currentThread().interrupt()) // restores the flag, as the idiom goes
                .onComplete(c -> interruptedInCallback.add(Thread.currentThread().isInterrupted()));
        BackgroundJob first = new BackgroundJob(cancelled, cancelled.responded(null), null, null,
                StandardCharsets.UTF_8, scheduler);
        BackgroundJob waiting = job("t-2"); // its response was sent whole: no other container thread for it
        scheduler.submit(first);
        scheduler.submit(waiting);
        try {
            run(first);
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt given back").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(interruptedInCallback).containsExactly(false);
        assertThat(completions).extracting(c -> c.exchangeId() + " " + c.outcome())
                .containsExactly("t-1 COMPLETED", "t-2 COMPLETED");
        assertThat(pool.started).containsExactly(first);
    }

    /**
     * A queued job that can have another of the container's threads (a streamed response keeps its
     * AsyncContext open) gets one.
     */
    @Test
    void anInterruptedThreadHandsAJobThatCanHaveAnotherThreadOn() {
        RecordingExecutor pool = new RecordingExecutor(true);
        scheduler = new WorkScheduler(1, 1, pool, new TimeLimits("test"));
        Exchange cancelled = new Exchange("t-1", Clock.systemUTC(), completions::add);
        cancelled.enterForeground();
        cancelled.then(task -> Thread.currentThread().interrupt());
        BackgroundJob first = new BackgroundJob(cancelled, cancelled.responded(null), null, null,
                StandardCharsets.UTF_8, scheduler);
        Exchange streamed = new Exchange("t-2", Clock.systemUTC(), completions::add);
        streamed.enterForeground();
        streamed.enterStreaming(); // stream(): the response stays open, and so does its AsyncContext
        BackgroundJob waiting = new BackgroundJob(streamed, streamed.servletReturnedStreaming(null),
                async(), new ClientChannel(new RecordingResponse(), streamed.stop()),
                StandardCharsets.UTF_8, scheduler);
        scheduler.submit(first);
        scheduler.submit(waiting);
        try {
            run(first);
        } finally {
            Thread.interrupted();
        }
        assertThat(pool.started).as("asked for a thread of its own").containsExactly(first, waiting);
        assertThat(completions).extracting(Completion::exchangeId).containsExactly("t-1");
    }

    /** An AsyncContext whose start runs the work on a fresh thread, as a container's pool would. */
    private static AsyncContext async() {
        return (AsyncContext) Proxy.newProxyInstance(WorkSchedulerTest.class.getClassLoader(),
                new Class<?>[] {AsyncContext.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "start" -> {
                            new Thread((Runnable) args[0], "container-pool-thread").start();
                            return null;
                        }
                        case "complete", "addListener", "setTimeout" -> {
                            return null;
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(proxy);
                        }
                        case "equals" -> {
                            return proxy == args[0];
                        }
                        case "toString" -> {
                            return "fake AsyncContext";
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    /**
     * The application cancels a running task from outside with Thread.interrupt (the task follows
     * the restore-the-flag idiom), on the container executor. Nothing is shutting down: the
     * exchange waiting for that slot still runs, although it can have no other container thread
     * (its AsyncContext was completed when it was queued).
     */
    @Test
    void aTaskTheApplicationInterruptedDoesNotCostTheNextExchangeItsWork() throws Exception {
        scheduler = new WorkScheduler(1, 1, new ContainerExecutor(), new TimeLimits("test"));
        CountDownLatch firstRunning = new CountDownLatch(1);
        AtomicReference<Thread> worker = new AtomicReference<>();
        Exchange first = new Exchange("r-1", Clock.systemUTC(), completions::add);
        first.enterForeground();
        first.then(task -> {
            worker.set(Thread.currentThread());
            firstRunning.countDown();
            try {
                new CountDownLatch(1).await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the idiom: keep the interrupt for the caller
            }
        });
        BackgroundJob firstJob = new BackgroundJob(first, first.responded(null), async(), null,
                StandardCharsets.UTF_8, scheduler);

        AtomicBoolean secondRan = new AtomicBoolean();
        Exchange second = new Exchange("r-2", Clock.systemUTC(), completions::add);
        second.enterForeground();
        second.then(task -> secondRan.set(true));
        BackgroundJob secondJob = new BackgroundJob(second, second.responded(null), async(), null,
                StandardCharsets.UTF_8, scheduler);

        scheduler.submit(firstJob);
        assertThat(firstRunning.await(10, TimeUnit.SECONDS)).isTrue();
        scheduler.submit(secondJob); // waits for the slot; its response was sent whole
        assertThat(scheduler.queued()).isEqualTo(1);

        worker.get().interrupt(); // the application cancels r-1's work; nobody is shutting down

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> completions.size() == 2);
        assertThat(scheduler.isClosing()).isFalse();
        assertThat(completions).extracting(c -> c.exchangeId() + " " + c.outcome())
                .containsExactlyInAnyOrder("r-1 COMPLETED", "r-2 COMPLETED");
        assertThat(secondRan).as("r-2's task ran").isTrue();
    }
}
