package io.github.afterresponse.it;

import static io.github.afterresponse.it.Await.await;
import static io.github.afterresponse.it.Deployment.TIMEOUT;
import static io.github.afterresponse.it.Deployment.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.Completion;
import io.github.afterresponse.ConnectionStatus;
import io.github.afterresponse.ExchangeState;
import io.github.afterresponse.Outcome;
import io.github.afterresponse.RequestSnapshot;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import io.github.afterresponse.testkit.EveryH2cContainer;
import io.github.afterresponse.testkit.H2cClient;
import io.github.afterresponse.testkit.H2cResponse;
import io.github.afterresponse.testkit.RawConnection;
import io.github.afterresponse.testkit.RawResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/** The client has its whole response while the background work is still running. */
class RespondEarlyIT {

    private static final String BODY = "Queued 3 mails for campaign spring-sale.\n";

    @EveryContainer
    void clientHasTheWholeResponseAndTheConnectionClosesWhileTheTaskRuns(Container container) throws Exception {
        CountDownLatch dispatchReturned = new CountDownLatch(1);
        // The task waits for the request thread to leave the filter chain: it would never come
        // if the task held that thread.
        HeldTask held = new HeldTask(dispatchReturned);
        try (Deployment app = Deployment.on(container).before((request, response, chain) -> {
            chain.doFilter(request, response);
            dispatchReturned.countDown();
        }).servlet("/send", (request, response) -> {
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().print(BODY);
            held.registerOn(AfterResponse.of(request));
        }).start(); RawConnection connection = app.open()) {

            RawResponse response = connection.send(request("GET", "/send")).readResponse(TIMEOUT);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.bodyText(StandardCharsets.UTF_8)).isEqualTo(BODY);
            assertThat(response.contentLength()).hasValue(BODY.getBytes(StandardCharsets.UTF_8).length);
            assertThat(response.chunked()).isFalse();
            assertThat(response.header("Connection")).hasValue("close");
            await(held.started, "the task to start");
            assertThat(connection.awaitServerClose(TIMEOUT))
                    .as("the server closes the connection while the task still runs").isTrue();
            assertThat(held.isRunning()).isTrue();

            held.release.countDown();
            await(held.done, "the callback");
        }
        Completion c = held.completion.get();
        assertThat(c.outcome()).isEqualTo(Outcome.COMPLETED);
        assertThat(c.status()).isEqualTo(ConnectionStatus.NORMAL);
        assertThat(c.failure()).isEmpty();
        assertThat(c.respondedAt()).isPresent();
        assertThat(c.acceptedAt()).isBeforeOrEqualTo(c.respondedAt().orElseThrow());
        assertThat(c.respondedAt().orElseThrow()).isBeforeOrEqualTo(c.finishedAt());
    }

    @EveryContainer
    void servletWithoutAsyncSupportStillAnswersBeforeItsTaskEnds(Container container) throws Exception {
        HeldTask held = new HeldTask();
        try (Deployment app = Deployment.on(container).blockingServlet("/send", (request, response) -> {
            response.getOutputStream().print("accepted");
            held.registerOn(AfterResponse.of(request));
        }).start(); RawConnection connection = app.open()) {

            RawResponse response = connection.send(request("GET", "/send")).readResponse(TIMEOUT);

            assertThat(response.bodyText(StandardCharsets.US_ASCII)).isEqualTo("accepted");
            assertThat(response.contentLength()).hasValue(8);
            assertThat(response.header("Connection")).hasValue("close");
            await(held.started, "the task to start");
            assertThat(held.isRunning()).isTrue();
            // Tomcat and Undertow keep such a connection until the request thread returns (DESIGN
            // fact 4); the client relies on Content-Length, which the read above proved complete.
            held.release.countDown();
            await(held.done, "the callback");
            assertThat(connection.awaitServerClose(TIMEOUT)).isTrue();
        }
        assertThat(held.completion.get().outcome()).isEqualTo(Outcome.COMPLETED);
    }

    @EveryContainer
    void streamedResponseOfAServletWithoutAsyncSupportEndsBeforeItsTask(Container container) throws Exception {
        byte[] body = ResponseShapesIT.pattern(4096);
        HeldTask held = new HeldTask();
        try (Deployment app = Deployment.on(container, java.util.Map.of("buffer-limit", "1KiB"))
                .blockingServlet("/export", (request, response) -> {
                    held.registerOn(AfterResponse.of(request));
                    response.getOutputStream().write(body);
                }).start(); RawConnection connection = app.open()) {

            RawResponse response = connection.send(request("GET", "/export")).readResponse(TIMEOUT);

            // Chunked, not ended by a close: a close would wait for the request thread (Tomcat).
            assertThat(response.chunked()).isTrue();
            assertThat(response.body()).isEqualTo(body);
            await(held.started, "the task to start");
            assertThat(held.isRunning()).isTrue();
            held.release.countDown();
            await(held.done, "the callback");
        }
    }

    @EveryContainer
    void tasksRunInRegistrationOrderAfterTheServletReturned(Container container) throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        try (Deployment app = Deployment.on(container).servlet("/order", (request, response) -> {
            AfterResponse exchange = AfterResponse.of(request);
            exchange.then(task -> events.add("first " + exchange.state()))
                    .then(task -> events.add("second"))
                    .then(task -> events.add("third"))
                    .onComplete(c -> {
                        events.add("callback " + exchange.state());
                        done.countDown();
                    });
            events.add("servlet returns in " + exchange.state());
        }).start()) {
            assertThat(app.get("/order").statusCode()).isEqualTo(200);
            await(done, "the callback");
        }
        assertThat(events).containsExactly(
                "servlet returns in FOREGROUND", "first RUNNING", "second", "third", "callback DONE");
    }

    @EveryContainer
    void requestWithoutTasksIsOnlyBufferedAndKeepsItsConnection(Container container) throws Exception {
        try (Deployment app = Deployment.on(container).servlet("/plain", (request, response) -> {
            response.setContentType("text/plain");
            response.getWriter().print("hello ");
            response.flushBuffer(); // would commit and chunk the response without the filter
            response.getWriter().print("world");
        }).start(); RawConnection connection = app.open()) {
            for (int i = 0; i < 2; i++) {
                RawResponse response = connection.send(request("GET", "/plain")).readResponse(TIMEOUT);
                assertThat(response.bodyText(StandardCharsets.US_ASCII)).isEqualTo("hello world");
                assertThat(response.contentLength()).hasValue(11);
                assertThat(response.header("Connection")).isNotEqualTo(java.util.Optional.of("close"));
            }
            org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == 2);
            assertThat(app.completions).allSatisfy(c -> assertThat(c.outcome()).isEqualTo(Outcome.COMPLETED));
        }
    }

    @EveryH2cContainer
    void http2ResponseCarriesNoConnectionHeader(Container container) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<RequestSnapshot> seen = new AtomicReference<>();
        try (Deployment app = Deployment.on(container).servlet("/h2", (request, response) -> {
            response.getWriter().print("over h2");
            AfterResponse.of(request).then(task -> seen.set(task.request())).onComplete(c -> done.countDown());
        }).start()) {

            H2cResponse response = H2cClient.get(app.port(), "/h2"); // throws if "connection" is sent

            assertThat(response.protocol()).isEqualTo("HTTP/2.0");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.bodyText(StandardCharsets.ISO_8859_1)).isEqualTo("over h2");
            assertThat(response.headers("connection")).isEmpty();
            assertThat(response.header("content-length")).hasValue("7");
            await(done, "the task");
        }
        assertThat(seen.get().protocol()).isEqualTo("HTTP/2.0");
    }

    @EveryContainer
    void connectionCloseCanBeSwitchedOff(Container container) throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch both = new CountDownLatch(2);
        try (Deployment app = Deployment.on(container, java.util.Map.of("connection-close", "false"))
                .servlet("/keep", (request, response) -> {
                    response.getWriter().print("kept");
                    AfterResponse.of(request).then(task -> {
                        first.countDown();
                        both.countDown();
                    });
                }).start(); RawConnection connection = app.open()) {
            RawResponse response = connection.send(request("GET", "/keep")).readResponse(TIMEOUT);
            assertThat(response.header("Connection")).isNotEqualTo(java.util.Optional.of("close"));
            await(first, "the first task");
            response = connection.send(request("GET", "/keep")).readResponse(TIMEOUT);
            assertThat(response.bodyText(StandardCharsets.US_ASCII)).isEqualTo("kept");
            await(both, "the second task");
        }
    }

    @EveryContainer
    void stateIsVisibleToTheServlet(Container container) throws Exception {
        AtomicReference<ExchangeState> state = new AtomicReference<>();
        try (Deployment app = Deployment.on(container).servlet("/state", (request, response) ->
                state.set(AfterResponse.of(request).state())).start()) {
            app.get("/state");
        }
        assertThat(state.get()).isEqualTo(ExchangeState.FOREGROUND);
    }
}
