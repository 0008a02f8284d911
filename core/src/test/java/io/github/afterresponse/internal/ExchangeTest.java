package io.github.afterresponse.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.afterresponse.Completion;
import io.github.afterresponse.ConnectionStatus;
import io.github.afterresponse.ExchangeState;
import io.github.afterresponse.Outcome;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ExchangeTest {

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<Completion> filterCompletions = new CopyOnWriteArrayList<>();
    private final Exchange exchange = new Exchange("t-1", Clock.systemUTC(), filterCompletions::add);

    @Test
    void runsTasksInOrderThenCallbacksInOrderThenTheFilterHook() {
        exchange.enterForeground();
        exchange.then(ctx -> events.add("task 1 " + ctx.exchangeId()))
                .then(ctx -> events.add("task 2 " + ctx.status()))
                .onComplete(c -> events.add("callback 1 " + c.outcome()))
                .onComplete(c -> events.add("callback 2 " + c.status()));
        List<io.github.afterresponse.Task> tasks = exchange.responded(null);
        assertThat(exchange.state()).isEqualTo(ExchangeState.RESPONDED);

        runTasks(exchange, tasks);

        assertThat(events).containsExactly("task 1 t-1", "task 2 NORMAL", "callback 1 COMPLETED", "callback 2 NORMAL");
        assertThat(filterCompletions).singleElement().satisfies(c -> {
            assertThat(c.exchangeId()).isEqualTo("t-1");
            assertThat(c.outcome()).isEqualTo(Outcome.COMPLETED);
            assertThat(c.respondedAt()).isPresent();
        });
        assertThat(exchange.state()).isEqualTo(ExchangeState.DONE);
    }

    @Test
    void aFailingTaskSkipsTheRestAndIsReported() {
        IOException boom = new IOException("smtp down");
        exchange.enterForeground();
        exchange.then(ctx -> events.add("task 1"))
                .then(ctx -> {
                    throw boom;
                })
                .then(ctx -> events.add("task 3"))
                .onComplete(c -> events.add("callback " + c.outcome() + " " + c.failure().orElseThrow().getMessage()));

        runTasks(exchange, exchange.responded(null));

        assertThat(events).containsExactly("task 1", "callback FAILED smtp down");
    }

    @Test
    void aThrowingCallbackDoesNotStopTheOthers() {
        exchange.enterForeground();
        exchange.onComplete(c -> {
            throw new IllegalStateException("bad callback");
        }).onComplete(c -> events.add("second"));
        exchange.responded(null);

        assertThat(exchange.finish(Outcome.COMPLETED, null)).isTrue();

        assertThat(events).containsExactly("second");
        assertThat(filterCompletions).hasSize(1);
    }

    @Test
    void finishRunsCallbacksOnceOnly() {
        exchange.enterForeground();
        exchange.onComplete(c -> events.add("callback"));
        assertThat(exchange.finish(Outcome.FAILED, new RuntimeException("servlet"))).isTrue();
        assertThat(exchange.finish(Outcome.COMPLETED, null)).isFalse();
        assertThat(events).containsExactly("callback");
        assertThat(filterCompletions).singleElement()
                .satisfies(c -> assertThat(c.respondedAt()).isEmpty());
    }

    @Test
    void racingFinishersRunCallbacksExactlyOnce() throws Exception {
        for (int round = 0; round < 100; round++) {
            AtomicInteger calls = new AtomicInteger();
            Exchange racing = new Exchange("r-" + round, Clock.systemUTC(), c -> { });
            racing.enterForeground();
            racing.onComplete(c -> calls.incrementAndGet());
            racing.responded(null);
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    results.add(pool.submit(() -> {
                        go.await();
                        return racing.finish(Outcome.COMPLETED, null);
                    }));
                }
                go.countDown();
                int winners = 0;
                for (Future<Boolean> result : results) {
                    winners += result.get(10, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(winners).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
            assertThat(calls).hasValue(1);
        }
    }

    @Test
    void tasksCanOnlyBeRegisteredWhileTheServletRuns() {
        assertThatThrownBy(() -> exchange.then(ctx -> { })).isInstanceOf(IllegalStateException.class);
        exchange.enterForeground();
        exchange.then(ctx -> { });
        exchange.enterStreaming();
        exchange.then(ctx -> { });
        exchange.responded(null);
        assertThatThrownBy(() -> exchange.then(ctx -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("too late to register a task on exchange t-1, which is RESPONDED");
    }

    @Test
    void callbacksCanBeAddedUntilDone() {
        exchange.enterForeground();
        List<io.github.afterresponse.Task> tasks = List.of(ctx -> exchange.onComplete(c -> events.add("late")));
        exchange.then(tasks.get(0));
        runTasks(exchange, exchange.responded(null));
        assertThat(events).containsExactly("late");
        assertThatThrownBy(() -> exchange.onComplete(c -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already DONE");
    }

    @Test
    void aTaskRegisteredTooLateForTheSnapshotAsksForOne() {
        exchange.enterForeground();
        assertThat(exchange.needsSnapshot()).isFalse();
        exchange.then(ctx -> { });
        exchange.responded(null);
        assertThat(exchange.needsSnapshot()).isTrue();
    }

    @Test
    void instantsStayInOrderWhenTheWallClockStepsBack() {
        Instant t0 = Instant.parse("2026-11-25T10:00:00Z");
        Clock steppingBack = new Clock() {
            private Instant next = t0;

            @Override
            public Instant instant() {
                Instant now = next;
                next = next.minusSeconds(1); // an NTP correction between every two readings
                return now;
            }

            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        List<Completion> seen = new ArrayList<>();
        Exchange stepped = new Exchange("t-9", steppingBack, seen::add);
        stepped.enterForeground();
        stepped.then(ctx -> { });
        runTasks(stepped, stepped.responded(null));
        assertThat(seen).singleElement().satisfies(c -> {
            assertThat(c.acceptedAt()).isEqualTo(t0);
            assertThat(c.respondedAt().orElseThrow()).isAfterOrEqualTo(c.acceptedAt());
            assertThat(c.finishedAt()).isAfterOrEqualTo(c.respondedAt().orElseThrow());
        });
    }

    @Test
    void ownAsyncAndTasksExcludeEachOther() {
        exchange.enterForeground();
        exchange.enterOwnAsync();
        assertThatThrownBy(() -> exchange.then(ctx -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("started its own asynchronous processing");
        exchange.finish(Outcome.COMPLETED, null);
        // The servlet's own AsyncListeners still use the request in onComplete, after the toolkit's.
        exchange.guard().checkRequest();
        exchange.guard().checkResponse();

        Exchange withTask = new Exchange("t-2", Clock.systemUTC(), c -> { });
        withTask.enterForeground();
        withTask.then(ctx -> { });
        assertThatThrownBy(withTask::enterOwnAsync).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void guardsRefuseOnceResponded() {
        exchange.enterForeground();
        exchange.guard().checkRequest();
        exchange.guard().checkResponse();
        exchange.responded(null);
        assertThatThrownBy(exchange.guard()::checkRequest)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TaskContext.request()")
                .hasMessageContaining("another client's request");
        assertThatThrownBy(exchange.guard()::checkResponse)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has been sent");
    }

    @Test
    void statusGainsTheAbortedFlag() {
        exchange.enterForeground();
        exchange.stop().clientGone(new IOException("reset by peer"));
        exchange.onComplete(c -> events.add("status " + c.status().value()));
        exchange.finish(Outcome.CANCELLED, null);
        assertThat(exchange.status()).isEqualTo(ConnectionStatus.ABORTED);
        assertThat(events).containsExactly("status 1");
    }

    /** Runs the tasks as the background thread would, on this thread. */
    static void runTasks(Exchange exchange, List<io.github.afterresponse.Task> tasks) {
        WorkScheduler scheduler = new WorkScheduler(1, 0, new ContainerExecutor(), new TimeLimits("test"));
        try {
            scheduler.runHere(new BackgroundJob(exchange, tasks, null, null, java.nio.charset.StandardCharsets.UTF_8,
                    scheduler));
        } finally {
            scheduler.timeLimits().shutdown();
        }
    }
}
