package io.github.afterresponse.it;

import static io.github.afterresponse.it.Await.await;
import static io.github.afterresponse.it.Deployment.TIMEOUT;
import static io.github.afterresponse.it.Deployment.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AbortPolicy;
import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.ClientAbortedException;
import io.github.afterresponse.Completion;
import io.github.afterresponse.ConnectionStatus;
import io.github.afterresponse.Outcome;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import io.github.afterresponse.testkit.RawConnection;
import io.github.afterresponse.testkit.RawResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;

/**
 * A client that goes away while its streamed response is still being written, whether it closes
 * normally (FIN) or resets (RST): the exchange's status becomes ABORTED (1); under
 * {@link AbortPolicy#CANCEL} the task's writes end in {@link ClientAbortedException} (the one that
 * found the client gone, or every one after the container reported it), the tasks after it are
 * skipped and the outcome is CANCELLED; under
 * {@link AbortPolicy#CONTINUE} (per request or by init-param) the work goes on with its output
 * discarded and completes. The callbacks run exactly once either way, counted after the server has
 * stopped. Also: streamed lines reach the client while the task still runs, and
 * {@link io.github.afterresponse.TaskContext#probe()} tells when the client has gone.
 */
class AbortIT {

    /** Upper bound of the progress loop: far more writes than any container needs to notice the client left. */
    private static final int MAX_LINES = 100_000;

    /** How the client leaves. */
    private enum Goodbye {
        /** Reads what arrived, then closes normally. */
        FIN,
        /** Closes with SO_LINGER 0. */
        RST;

        void leave(StreamingClient client) throws IOException {
            if (this == FIN) {
                client.drainAvailable();
                client.close();
            } else {
                client.abort();
            }
        }
    }

    @EveryContainer
    void clientThatClosesCancelsTheWork(Container container) throws Exception {
        assertCancelled(abortMidStream(container, Map.of(), AbortPolicy.CANCEL, Goodbye.FIN));
    }

    @EveryContainer
    void clientThatResetsCancelsTheWork(Container container) throws Exception {
        assertCancelled(abortMidStream(container, Map.of(), AbortPolicy.CANCEL, Goodbye.RST));
    }

    @EveryContainer
    void workContinuesAfterTheClientClosed(Container container) throws Exception {
        assertContinued(abortMidStream(container, Map.of(), AbortPolicy.CONTINUE, Goodbye.FIN));
    }

    @EveryContainer
    void workContinuesAfterTheClientReset(Container container) throws Exception {
        assertContinued(abortMidStream(container, Map.of(), AbortPolicy.CONTINUE, Goodbye.RST));
    }

    @EveryContainer
    void initParamLetsTheWorkContinue(Container container) throws Exception {
        assertContinued(abortMidStream(container, Map.of("abort-policy", "continue"), null, Goodbye.FIN));
    }

    @EveryContainer
    void requestPolicyReplacesTheInitParam(Container container) throws Exception {
        assertCancelled(abortMidStream(container, Map.of("abort-policy", "continue"), AbortPolicy.CANCEL,
                Goodbye.RST));
    }

    @EveryContainer
    void streamedLineReachesTheClientWhileTheTaskStillRuns(Container container) throws Exception {
        CountDownLatch clientReadFirstLine = new CountDownLatch(1);
        Callbacks callbacks = new Callbacks();
        Deployment app = Deployment.on(container).servlet("/progress", (request, response) -> {
            response.setContentType("text/plain;charset=UTF-8");
            AfterResponse exchange = AfterResponse.of(request).stream();
            response.getWriter().println("first line");
            response.getWriter().flush();
            exchange.then(task -> {
                await(clientReadFirstLine, "the client to read the first line");
                task.writer().println("second line");
            });
            callbacks.registerOn(exchange);
        });
        try (app; StreamingClient client = StreamingClient.get(app.start().port(), "/progress")) {
            assertThat(client.statusCode()).isEqualTo(200);
            assertThat(client.chunked()).as("chunked").isTrue();
            assertThat(client.header("Content-Length")).isEmpty();
            assertThat(client.header("Connection")).isNotEqualTo(Optional.of("close"));

            // The task holds until the client has this line: it can only arrive by being streamed.
            assertThat(client.readBodyLine(TIMEOUT)).isEqualTo("first line");
            assertThat(callbacks.done.getCount()).as("the task is still running").isEqualTo(1);
            clientReadFirstLine.countDown();

            assertThat(client.readBodyLine(TIMEOUT)).isEqualTo("second line");
            assertThat(client.readToEnd(TIMEOUT)).as("the response ends when the task ends").isEmpty();
            await(callbacks.done, "the callback");
        }
        Completion c = callbacks.assertExactlyOnce(app);
        assertThat(c.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(c.status()).isEqualTo(ConnectionStatus.NORMAL);
    }

    @EveryContainer
    void probeTellsWhenTheClientHasGone(Container container) throws Exception {
        CountDownLatch probedOnce = new CountDownLatch(1);
        CountDownLatch clientGone = new CountDownLatch(1);
        AtomicReference<Boolean> probeWhileConnected = new AtomicReference<>();
        AtomicInteger probesAfterLeaving = new AtomicInteger();
        AtomicReference<Boolean> lastProbe = new AtomicReference<>();
        AtomicReference<Boolean> connectedAfterwards = new AtomicReference<>();
        AtomicReference<ConnectionStatus> statusAfterwards = new AtomicReference<>();
        Callbacks callbacks = new Callbacks();
        Deployment app = Deployment.on(container).servlet("/probe", (request, response) -> {
            response.setContentType("text/plain;charset=UTF-8");
            AfterResponse exchange = AfterResponse.of(request).abortPolicy(AbortPolicy.CONTINUE).stream();
            response.getWriter().println("working");
            response.getWriter().flush();
            exchange.then(task -> {
                probeWhileConnected.set(task.probe());
                probedOnce.countDown();
                await(clientGone, "the client to go away");
                boolean connected = true;
                while (connected && probesAfterLeaving.get() < MAX_LINES) {
                    connected = task.probe();
                    probesAfterLeaving.incrementAndGet();
                }
                lastProbe.set(connected);
                connectedAfterwards.set(task.isClientConnected());
                statusAfterwards.set(task.status());
            });
            callbacks.registerOn(exchange);
        });
        try (app; StreamingClient client = StreamingClient.get(app.start().port(), "/probe")) {
            assertThat(client.readBodyLine(TIMEOUT)).isEqualTo("working");
            await(probedOnce, "the first probe");
            assertThat(client.readBody(1, TIMEOUT)).as("what a probe writes").isEqualTo(" ");
            Goodbye.FIN.leave(client);
            clientGone.countDown();
            await(callbacks.done, "the callback");
        }
        assertThat(probeWhileConnected.get()).as("probe while the client reads").isTrue();
        assertThat(lastProbe.get()).as("probe after the client left (after %s probes)", probesAfterLeaving)
                .isFalse();
        assertThat(connectedAfterwards.get()).as("isClientConnected after the failed probe").isFalse();
        assertThat(statusAfterwards.get()).isEqualTo(ConnectionStatus.ABORTED);
        Completion c = callbacks.assertExactlyOnce(app);
        assertThat(c.status()).isEqualTo(ConnectionStatus.ABORTED);
        assertThat(c.outcome()).isEqualTo(Outcome.COMPLETED);
    }

    // ---- the abort matrix ----

    /** What one exchange of the matrix did, recorded by its tasks and callback. */
    private static final class AbortRun {
        /** The first task runs: from here on, a client that leaves cannot make it be skipped. */
        final CountDownLatch taskStarted = new CountDownLatch(1);
        final CountDownLatch clientGone = new CountDownLatch(1);
        final AtomicInteger linesWritten = new AtomicInteger();
        final AtomicReference<ClientAbortedException> writeFailure = new AtomicReference<>();
        /** How the progress loop ended, for the failure messages. */
        final AtomicReference<String> loopEnd = new AtomicReference<>();
        final AtomicBoolean workedAfterTheAbort = new AtomicBoolean();
        final AtomicReference<ConnectionStatus> statusSeenAfterTheAbort = new AtomicReference<>();
        final AtomicInteger secondTaskRuns = new AtomicInteger();
        final Callbacks callbacks = new Callbacks();
        Completion completion;
    }

    /**
     * A servlet streams a first line; its first task waits until the client has left, then writes
     * progress lines until a write fails (CANCEL) or the client is known gone (CONTINUE), and then,
     * if it may, carries on; a second task records that it ran.
     *
     * @param perRequest the policy the servlet sets, or null to leave the filter's
     */
    private static AbortRun abortMidStream(Container container, Map<String, String> initParams,
            AbortPolicy perRequest, Goodbye goodbye) throws Exception {
        AbortRun run = new AbortRun();
        Deployment app = Deployment.on(container, initParams).servlet("/progress", (request, response) -> {
            response.setContentType("text/plain;charset=UTF-8");
            AfterResponse exchange = AfterResponse.of(request);
            if (perRequest != null) {
                exchange.abortPolicy(perRequest);
            }
            exchange.stream();
            response.getWriter().println("working");
            response.getWriter().flush();
            exchange.then(task -> {
                run.taskStarted.countDown();
                await(run.clientGone, "the client to go away");
                PrintWriter out = task.writer();
                try {
                    for (int i = 0; i < MAX_LINES && task.isClientConnected(); i++) {
                        out.println("progress " + i);
                        run.linesWritten.incrementAndGet();
                    }
                    run.loopEnd.set(task.isClientConnected() ? "the bound, the client never seen gone"
                            : "isClientConnected() false, without a write throwing");
                    // The client is gone: under CANCEL every later write throws; under CONTINUE it is discarded.
                    out.println("nobody reads this");
                } catch (ClientAbortedException e) {
                    run.loopEnd.compareAndSet(null, "a write throwing");
                    run.writeFailure.set(e);
                    throw e;
                }
                run.statusSeenAfterTheAbort.set(task.status());
                run.workedAfterTheAbort.set(!task.isClientConnected());
            }).then(task -> run.secondTaskRuns.incrementAndGet());
            run.callbacks.registerOn(exchange);
        });
        try (app; StreamingClient client = StreamingClient.get(app.start().port(), "/progress")) {
            assertThat(client.statusCode()).isEqualTo(200);
            assertThat(client.readBodyLine(TIMEOUT)).isEqualTo("working");
            await(run.taskStarted, "the first task to start");
            goodbye.leave(client);
            run.clientGone.countDown();
            await(run.callbacks.done, "the callback");
        }
        run.completion = run.callbacks.assertExactlyOnce(app);
        assertThat(run.completion.status()).as("status of %s", run.completion).isEqualTo(ConnectionStatus.ABORTED);
        assertThat(run.completion.status().value()).isEqualTo(1);
        return run;
    }

    private static void assertCancelled(AbortRun run) {
        Completion c = run.completion;
        assertThat(c.outcome()).as("%s", c).isEqualTo(Outcome.CANCELLED);
        assertThat(run.writeFailure.get()).as("a write once the client was gone threw (loop ended by %s after %s "
                + "lines; %s)", run.loopEnd, run.linesWritten, c).isNotNull();
        assertThat(run.writeFailure.get().exchangeId()).isEqualTo(c.exchangeId());
        assertThat(run.writeFailure.get().getCause()).as("the container's own exception")
                .isInstanceOf(IOException.class);
        assertThat(run.workedAfterTheAbort).isFalse();
        assertThat(run.secondTaskRuns).as("runs of the task registered after it").hasValue(0);
    }

    private static void assertContinued(AbortRun run) {
        Completion c = run.completion;
        assertThat(c.outcome()).as("%s", c).isEqualTo(Outcome.COMPLETED);
        assertThat(c.failure()).isEmpty();
        assertThat(run.writeFailure.get()).as("no write throws under CONTINUE").isNull();
        assertThat(run.workedAfterTheAbort).as("the task went on after it saw the client gone (loop ended by %s "
                + "after %s lines)", run.loopEnd, run.linesWritten).isTrue();
        assertThat(run.statusSeenAfterTheAbort.get()).isEqualTo(ConnectionStatus.ABORTED);
        assertThat(run.secondTaskRuns).as("runs of the task registered after it").hasValue(1);
    }

    /** A callback that counts its runs and keeps the last completion. */
    static final class Callbacks {
        final AtomicInteger runs = new AtomicInteger();
        final AtomicReference<Completion> completion = new AtomicReference<>();
        final CountDownLatch done = new CountDownLatch(1);

        void registerOn(AfterResponse exchange) {
            exchange.onComplete(c -> {
                runs.incrementAndGet();
                completion.set(c);
                done.countDown();
            });
        }

        /**
         * Checks, once the server has stopped and nothing can run any more, that the callback ran
         * exactly once and the filter's hook saw the same ending; returns it.
         */
        Completion assertExactlyOnce(Deployment app) {
            app.stop();
            assertThat(runs).as("callback runs").hasValue(1);
            Completion c = completion.get();
            assertThat(app.completions).as("completions seen by the filter's hook").singleElement()
                    .satisfies(seen -> {
                        assertThat(seen.exchangeId()).isEqualTo(c.exchangeId());
                        assertThat(seen.status()).isEqualTo(c.status());
                        assertThat(seen.outcome()).isEqualTo(c.outcome());
                    });
            return c;
        }
    }

    /**
     * The application cancels a task of a streamed response with Thread.interrupt, and the task
     * keeps the interrupt (the restore-the-flag idiom): the toolkit's own last write, the final
     * chunk, is not cut short by it (Tomcat truncated the body or reported the client gone), and
     * nothing counts as an abort.
     */
    @EveryContainer
    void aStreamedResponseEndsNormallyAfterItsTaskWasInterruptedByTheApplication(Container container)
            throws Exception {
        AtomicReference<Thread> worker = new AtomicReference<>();
        CountDownLatch wrote = new CountDownLatch(1);
        try (Deployment app = Deployment.on(container).servlet("/progress", (request, response) -> {
            response.setContentType("text/plain;charset=UTF-8");
            AfterResponse exchange = AfterResponse.of(request).stream();
            response.getWriter().println("started");
            exchange.then(task -> {
                task.writer().println("working");
                worker.set(Thread.currentThread());
                wrote.countDown();
                try {
                    new CountDownLatch(1).await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // cancelled by the application
                }
            });
        }).start(); RawConnection connection = app.open()) {
            connection.send(request("GET", "/progress"));
            assertThat(wrote.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            worker.get().interrupt(); // the application's own cancel; not a time limit, not a shutdown

            RawResponse response = connection.readResponse(TIMEOUT);

            assertThat(response.bodyText(StandardCharsets.UTF_8)).isEqualTo("started\nworking\n");
            Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == 1);
            Completion completion = app.completions.get(0);
            assertThat(completion.status()).as("the client read the whole response").isEqualTo(ConnectionStatus.NORMAL);
            assertThat(completion.outcome()).isEqualTo(Outcome.COMPLETED);
        }
    }
}
