package io.github.afterresponse.it;

import static io.github.afterresponse.it.Await.await;
import static io.github.afterresponse.it.Deployment.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.Completion;
import io.github.afterresponse.Outcome;
import io.github.afterresponse.Task;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import io.github.afterresponse.testkit.RawResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;

/**
 * Stopping the web application (the filter's {@code destroy}, run by {@code Deployment.stop()} on
 * the test thread): running work gets the shutdown grace and ends normally if it stops in time;
 * after the grace it is interrupted and ends {@link Outcome#SHUT_DOWN}; queued work never runs and
 * ends SHUT_DOWN at once; work that ignores the interrupt still has its callbacks run five seconds
 * later. Every exchange's callbacks run exactly once, and stopping takes a bounded time.
 */
class ShutdownIT {

    /** What the containers themselves may add to a stop: their own bounded waits of about 2 s. */
    private static final Duration CONTAINER_STOP = Duration.ofSeconds(4);
    /** How long after the grace the filter waits for interrupted work before running its callbacks anyway. */
    private static final Duration LAST_WAIT = Duration.ofSeconds(5);

    /** Per task id: how often each exchange's own callbacks ran, and how it ended. */
    private static final class Callbacks {
        final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        final Map<String, Completion> completions = new ConcurrentHashMap<>();
        final Map<String, CountDownLatch> done = new ConcurrentHashMap<>();

        void registerOn(AfterResponse exchange) {
            done.put(exchange.exchangeId(), new CountDownLatch(1));
            exchange.onComplete(c -> {
                runs.computeIfAbsent(c.exchangeId(), id -> new AtomicInteger()).incrementAndGet();
                completions.put(c.exchangeId(), c);
                done.get(c.exchangeId()).countDown();
            });
        }

        Outcome outcome(String exchangeId) {
            return completions.get(exchangeId).outcome();
        }

        void assertEachRanOnce(List<String> exchangeIds) {
            assertThat(runs).containsOnlyKeys(exchangeIds)
                    .allSatisfy((id, count) -> assertThat(count).as("callbacks of " + id).hasValue(1));
        }
    }

    /** A servlet that registers {@code task} and the callbacks, and answers with the task id. */
    private static Handler servletWith(Task task, Callbacks callbacks) {
        return (request, response) -> {
            AfterResponse exchange = AfterResponse.of(request).then(task);
            callbacks.registerOn(exchange);
            response.setContentType("text/plain");
            response.getWriter().print(exchange.exchangeId());
        };
    }

    /** Cooperative work: short steps, a check of shouldStop() between them, for at most 20 s. */
    private static void workUntilAskedToStop(io.github.afterresponse.TaskContext task) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!task.shouldStop() && System.nanoTime() < giveUp) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // the work between checks
        }
    }

    private static String accepted(Deployment app, String path) throws Exception {
        RawResponse response = app.get(path);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.bodyText(StandardCharsets.US_ASCII);
    }

    /** Stops the server from the test thread and says how long it took. */
    private static Duration stop(Deployment app) {
        long start = System.nanoTime();
        app.stop();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @EveryContainer
    void workThatStopsWhenAskedEndsNormallyWithinTheGrace(Container container) throws Exception {
        Callbacks callbacks = new Callbacks();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean askedToStop = new AtomicBoolean();
        AtomicBoolean interrupted = new AtomicBoolean();
        Task cooperative = task -> {
            started.countDown();
            workUntilAskedToStop(task);
            askedToStop.set(task.shouldStop());
            interrupted.set(Thread.currentThread().isInterrupted());
        };
        Deployment app = Deployment.on(container, Map.of("shutdown-grace", "5s"))
                .servlet("/work", servletWith(cooperative, callbacks));
        String id;
        Duration stopping;
        try (app) {
            app.start();
            id = accepted(app, "/work");
            await(started, "the task");
            assertThat(callbacks.runs).isEmpty();

            stopping = stop(app);
        }
        await(callbacks.done.get(id), "the callback");
        assertThat(askedToStop).as("shouldStop() turned true when the stop began").isTrue();
        assertThat(interrupted).as("interrupted although it ended within the grace").isFalse();
        assertThat(callbacks.outcome(id)).isEqualTo(Outcome.COMPLETED);
        assertThat(stopping).as("the stop did not wait out the grace").isLessThan(Duration.ofSeconds(5));
        callbacks.assertEachRanOnce(List.of(id));
        assertThat(app.completions).singleElement().satisfies(c -> assertThat(c.outcome()).isEqualTo(Outcome.COMPLETED));
    }

    @EveryContainer
    void workStillRunningAfterTheGraceIsInterruptedAndShutDown(Container container) throws Exception {
        Callbacks callbacks = new Callbacks();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Task sleeper = task -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        };
        Deployment app = Deployment.on(container, Map.of("shutdown-grace", "200ms"))
                .servlet("/work", servletWith(sleeper, callbacks));
        String id;
        Duration stopping;
        try (app) {
            app.start();
            id = accepted(app, "/work");
            await(started, "the task");

            stopping = stop(app);
        }
        await(interrupted, "the interrupt");
        await(callbacks.done.get(id), "the callback");
        assertThat(callbacks.outcome(id)).isEqualTo(Outcome.SHUT_DOWN);
        // Interrupted after 200 ms; no wait for the callbacks beyond the task's own end.
        assertThat(stopping).isLessThan(Duration.ofMillis(200).plus(CONTAINER_STOP));
        callbacks.assertEachRanOnce(List.of(id));
        assertThat(app.completions).singleElement().satisfies(c -> assertThat(c.outcome()).isEqualTo(Outcome.SHUT_DOWN));
    }

    @EveryContainer
    void queuedWorkNeverRunsAndEndsAtOnce(Container container) throws Exception {
        Callbacks callbacks = new Callbacks();
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger queuedRuns = new AtomicInteger();
        AtomicReference<Boolean> queuedEndedFirst = new AtomicReference<>();
        List<String> queued = new ArrayList<>();
        // The running task waits, after being asked to stop, until the queued exchanges have ended:
        // that proves they ended at once, not after the running work.
        Task running = task -> {
            started.countDown();
            workUntilAskedToStop(task);
            boolean all = true;
            for (String id : queued) {
                all &= callbacks.done.get(id).await(4, TimeUnit.SECONDS);
            }
            queuedEndedFirst.set(all);
        };
        Deployment app = Deployment.on(container,
                        Map.of("max-running", "1", "queue-capacity", "2", "shutdown-grace", "5s"))
                .servlet("/running", servletWith(running, callbacks))
                .servlet("/queued", servletWith(task -> queuedRuns.incrementAndGet(), callbacks));
        String runningId;
        Duration stopping;
        try (app) {
            app.start();
            runningId = accepted(app, "/running");
            await(started, "the running task");
            queued.add(accepted(app, "/queued"));
            queued.add(accepted(app, "/queued"));
            Awaitility.await().atMost(TIMEOUT)
                    .until(() -> app.monitor().running() == 1 && app.monitor().queued() == 2);

            stopping = stop(app);
        }
        await(callbacks.done.get(runningId), "the running exchange's callback");
        assertThat(queuedRuns).as("queued tasks that ran").hasValue(0);
        for (String id : queued) {
            assertThat(callbacks.outcome(id)).as(id).isEqualTo(Outcome.SHUT_DOWN);
        }
        assertThat(queuedEndedFirst).as("the queued exchanges ended while the running one still ran").hasValue(true);
        assertThat(callbacks.outcome(runningId)).isEqualTo(Outcome.COMPLETED);
        assertThat(stopping).isLessThan(Duration.ofSeconds(5).plus(CONTAINER_STOP));
        List<String> all = new ArrayList<>(queued);
        all.add(runningId);
        callbacks.assertEachRanOnce(all);
        assertThat(app.completions).hasSize(3);
    }

    @EveryContainer
    void workIgnoringTheInterruptStillGetsItsCallbacks(Container container) throws Exception {
        Callbacks callbacks = new Callbacks();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        AtomicInteger interrupts = new AtomicInteger();
        AtomicReference<Thread> taskThread = new AtomicReference<>();
        AtomicReference<Thread> callbackThread = new AtomicReference<>();
        AtomicLong callbackAt = new AtomicLong();
        Task stubborn = task -> {
            taskThread.set(Thread.currentThread());
            started.countDown();
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            try {
                while (System.nanoTime() < giveUp) {
                    try {
                        if (letGo.await(giveUp - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                            return;
                        }
                    } catch (InterruptedException e) {
                        interrupts.incrementAndGet(); // and carry on regardless
                    }
                }
            } finally {
                ended.countDown();
            }
        };
        Deployment app = Deployment.on(container, Map.of("shutdown-grace", "200ms"))
                .servlet("/work", (request, response) -> {
                    AfterResponse exchange = AfterResponse.of(request).then(stubborn).onComplete(c -> {
                        callbackThread.set(Thread.currentThread());
                        callbackAt.set(System.nanoTime());
                    });
                    callbacks.registerOn(exchange);
                    response.getWriter().print(exchange.exchangeId());
                });
        String id;
        Duration stopping;
        long stopStart;
        try (app) {
            app.start();
            id = accepted(app, "/work");
            await(started, "the task");

            stopStart = System.nanoTime();
            stopping = stop(app);
            await(callbacks.done.get(id), "the callback");
            assertThat(callbacks.outcome(id)).isEqualTo(Outcome.SHUT_DOWN);
            assertThat(ended.getCount()).as("the task is still running").isEqualTo(1);
            assertThat(interrupts).as("interrupts the task ignored").hasPositiveValue();
            assertThat(callbackThread.get()).isNotNull().isNotSameAs(taskThread.get());
            Duration callbackAfter = Duration.ofNanos(callbackAt.get() - stopStart);
            assertThat(callbackAfter).as("callback after the grace and the last wait")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(200).plus(LAST_WAIT).minusMillis(500))
                    .isLessThan(Duration.ofMillis(200).plus(LAST_WAIT).plus(CONTAINER_STOP));
            assertThat(stopping).isLessThan(Duration.ofMillis(200).plus(LAST_WAIT).plus(CONTAINER_STOP));
        } finally {
            letGo.countDown();
        }
        await(ended, "the task to give up");
        // The late end of the task must not run the callbacks a second time.
        Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> callbacks.runs.get(id).get() == 1 && app.completions.size() == 1);
        callbacks.assertEachRanOnce(List.of(id));
        assertThat(app.completions).singleElement().satisfies(c -> assertThat(c.outcome()).isEqualTo(Outcome.SHUT_DOWN));
    }

    @EveryContainer
    void everyExchangeUnfinishedAtTheStopGetsItsCallbacksExactlyOnce(Container container) throws Exception {
        Callbacks callbacks = new Callbacks();
        CountDownLatch bothRunning = new CountDownLatch(2);
        AtomicInteger queuedRuns = new AtomicInteger();
        AtomicInteger notInterrupted = new AtomicInteger();
        Task sleeper = task -> {
            bothRunning.countDown();
            try {
                Thread.sleep(60_000);
                notInterrupted.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // ends normally, but interrupted: still SHUT_DOWN
            }
        };
        Deployment app = Deployment.on(container,
                        Map.of("max-running", "2", "queue-capacity", "4", "shutdown-grace", "300ms"))
                .servlet("/running", servletWith(sleeper, callbacks))
                .servlet("/queued", servletWith(task -> queuedRuns.incrementAndGet(), callbacks))
                .servlet("/quick", (request, response) -> {
                    callbacks.registerOn(AfterResponse.of(request));
                    response.getWriter().print(AfterResponse.of(request).exchangeId());
                });
        List<String> ids = new ArrayList<>();
        List<String> runningIds = new ArrayList<>();
        Duration stopping;
        try (app) {
            app.start();
            ids.add(accepted(app, "/quick")); // done before the stop: its callbacks ran already
            runningIds.add(accepted(app, "/running"));
            runningIds.add(accepted(app, "/running"));
            await(bothRunning, "both running tasks");
            for (int i = 0; i < 3; i++) {
                ids.add(accepted(app, "/queued"));
            }
            ids.addAll(runningIds);
            Awaitility.await().atMost(TIMEOUT)
                    .until(() -> app.monitor().running() == 2 && app.monitor().queued() == 3);
            assertThat(callbacks.runs).containsOnlyKeys(ids.get(0));

            stopping = stop(app);
        }
        for (String id : ids) {
            await(callbacks.done.get(id), "the callbacks of " + id);
        }
        assertThat(stopping).isLessThan(Duration.ofMillis(300).plus(LAST_WAIT).plus(CONTAINER_STOP));
        assertThat(queuedRuns).hasValue(0);
        assertThat(notInterrupted).hasValue(0);
        assertThat(callbacks.outcome(ids.get(0))).isEqualTo(Outcome.COMPLETED);
        for (String id : ids.subList(1, ids.size())) {
            assertThat(callbacks.outcome(id)).as(id).isEqualTo(Outcome.SHUT_DOWN);
        }
        Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> app.completions.size() == ids.size());
        callbacks.assertEachRanOnce(ids);
        assertThat(app.completions).extracting(Completion::exchangeId).containsExactlyInAnyOrderElementsOf(ids);
    }

    /**
     * A request that arrives while the filter is in its shutdown grace: no container hands it to a
     * servlet that could register more work, and none lets it reach the filter's 503 either. Jetty
     * has closed its connector: the connection is refused. Tomcat has paused its connector: the
     * connection is accepted and gets no answer until the stop ends. Undertow (undeployed first,
     * its listener still open) answers 500 itself: "UT010051: Deployment … has stopped".
     */
    @EveryContainer
    void aRequestDuringTheGraceRunsNothing(Container container) throws Exception {
        Callbacks callbacks = new Callbacks();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch stopping = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger servletRuns = new AtomicInteger();
        Task held = task -> {
            started.countDown();
            workUntilAskedToStop(task);
            stopping.countDown();
            Await.hold(release);
        };
        Deployment app = Deployment.on(container, Map.of("shutdown-grace", "20s"))
                .servlet("/work", (request, response) -> {
                    servletRuns.incrementAndGet();
                    servletWith(held, callbacks).handle(request, response);
                });
        String seen;
        try (app) {
            app.start();
            int port = app.port();
            accepted(app, "/work");
            await(started, "the task"); // the response may reach the client before the task is handed on
            java.util.concurrent.FutureTask<Duration> stopped = new java.util.concurrent.FutureTask<>(() -> stop(app));
            new Thread(stopped, "stopping " + container).start();
            await(stopping, "the shutdown to begin");
            try {
                seen = probe(port);
            } finally {
                release.countDown();
            }
            stopped.get(30, TimeUnit.SECONDS);
        }
        System.out.printf("ShutdownIT %s: a request during the grace got %s%n", container, seen);
        assertThat(servletRuns).as("servlet runs: only the first request's").hasValue(1);
        assertThat(seen).isEqualTo(switch (container) {
            case JETTY -> "refused"; // the connector closed before the context stopped
            case TOMCAT -> "no answer"; // the connector is paused: accepted, then closed when the stop ends
            case UNDERTOW -> "500"; // its ManagedFilter: "UT010051: Deployment … has stopped"
        });
    }

    /** What a new connection with one GET gets: refused, no answer (closed or silent for 5 s), or a status. */
    private static String probe(int port) {
        try (io.github.afterresponse.testkit.RawConnection connection =
                io.github.afterresponse.testkit.RawConnection.open(port)) {
            RawResponse response = connection.send(Deployment.request("GET", "/work")).readResponse(Duration.ofSeconds(5));
            return String.valueOf(response.statusCode());
        } catch (java.net.ConnectException e) {
            return "refused";
        } catch (java.io.IOException e) {
            return "no answer";
        }
    }

    /**
     * A request that reaches the filter after its stop (the container's connectors still open, or
     * the application stopped the filter itself first, as the Spring Boot starter does inside Boot's
     * shutdown) gets the stop's 503 with Retry-After, not an error; its servlet does not run.
     */
    @EveryContainer
    void aRequestAfterTheFilterStoppedGetsTheStops503(Container container) throws Exception {
        AtomicInteger servletRuns = new AtomicInteger();
        Deployment app = Deployment.on(container, Map.of("retry-after", "7s"))
                .servlet("/page", (request, response) -> {
                    servletRuns.incrementAndGet();
                    response.getWriter().print("page");
                });
        try (app) {
            app.start();
            assertThat(app.get("/page").statusCode()).isEqualTo(200);
            app.destroyFilter();

            RawResponse refused = app.get("/page");

            assertThat(refused.statusCode()).as("on %s", container).isEqualTo(503);
            assertThat(refused.header("Retry-After")).hasValue("7");
            assertThat(servletRuns).hasValue(1);
        }
    }

    /**
     * A request the filter's {@code shouldNotFilter} excludes bypasses the toolkit after the stop
     * too: the stopped filter's 503 is only for requests it would have handled (a health check
     * excluded from the filter keeps answering).
     */
    @EveryContainer
    void aRequestTheFilterDoesNotHandleStillPassesAfterItsStop(Container container) throws Exception {
        AtomicInteger healthRuns = new AtomicInteger();
        Deployment app = Deployment.on(container)
                .notFiltering(request -> request.getRequestURI().startsWith("/health"))
                .servlet("/health", (request, response) -> {
                    healthRuns.incrementAndGet();
                    response.getWriter().print("up");
                });
        try (app) {
            app.start();
            assertThat(app.get("/health").statusCode()).isEqualTo(200);
            app.destroyFilter();

            RawResponse after = app.get("/health");

            assertThat(after.statusCode()).as("a request shouldNotFilter excludes, after the filter's stop, on %s",
                    container).isEqualTo(200);
            assertThat(healthRuns).hasValue(2);
        }
    }
}
