package io.github.afterresponse.it;

import static io.github.afterresponse.it.Await.await;
import static io.github.afterresponse.it.Deployment.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AbortPolicy;
import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.Completion;
import io.github.afterresponse.ConnectionStatus;
import io.github.afterresponse.Outcome;
import io.github.afterresponse.TaskContext;
import io.github.afterresponse.it.AbortIT.Callbacks;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The time limit of the background work (PHP's {@code set_time_limit}): when it runs out the status
 * becomes TIMEOUT (2), a task that checks {@link TaskContext#shouldStop()} sees it, a task blocked in
 * {@code sleep}, {@code wait} or a latch is interrupted long before its wait would end, the tasks
 * after it are skipped and the outcome is CANCELLED. A task can extend or remove its own limit.
 * A client abort under CONTINUE followed by a timeout is ABORTED_AND_TIMEOUT (3), every time.
 */
class TimeoutIT {

    private static final Duration LIMIT = Duration.ofMillis(300);
    /** What blocked tasks wait for: far beyond the limit. */
    private static final Duration BLOCKED_FOR = Duration.ofSeconds(30);
    /** A task stopped by the limit ends well within this. */
    private static final Duration ENDS_WITHIN = Duration.ofSeconds(5);
    /** Slack for comparing instants taken by the test with the toolkit's. */
    private static final Duration CLOCK_SLACK = Duration.ofMillis(20);

    @EveryContainer
    void cooperativeTaskStopsAtTheDeadlineSetForTheRequest(Container container) throws Exception {
        cooperativeTaskStopsAtTheDeadline(Deployment.on(container), true);
    }

    @EveryContainer
    void cooperativeTaskStopsAtTheDeadlineSetByInitParam(Container container) throws Exception {
        cooperativeTaskStopsAtTheDeadline(Deployment.on(container, Map.of("time-limit", "300ms")), false);
    }

    private static void cooperativeTaskStopsAtTheDeadline(Deployment app, boolean perRequest) throws Exception {
        AtomicReference<Instant> startedAt = new AtomicReference<>();
        AtomicReference<Instant> deadline = new AtomicReference<>();
        AtomicReference<Instant> stoppedAt = new AtomicReference<>();
        AtomicBoolean sawShouldStop = new AtomicBoolean();
        AtomicReference<ConnectionStatus> statusWhenStopping = new AtomicReference<>();
        AtomicInteger steps = new AtomicInteger();
        Callbacks callbacks = new Callbacks();
        app.servlet("/work", (request, response) -> {
            AfterResponse exchange = AfterResponse.of(request);
            if (perRequest) {
                exchange.timeLimit(LIMIT);
            }
            exchange.then(task -> {
                startedAt.set(Instant.now());
                deadline.set(task.deadline().orElse(null));
                long safety = System.nanoTime() + ENDS_WITHIN.toNanos();
                while (!task.shouldStop() && System.nanoTime() < safety) {
                    steps.incrementAndGet();
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // one step of work
                }
                stoppedAt.set(Instant.now());
                sawShouldStop.set(task.shouldStop());
                statusWhenStopping.set(task.status());
                // and returns normally: the limit still cancels the exchange
            });
            callbacks.registerOn(exchange);
            response.getWriter().print("accepted");
        });
        try (app) {
            assertThat(app.start().get("/work").statusCode()).isEqualTo(200);
            await(callbacks.done, "the callback");
        }
        Completion c = callbacks.assertExactlyOnce(app);
        assertThat(c.status()).as("%s", c).isEqualTo(ConnectionStatus.TIMEOUT);
        assertThat(c.status().value()).isEqualTo(2);
        assertThat(c.outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(sawShouldStop).as("shouldStop() ended the loop, after %s steps", steps).isTrue();
        assertThat(statusWhenStopping.get()).isEqualTo(ConnectionStatus.TIMEOUT);
        assertThat(deadline.get()).as("deadline()").isNotNull()
                .isAfter(startedAt.get())
                .isBeforeOrEqualTo(startedAt.get().plus(LIMIT).plus(CLOCK_SLACK));
        assertThat(stoppedAt.get()).as("not before the deadline").isAfterOrEqualTo(deadline.get().minus(CLOCK_SLACK));
        assertThat(Duration.between(startedAt.get(), stoppedAt.get())).isLessThan(ENDS_WITHIN);
    }

    // ---- blocked tasks are interrupted ----

    /** How a task blocks; each reacts to the interrupt the way such code usually does. */
    private enum Blocking {
        /** Thread.sleep, letting the InterruptedException leave the task. */
        SLEEP {
            @Override
            void block(AtomicReference<InterruptedException> interruption) throws InterruptedException {
                try {
                    Thread.sleep(BLOCKED_FOR.toMillis());
                } catch (InterruptedException e) {
                    interruption.set(e);
                    throw e;
                }
            }
        },
        /** Object.wait on a monitor nobody notifies; restores the flag and returns. */
        WAIT {
            @Override
            void block(AtomicReference<InterruptedException> interruption) {
                Object monitor = new Object();
                long end = System.nanoTime() + BLOCKED_FOR.toNanos();
                synchronized (monitor) {
                    try {
                        for (long left = BLOCKED_FOR.toMillis(); left > 0;
                                left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())) {
                            monitor.wait(left); // in a loop: spurious wake-ups
                        }
                    } catch (InterruptedException e) {
                        interruption.set(e);
                        Thread.currentThread().interrupt();
                    }
                }
            }
        },
        /** A latch nobody counts down; restores the flag and returns. */
        LATCH {
            @Override
            void block(AtomicReference<InterruptedException> interruption) {
                try {
                    new CountDownLatch(1).await(BLOCKED_FOR.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    interruption.set(e);
                    Thread.currentThread().interrupt();
                }
            }
        };

        abstract void block(AtomicReference<InterruptedException> interruption) throws InterruptedException;
    }

    @EveryContainer
    void sleepingTaskIsInterrupted(Container container) throws Exception {
        blockedTaskIsInterrupted(container, Blocking.SLEEP);
    }

    @EveryContainer
    void waitingTaskIsInterrupted(Container container) throws Exception {
        blockedTaskIsInterrupted(container, Blocking.WAIT);
    }

    @EveryContainer
    void taskAwaitingALatchIsInterrupted(Container container) throws Exception {
        blockedTaskIsInterrupted(container, Blocking.LATCH);
    }

    private static void blockedTaskIsInterrupted(Container container, Blocking blocking) throws Exception {
        AtomicReference<InterruptedException> interruption = new AtomicReference<>();
        AtomicReference<Duration> blockedFor = new AtomicReference<>();
        Callbacks callbacks = new Callbacks();
        Deployment app = Deployment.on(container).servlet("/work", (request, response) -> {
            AfterResponse exchange = AfterResponse.of(request).timeLimit(LIMIT).then(task -> {
                long start = System.nanoTime();
                try {
                    blocking.block(interruption);
                } finally {
                    blockedFor.set(Duration.ofNanos(System.nanoTime() - start));
                }
            });
            callbacks.registerOn(exchange);
            response.getWriter().print("accepted");
        });
        try (app) {
            assertThat(app.start().get("/work").statusCode()).isEqualTo(200);
            await(callbacks.done, "the callback");
        }
        Completion c = callbacks.assertExactlyOnce(app);
        assertThat(interruption.get()).as("the %s was interrupted", blocking).isNotNull();
        assertThat(blockedFor.get()).as("blocked for").isLessThan(ENDS_WITHIN);
        assertThat(c.status()).as("%s", c).isEqualTo(ConnectionStatus.TIMEOUT);
        assertThat(c.status().value()).isEqualTo(2);
        assertThat(c.outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(c.backgroundTime()).isLessThan(ENDS_WITHIN);
    }

    @EveryContainer
    void tasksAfterTheOneThatTimedOutAreSkipped(Container container) throws Exception {
        AtomicReference<InterruptedException> interruption = new AtomicReference<>();
        AtomicInteger laterTaskRuns = new AtomicInteger();
        Callbacks callbacks = new Callbacks();
        Deployment app = Deployment.on(container).servlet("/work", (request, response) -> {
            AfterResponse exchange = AfterResponse.of(request).timeLimit(LIMIT)
                    .then(task -> Blocking.LATCH.block(interruption)) // returns normally when interrupted
                    .then(task -> laterTaskRuns.incrementAndGet())
                    .then(task -> laterTaskRuns.incrementAndGet());
            callbacks.registerOn(exchange);
            response.getWriter().print("accepted");
        });
        try (app) {
            assertThat(app.start().get("/work").statusCode()).isEqualTo(200);
            await(callbacks.done, "the callback");
        }
        Completion c = callbacks.assertExactlyOnce(app);
        assertThat(interruption.get()).as("the first task was interrupted").isNotNull();
        assertThat(laterTaskRuns).as("runs of the tasks after it").hasValue(0);
        assertThat(c.status()).as("%s", c).isEqualTo(ConnectionStatus.TIMEOUT);
        assertThat(c.outcome()).isEqualTo(Outcome.CANCELLED);
    }

    // ---- a task sets its own limit ----

    @EveryContainer
    void taskCanExtendItsTimeLimit(Container container) throws Exception {
        AtomicReference<Instant> original = new AtomicReference<>();
        AtomicReference<Instant> extended = new AtomicReference<>();
        resetLimitAndWorkPastTheOriginalDeadline(container, Duration.ofSeconds(30), original, extended);
        assertThat(original.get()).as("deadline before the reset").isNotNull();
        assertThat(extended.get()).as("deadline after the reset").isNotNull()
                .isAfter(original.get().plus(Duration.ofSeconds(29)));
    }

    @EveryContainer
    void taskCanRemoveItsTimeLimit(Container container) throws Exception {
        AtomicReference<Instant> original = new AtomicReference<>();
        AtomicReference<Instant> removed = new AtomicReference<>(Instant.MAX);
        resetLimitAndWorkPastTheOriginalDeadline(container, Duration.ZERO, original, removed);
        assertThat(original.get()).as("deadline before the reset").isNotNull();
        assertThat(removed.get()).as("deadline after timeLimit(ZERO)").isNull();
    }

    /**
     * The request gets the short limit; its task resets it to {@code newLimit}, then works until well
     * after the original deadline, and must complete normally.
     */
    private static void resetLimitAndWorkPastTheOriginalDeadline(Container container, Duration newLimit,
            AtomicReference<Instant> original, AtomicReference<Instant> afterReset) throws Exception {
        AtomicReference<InterruptedException> interruption = new AtomicReference<>();
        AtomicBoolean shouldStopAtTheEnd = new AtomicBoolean();
        AtomicReference<Instant> workedUntil = new AtomicReference<>();
        Callbacks callbacks = new Callbacks();
        Deployment app = Deployment.on(container).servlet("/work", (request, response) -> {
            AfterResponse exchange = AfterResponse.of(request).timeLimit(LIMIT).then(task -> {
                Instant first = task.deadline().orElseThrow();
                original.set(first);
                task.timeLimit(newLimit);
                afterReset.set(task.deadline().orElse(null));
                try {
                    workUntil(first.plus(LIMIT));
                } catch (InterruptedException e) {
                    interruption.set(e);
                }
                workedUntil.set(Instant.now());
                shouldStopAtTheEnd.set(task.shouldStop());
            });
            callbacks.registerOn(exchange);
            response.getWriter().print("accepted");
        });
        try (app) {
            assertThat(app.start().get("/work").statusCode()).isEqualTo(200);
            await(callbacks.done, "the callback");
        }
        Completion c = callbacks.assertExactlyOnce(app);
        assertThat(interruption.get()).as("interrupted").isNull();
        assertThat(workedUntil.get()).isAfter(original.get());
        assertThat(shouldStopAtTheEnd).as("shouldStop() at the end").isFalse();
        assertThat(c.status()).as("%s", c).isEqualTo(ConnectionStatus.NORMAL);
        assertThat(c.status().value()).isZero();
        assertThat(c.outcome()).isEqualTo(Outcome.COMPLETED);
    }

    /** Simulated work that takes until {@code end}, and notices an interrupt at once. */
    private static void workUntil(Instant end) throws InterruptedException {
        while (Instant.now().isBefore(end)) {
            Thread.sleep(10);
        }
    }

    // ---- abort, then timeout ----

    @EveryContainer
    void abortThenTimeoutIsStatusThreeEveryTime(Container container) throws Exception {
        int runs = 20;
        Duration limit = Duration.ofMillis(400);
        /** What one run recorded. */
        final class Run {
            final CountDownLatch taskStarted = new CountDownLatch(1);
            final CountDownLatch clientGone = new CountDownLatch(1);
            final AtomicReference<ConnectionStatus> statusAfterTheAbort = new AtomicReference<>();
            final AtomicReference<InterruptedException> interruption = new AtomicReference<>();
            final Callbacks callbacks = new Callbacks();
        }
        Map<Integer, Run> byNumber = new ConcurrentHashMap<>();
        Deployment app = Deployment.on(container).servlet("/race", (request, response) -> {
            Run run = byNumber.get(Integer.parseInt(request.getParameter("run")));
            response.setContentType("text/plain;charset=UTF-8");
            AfterResponse exchange = AfterResponse.of(request).abortPolicy(AbortPolicy.CONTINUE).timeLimit(limit)
                    .stream();
            response.getWriter().println("working");
            response.getWriter().flush();
            exchange.then(task -> {
                run.taskStarted.countDown();
                await(run.clientGone, "the client to go away");
                PrintWriter out = task.writer();
                for (int i = 0; i < 100_000 && task.isClientConnected(); i++) {
                    out.println("progress " + i);
                }
                run.statusAfterTheAbort.set(task.status());
                try {
                    Thread.sleep(BLOCKED_FOR.toMillis());
                } catch (InterruptedException e) {
                    run.interruption.set(e);
                }
            });
            run.callbacks.registerOn(exchange);
        });
        List<String> endings = new ArrayList<>();
        try (app) {
            app.start();
            for (int i = 0; i < runs; i++) {
                Run run = new Run();
                byNumber.put(i, run);
                try (StreamingClient client = StreamingClient.get(app.port(), "/race?run=" + i)) {
                    String line;
                    try {
                        line = client.readBodyLine(TIMEOUT);
                    } catch (IOException e) {
                        line = e + "; received: " + client.received();
                    }
                    assertThat(line).as("run %s of %s; so far: %s", i, runs, endings).isEqualTo("working");
                    await(run.taskStarted, "the task of run " + i + " to start");
                    client.drainAvailable();
                } // FIN
                run.clientGone.countDown();
                await(run.callbacks.done, "the callback of run " + i);
                Completion c = run.callbacks.completion.get();
                endings.add("status " + c.status().value() + ", " + c.outcome() + ", task saw "
                        + run.statusAfterTheAbort.get() + " after the abort, interrupted: "
                        + (run.interruption.get() != null)
                        + c.failure().map(failure -> ", failure " + failure).orElse(""));
            }
        }
        assertThat(endings).as("the ending of every run").hasSize(runs)
                .containsOnly("status 3, CANCELLED, task saw ABORTED after the abort, interrupted: true");
        for (Run run : byNumber.values()) {
            assertThat(run.callbacks.runs).hasValue(1);
        }
        assertThat(app.completions).hasSize(runs)
                .allSatisfy(c -> assertThat(c.status()).isEqualTo(ConnectionStatus.ABORTED_AND_TIMEOUT));
    }
}
