package io.github.afterresponse.it;

import static io.github.afterresponse.it.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.Completion;
import io.github.afterresponse.ConnectionStatus;
import io.github.afterresponse.ExchangeState;
import io.github.afterresponse.Outcome;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import io.github.afterresponse.testkit.EveryH2cContainer;
import io.github.afterresponse.testkit.H2cClient;
import io.github.afterresponse.testkit.H2cResponse;
import io.github.afterresponse.testkit.RawConnection;
import io.github.afterresponse.testkit.RawResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The finish-early style ({@code fastcgi_finish_request()}): {@link AfterResponse#finish()} sends
 * and ends the response, and the rest of the servlet method runs afterwards, on the same request
 * thread, as the exchange's background work: same states, status, time limit, admission and
 * callbacks as tasks.
 */
class FinishEarlyIT {

    /** What the servlet saw after finish(), and how the exchange ended. */
    static final class Rest {
        final CountDownLatch finished = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicReference<Completion> completion = new AtomicReference<>();
        final AtomicReference<ExchangeState> stateAfterFinish = new AtomicReference<>();
        final AtomicReference<String> parameterAfterFinish = new AtomicReference<>();
        final AtomicReference<Boolean> committedAfterFinish = new AtomicReference<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        final List<String> refused = new CopyOnWriteArrayList<>();

        /** Records what the call threw, or that it did not. */
        void attempt(String what, ThrowingRunnable call) {
            try {
                call.run();
                refused.add(what + " allowed");
            } catch (IllegalStateException e) {
                refused.add(what + " refused");
            } catch (Exception e) {
                refused.add(what + " threw " + e);
            }
        }

        interface ThrowingRunnable {
            void run() throws Exception;
        }

        /** Writes, finishes, then holds the request thread until released. */
        Handler servlet() {
            return (request, response) -> {
                threads.add("servlet " + Thread.currentThread().getName());
                AfterResponse exchange = AfterResponse.of(request)
                        .then(task -> threads.add("task " + Thread.currentThread().getName()))
                        .onComplete(done -> {
                            completion.set(done);
                            this.done.countDown();
                        });
                response.setContentType("text/plain;charset=UTF-8");
                response.getWriter().print("export started");
                exchange.finish();
                stateAfterFinish.set(exchange.state());
                committedAfterFinish.set(response.isCommitted());
                parameterAfterFinish.set(request.getParameter("campaign"));
                response.getWriter().print(" LATE"); // dropped, as PHP drops output after fastcgi_finish_request()
                response.setHeader("X-Late", "dropped");
                attempt("then", () -> exchange.then(task -> { }));
                attempt("finish", exchange::finish);
                attempt("sendError", () -> response.sendError(500));
                attempt("startAsync", request::startAsync);
                attempt("onComplete", () -> exchange.onComplete(done -> { }));
                finished.countDown();
                Await.hold(release);
                threads.add("rest " + Thread.currentThread().getName());
            };
        }
    }

    @EveryContainer
    void theClientHasTheWholeResponseWhileTheRestOfTheServletRuns(Container container) throws Exception {
        Rest rest = new Rest();
        try (Deployment app = Deployment.on(container).servlet("/export", rest.servlet()).start();
                RawConnection connection = app.open()) {
            RawResponse response = connection.send(Deployment.request("GET", "/export?campaign=spring"))
                    .readResponse(Deployment.TIMEOUT);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.bodyText(StandardCharsets.UTF_8)).isEqualTo("export started");
            assertThat(response.contentLength()).hasValue(14);
            assertThat(response.header("Connection")).hasValue("close");
            assertThat(response.header("X-Late")).isEmpty();
            await(rest.finished, "the servlet past finish()");
            assertThat(rest.done.getCount()).as("the rest of the servlet still runs").isEqualTo(1);
            assertThat(rest.stateAfterFinish.get()).isEqualTo(ExchangeState.RUNNING);
            assertThat(rest.committedAfterFinish.get()).isTrue();
            assertThat(rest.parameterAfterFinish.get()).as("the request stays usable until the servlet returns")
                    .isEqualTo("spring");
            assertThat(app.monitor().running()).isEqualTo(1);
            if (container != Container.TOMCAT) {
                // Tomcat closes the connection only when the request thread returns (containers.md note 31).
                assertThat(connection.awaitServerClose(Deployment.TIMEOUT)).as("closed while the rest runs").isTrue();
            }
            assertThat(rest.refused).containsExactly("then refused", "finish refused", "sendError refused",
                    "startAsync refused", "onComplete allowed");

            rest.release.countDown();
            await(rest.done, "the callback");
            assertThat(connection.awaitServerClose(Deployment.TIMEOUT)).as("closed once the servlet returned").isTrue();
            Completion done = rest.completion.get();
            assertThat(done.outcome()).isEqualTo(Outcome.COMPLETED);
            assertThat(done.status()).isEqualTo(ConnectionStatus.NORMAL);
            String thread = rest.threads.get(0).substring("servlet ".length());
            assertThat(rest.threads).as("the rest, then the tasks registered before finish(), on the request thread")
                    .containsExactly("servlet " + thread, "rest " + thread, "task " + thread);
        } finally {
            rest.release.countDown();
        }
    }

    @EveryContainer
    void aServletThatDoesNotSupportAsyncFinishesAsWell(Container container) throws Exception {
        Rest rest = new Rest();
        try (Deployment app = Deployment.on(container).blockingServlet("/legacy", rest.servlet()).start()) {
            RawResponse response = app.get("/legacy");
            assertThat(response.bodyText(StandardCharsets.UTF_8)).isEqualTo("export started");
            assertThat(response.contentLength()).hasValue(14);
            await(rest.finished, "the servlet past finish()");
            rest.release.countDown();
            await(rest.done, "the callback");
            assertThat(rest.completion.get().outcome()).isEqualTo(Outcome.COMPLETED);
        } finally {
            rest.release.countDown();
        }
    }

    @EveryH2cContainer
    void overHttp2TheStreamEndsWhileTheRestRuns(Container container) throws Exception {
        Rest rest = new Rest();
        try (Deployment app = Deployment.on(container).servlet("/export", rest.servlet()).start()) {
            H2cResponse response = H2cClient.get(app.port(), "/export");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.bodyText(StandardCharsets.UTF_8)).isEqualTo("export started");
            assertThat(response.header("connection")).isEmpty();
            assertThat(rest.done.getCount()).as("the rest of the servlet still runs").isEqualTo(1);
            rest.release.countDown();
            await(rest.done, "the callback");
            assertThat(rest.completion.get().outcome()).isEqualTo(Outcome.COMPLETED);
        } finally {
            rest.release.countDown();
        }
    }

    @EveryContainer
    void theTimeLimitInterruptsTheRest(Container container) throws Exception {
        Rest rest = new Rest();
        AtomicReference<Boolean> interrupted = new AtomicReference<>();
        Handler servlet = (request, response) -> {
            AfterResponse exchange = AfterResponse.of(request).timeLimit(Duration.ofMillis(200))
                    .onComplete(done -> {
                        rest.completion.set(done);
                        rest.done.countDown();
                    });
            response.getWriter().print("limited");
            exchange.finish();
            try {
                Thread.sleep(30_000); // the work, cut short by the limit
                interrupted.set(false);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        };
        try (Deployment app = Deployment.on(container).servlet("/limited", servlet).start()) {
            assertThat(app.get("/limited").bodyText(StandardCharsets.UTF_8)).isEqualTo("limited");
            await(rest.done, "the callback of the work cut short");
            assertThat(interrupted.get()).isTrue();
            assertThat(rest.completion.get().outcome()).isEqualTo(Outcome.CANCELLED);
            assertThat(rest.completion.get().status()).isEqualTo(ConnectionStatus.TIMEOUT);
        }
    }

    @EveryContainer
    void anExceptionAfterFinishEndsTheExchangeFailedAndTheClientKeepsItsAnswer(Container container) throws Exception {
        Rest rest = new Rest();
        Handler servlet = (request, response) -> {
            AfterResponse exchange = AfterResponse.of(request).onComplete(done -> {
                rest.completion.set(done);
                rest.done.countDown();
            });
            response.getWriter().print("accepted");
            exchange.finish();
            throw new IllegalStateException("the mail server refused");
        };
        try (Deployment app = Deployment.on(container).servlet("/fails", servlet).start();
                RawConnection connection = app.open()) {
            RawResponse response = connection.send(Deployment.request("GET", "/fails")).readResponse(Deployment.TIMEOUT);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.bodyText(StandardCharsets.UTF_8)).isEqualTo("accepted");
            await(rest.done, "the callback");
            assertThat(rest.completion.get().outcome()).isEqualTo(Outcome.FAILED);
            assertThat(rest.completion.get().failure()).get().extracting(Throwable::getMessage)
                    .isEqualTo("the mail server refused");
            assertThat(connection.awaitServerClose(Deployment.TIMEOUT)).as("nothing more on the connection").isTrue();
        }
    }

    @EveryContainer
    void theRestHoldsItsAdmissionPlace(Container container) throws Exception {
        Rest rest = new Rest();
        Map<String, String> full = Map.of("max-running", "1", "queue-capacity", "0");
        try (Deployment app = Deployment.on(container, full).servlet("/export", rest.servlet()).start()) {
            assertThat(app.get("/export").statusCode()).isEqualTo(200);
            await(rest.finished, "the servlet past finish()");
            assertThat(app.get("/export").statusCode()).as("while the rest runs, its place is taken").isEqualTo(503);
            rest.release.countDown();
            await(rest.done, "the callback");
            org.awaitility.Awaitility.await().atMost(Deployment.TIMEOUT).until(() -> app.monitor().running() == 0);
        } finally {
            rest.release.countDown();
        }
    }

    @EveryContainer
    void theDocumentedExportServletAnswersBeforeItExports(Container container) throws Exception {
        CountDownLatch exporting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> exported = new CopyOnWriteArrayList<>();
        ExportServlet servlet = new ExportServlet(table -> {
            exporting.countDown();
            try {
                Await.hold(release);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("export interrupted");
            }
            exported.add(table);
        });
        try (Deployment app = Deployment.on(container).servlet("/export", () -> servlet, false).start();
                RawConnection connection = app.open()) {
            RawResponse response = connection.send(form("/export", "table=customers")).readResponse(Deployment.TIMEOUT);
            assertThat(response.bodyText(StandardCharsets.UTF_8))
                    .isEqualTo("Exporting customers; a mail follows when it is ready.\n");
            await(exporting, "the export");
            assertThat(exported).as("still exporting when the client has its answer").isEmpty();
            release.countDown();
            org.awaitility.Awaitility.await().atMost(Deployment.TIMEOUT).until(() -> app.completions.size() == 1);
            assertThat(app.completions.get(0).outcome()).isEqualTo(Outcome.COMPLETED);
            assertThat(exported).containsExactly("customers");
        } finally {
            release.countDown();
        }
    }

    @EveryContainer
    void aStopInterruptsTheRestAfterTheGraceAndItsCallbacksRun(Container container) throws Exception {
        Rest rest = new Rest();
        AtomicReference<String> interruptedBy = new AtomicReference<>();
        Handler servlet = (request, response) -> {
            AfterResponse exchange = AfterResponse.of(request).onComplete(done -> {
                rest.completion.set(done);
                rest.done.countDown();
            });
            response.getWriter().print("export started");
            exchange.finish();
            rest.finished.countDown();
            try {
                Thread.sleep(60_000); // the work, still running when the application stops
            } catch (InterruptedException e) {
                interruptedBy.set(String.valueOf(exchange.status()));
            }
        };
        Deployment app = Deployment.on(container, Map.of("shutdown-grace", "200ms")).servlet("/export", servlet);
        try (app) {
            app.start();
            assertThat(app.get("/export").bodyText(StandardCharsets.UTF_8)).isEqualTo("export started");
            await(rest.finished, "the servlet past finish()");
            app.stop();
        }
        await(rest.done, "the callback");
        assertThat(interruptedBy.get()).as("the rest was interrupted").isNotNull();
        assertThat(rest.completion.get().outcome()).isEqualTo(Outcome.SHUT_DOWN);
        assertThat(app.completions).singleElement().satisfies(c -> assertThat(c.outcome()).isEqualTo(Outcome.SHUT_DOWN));
    }

    /** A form POST, as a browser sends it. */
    static String form(String path, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }
}
