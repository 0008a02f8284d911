package io.github.afterresponse.it;

import static io.github.afterresponse.it.Await.await;
import static io.github.afterresponse.it.Deployment.TIMEOUT;
import static io.github.afterresponse.it.Deployment.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.ExchangeState;
import io.github.afterresponse.Outcome;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import io.github.afterresponse.testkit.RawConnection;
import io.github.afterresponse.testkit.RawHttpClient;
import io.github.afterresponse.testkit.RawResponse;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;

/**
 * What the client receives for the shapes a servlet can give its response: errors, redirects,
 * HEAD, bodies past the buffer, text in any charset, forwards, includes and the servlet's own
 * asynchronous processing. Where the container shapes the response itself, it must look as it
 * does without the filter.
 */
class ResponseShapesIT {

    /** Registers a task when asked to, and only behind the filter (the twin server has none). */
    private static void maybeTask(HttpServletRequest request) {
        if (request.getParameter("task") != null) {
            AfterResponse.find(request).ifPresent(exchange -> exchange.then(task -> { }));
        }
    }

    @EveryContainer
    void sendErrorGivesTheContainersErrorPageWithOrWithoutTasks(Container container) throws Exception {
        HeldTask held = new HeldTask();
        try (Deployment app = Deployment.on(container).servlet("/missing", (request, response) -> {
            // Through the stream: a writer would fix ISO-8859-1 on the bare container, and Tomcat
            // then renders the en dash of its error page as '?'; behind the filter it stays UTF-8.
            response.getOutputStream().print("partial output the error replaces");
            if (request.getParameter("task") != null) {
                AfterResponse.find(request).ifPresent(held::registerOn);
            }
            response.sendError(404, "no such campaign");
        }).start()) {
            int bare = app.startWithoutFilter().port();
            for (String path : new String[] {"/missing", "/missing?task=held"}) {
                RawResponse expected = RawHttpClient.get(bare, path);
                RawResponse actual = app.get(path); // keep-alive: the client waits for no close
                assertThat(actual.statusCode()).as(path).isEqualTo(404);
                assertThat(actual.bodyText(StandardCharsets.UTF_8)).as(path)
                        .isEqualTo(expected.bodyText(StandardCharsets.UTF_8))
                        .doesNotContain("partial output");
                assertThat(actual.header("Content-Type")).as(path).isEqualTo(expected.header("Content-Type"));
            }
            await(held.started, "the task");
            assertThat(held.isRunning()).as("the error page arrived while the task runs").isTrue();
            held.release.countDown();
            Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == 2);
            assertThat(app.completions).allSatisfy(c -> assertThat(c.outcome()).isEqualTo(Outcome.COMPLETED));
        }
    }

    @EveryContainer
    void sendRedirectGivesTheContainersRedirect(Container container) throws Exception {
        HeldTask held = new HeldTask();
        try (Deployment app = Deployment.on(container).servlet("/go", (request, response) -> {
            response.getWriter().print("dropped");
            if (request.getParameter("task") != null) {
                AfterResponse.find(request).ifPresent(held::registerOn);
            }
            response.sendRedirect("/campaigns/7");
        }).start()) {
            int bare = app.startWithoutFilter().port();
            for (String path : new String[] {"/go", "/go?task=held"}) {
                RawResponse expected = RawHttpClient.get(bare, path);
                RawResponse actual = app.get(path);
                assertThat(actual.statusCode()).as(path).isEqualTo(302);
                assertThat(actual.header("Location").orElseThrow().replace(":" + app.port(), ":PORT"))
                        .isEqualTo(expected.header("Location").orElseThrow().replace(":" + bare, ":PORT"))
                        .endsWith("/campaigns/7");
                assertThat(actual.body()).isEqualTo(expected.body());
            }
            await(held.started, "the task");
            assertThat(held.isRunning()).as("the redirect arrived while the task runs").isTrue();
            held.release.countDown();
            Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == 2);
        }
    }

    /** A plain HttpServlet: HEAD goes through HttpServlet.doHead to doGet. */
    static final class PageServlet extends HttpServlet {
        static final int SIZE = 5000;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            byte[] page = new byte[SIZE];
            Arrays.fill(page, (byte) 'p');
            response.getOutputStream().write(page);
            maybeTask(request);
        }
    }

    /** A servlet that answers HEAD itself: the length of a body it does not write. */
    static final class CountingHeadServlet extends HttpServlet {
        @Override
        protected void doHead(HttpServletRequest request, HttpServletResponse response) {
            response.setContentLength(1234);
            maybeTask(request);
        }
    }

    @EveryContainer
    void headKeepsTheLengthAndSendsNoBody(Container container) throws Exception {
        try (Deployment app = Deployment.on(container)
                .servlet("/page", PageServlet::new, true)
                .servlet("/counted", CountingHeadServlet::new, true)
                .start(); RawConnection connection = app.open()) {
            // Without tasks the connection stays open: stray body bytes would break the next response.
            RawResponse head = connection.send(request("HEAD", "/page")).readResponse(TIMEOUT, true);
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.contentLength()).hasValue(PageServlet.SIZE);
            RawResponse counted = connection.send(request("HEAD", "/counted")).readResponse(TIMEOUT, true);
            assertThat(counted.contentLength()).hasValue(1234);
            RawResponse get = connection.send(request("GET", "/page")).readResponse(TIMEOUT);
            assertThat(get.contentLength()).hasValue(PageServlet.SIZE);
            assertThat(get.body()).hasSize(PageServlet.SIZE);
        }
        try (Deployment app = Deployment.on(container).servlet("/page", PageServlet::new, true).start();
                RawConnection connection = app.open()) {
            RawResponse head = connection.send(request("HEAD", "/page?task=yes")).readResponse(TIMEOUT, true);
            assertThat(head.contentLength()).hasValue(PageServlet.SIZE);
            assertThat(head.header("Connection")).hasValue("close");
            assertThat(connection.awaitServerClose(TIMEOUT)).as("no body bytes before the close").isTrue();
        }
    }

    @EveryContainer
    void bodyWithinTheLimitIsSentWholeWithItsLength(Container container) throws Exception {
        byte[] body = pattern(1_000_000);
        try (Deployment app = Deployment.on(container).servlet("/big", (request, response) -> {
            ServletOutputStream out = response.getOutputStream();
            for (int offset = 0; offset < body.length; offset += 8192) {
                out.write(body, offset, Math.min(8192, body.length - offset));
            }
            AfterResponse.of(request).then(task -> { });
        }).start()) {
            RawResponse response = app.get("/big");
            assertThat(response.chunked()).isFalse();
            assertThat(response.contentLength()).hasValue(body.length);
            assertThat(response.body()).isEqualTo(body);
        }
    }

    @EveryContainer
    void bodyPastTheLimitIsStreamedWhileTheServletStillRuns(Container container) throws Exception {
        byte[] body = pattern(1024 * 1024 + 17);
        AtomicReference<ExchangeState> stateAfterWriting = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        try (Deployment app = Deployment.on(container, Map.of("buffer-limit", "64KiB"))
                .servlet("/stream", (request, response) -> {
                    AfterResponse exchange = AfterResponse.of(request);
                    exchange.then(task -> { }).onComplete(c -> done.countDown());
                    ServletOutputStream out = response.getOutputStream();
                    for (int offset = 0; offset < body.length; offset += 4096) {
                        out.write(body, offset, Math.min(4096, body.length - offset));
                    }
                    stateAfterWriting.set(exchange.state());
                }).start()) {
            RawResponse response = app.get("/stream");
            assertThat(response.chunked()).isTrue();
            assertThat(response.contentLength()).isEmpty();
            assertThat(response.header("Connection")).isNotEqualTo(java.util.Optional.of("close"));
            assertThat(response.body()).isEqualTo(body);
            await(done, "the task");
        }
        assertThat(stateAfterWriting.get()).isEqualTo(ExchangeState.STREAMING);
    }

    @EveryContainer
    void streamedBytesReachTheClientBeforeTheServletReturns(Container container) throws Exception {
        CountDownLatch clientSawBytes = new CountDownLatch(1);
        try (Deployment app = Deployment.on(container, Map.of("buffer-limit", "16KiB"))
                .servlet("/progress", (request, response) -> {
                    ServletOutputStream out = response.getOutputStream();
                    out.write(pattern(32 * 1024)); // past the limit: streamed from here on
                    out.flush();
                    Await.await(clientSawBytes, "the client to see the first bytes");
                    out.print("done");
                }).start();
                java.net.Socket socket = new java.net.Socket("127.0.0.1", app.port())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream().write(request("GET", "/progress").getBytes(StandardCharsets.US_ASCII));
            java.io.InputStream in = socket.getInputStream();
            byte[] chunk = new byte[8192];
            int received = 0;
            while (received < 16 * 1024) {
                int n = in.read(chunk);
                assertThat(n).as("bytes before the servlet returned").isPositive();
                received += n;
            }
            clientSawBytes.countDown();
        }
    }

    @EveryContainer
    void resetKeepsTheWriterTheServletHolds(Container container) throws Exception {
        try (Deployment app = Deployment.on(container).servlet("/retry", (request, response) -> {
            java.io.PrintWriter out = response.getWriter();
            out.print("half a page");
            response.reset();
            response.setStatus(503);
            out.print("error: try again");
            maybeTask(request);
        }).start()) {
            RawResponse response = app.get("/retry?task=yes");
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.bodyText(StandardCharsets.ISO_8859_1)).isEqualTo("error: try again");
            assertThat(response.contentLength()).hasValue(16);
        }
    }

    @EveryContainer
    void writerEncodesInTheResponseCharset(Container container) throws Exception {
        String text = "Grüße € 日本 ✉";
        try (Deployment app = Deployment.on(container).servlet("/text", (request, response) -> {
            String charset = request.getParameter("charset");
            response.setContentType("text/plain");
            if (charset != null) {
                response.setCharacterEncoding(charset);
            }
            response.getWriter().print(charset == null ? "café" : text);
            response.setCharacterEncoding("US-ASCII"); // too late: the writer has fixed its charset
            maybeTask(request);
        }).start()) {
            for (String charset : new String[] {"UTF-8", "UTF-16BE", "Shift_JIS"}) {
                RawResponse response = app.get("/text?task=yes&charset=" + charset);
                byte[] expected = text.getBytes(Charset.forName(charset));
                assertThat(response.header("Content-Type").orElseThrow()).as(charset)
                        .containsIgnoringCase("charset=" + charset);
                assertThat(response.contentLength()).as(charset).hasValue(expected.length);
                assertThat(response.body()).as(charset).isEqualTo(expected);
            }
            RawResponse latin = app.get("/text");
            assertThat(latin.header("Content-Type").orElseThrow()).containsIgnoringCase("charset=ISO-8859-1");
            assertThat(latin.body()).isEqualTo("café".getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    @EveryContainer
    void contentLengthComesFromTheBytesNotFromTheServletsClaim(Container container) throws Exception {
        try (Deployment app = Deployment.on(container).servlet("/claims", (request, response) -> {
            response.setContentLength(100);
            response.getWriter().print("short");
            maybeTask(request);
        }).start(); RawConnection connection = app.open()) {
            RawResponse response = connection.send(request("GET", "/claims?task=yes")).readResponse(TIMEOUT);
            assertThat(response.contentLength()).hasValue(5);
            assertThat(response.bodyText(StandardCharsets.US_ASCII)).isEqualTo("short");
            assertThat(connection.awaitServerClose(TIMEOUT)).isTrue();
        }
    }

    @EveryContainer
    void noContentHasNoBody(Container container) throws Exception {
        try (Deployment app = Deployment.on(container).servlet("/nothing", (request, response) -> {
            response.setStatus(204);
            response.getWriter().print("a body a 204 must not carry");
            maybeTask(request);
        }).start(); RawConnection connection = app.open()) {
            RawResponse response = connection.send(request("GET", "/nothing?task=yes")).readResponse(TIMEOUT);
            assertThat(response.statusCode()).isEqualTo(204);
            assertThat(response.contentLength()).isEmpty();
            assertThat(response.header("Connection")).hasValue("close");
            if (container == Container.UNDERTOW) {
                // Undertow 2.3 never closes after a 204, even for a servlet's own Connection: close
                // and without the filter; the client closes, as the header tells it. No byte may follow.
                assertThat(connection.awaitServerClose(Duration.ofMillis(500))).isFalse();
            } else {
                assertThat(connection.awaitServerClose(TIMEOUT)).isTrue();
            }
        }
    }

    @EveryContainer
    void forwardThroughTheRequestSendsTheTargetsOutput(Container container) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        try (Deployment app = Deployment.on(container)
                .servlet("/front", (request, response) -> {
                    response.getWriter().print("dropped by the forward, whose target sets its own charset");
                    AfterResponse.of(request).then(task -> { }).onComplete(c -> done.countDown());
                    request.setAttribute("campaign", "spring-sale");
                    request.getRequestDispatcher("/view").forward(request, response);
                })
                .servlet("/view", (request, response) -> {
                    response.setContentType("text/html;charset=UTF-8");
                    response.getWriter().print("<p>Sending " + request.getAttribute("campaign") + "…</p>");
                })
                .start()) {
            RawResponse response = app.get("/front");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.bodyText(StandardCharsets.UTF_8)).isEqualTo("<p>Sending spring-sale…</p>");
            await(done, "the task");
        }
    }

    @EveryContainer
    void forwardThroughTheServletContextSendsTheTargetsOutput(Container container) throws Exception {
        // Tomcat 11 suspends the real response under any wrapper when such a forward returns
        // (suspendWrappedResponseAfterForward): output held by the filter would be lost.
        assertForwardSendsTheTargetsOutput(container, request -> request.getServletContext().getRequestDispatcher("/view"));
    }

    @EveryContainer
    void forwardThroughANamedDispatcherSendsTheTargetsOutput(Container container) throws Exception {
        // A named dispatcher sets no forward attributes; the request's dispatcher type says FORWARD.
        assertForwardSendsTheTargetsOutput(container, request -> request.getServletContext().getNamedDispatcher("/view"));
    }

    private static void assertForwardSendsTheTargetsOutput(Container container,
            java.util.function.Function<HttpServletRequest, jakarta.servlet.RequestDispatcher> dispatcher)
            throws Exception {
        CountDownLatch done = new CountDownLatch(2);
        try (Deployment app = Deployment.on(container)
                .servlet("/front", (request, response) -> {
                    maybeTask(request);
                    AfterResponse.of(request).onComplete(c -> done.countDown());
                    dispatcher.apply(request).forward(request, response);
                })
                .servlet("/view", (request, response) -> {
                    response.setContentType("text/plain;charset=UTF-8");
                    response.getWriter().print("the view");
                })
                .start()) {
            for (String path : new String[] {"/front", "/front?task=yes"}) {
                RawResponse response = app.get(path);
                assertThat(response.statusCode()).as(path).isEqualTo(200);
                assertThat(response.bodyText(StandardCharsets.UTF_8)).as(path).isEqualTo("the view");
            }
            await(done, "both callbacks");
        }
    }

    @EveryContainer
    void includeIsBuffered(Container container) throws Exception {
        try (Deployment app = Deployment.on(container)
                .servlet("/page", (request, response) -> {
                    response.getWriter().print("[");
                    request.getRequestDispatcher("/fragment").include(request, response);
                    response.getWriter().print("]");
                    maybeTask(request);
                })
                .servlet("/fragment", (request, response) -> response.getWriter().print("fragment"))
                .start()) {
            RawResponse response = app.get("/page?task=yes");
            assertThat(response.bodyText(StandardCharsets.US_ASCII)).isEqualTo("[fragment]");
            assertThat(response.contentLength()).hasValue(10);
        }
    }

    @EveryContainer
    void servletsOwnAsyncProcessingPassesThrough(Container container) throws Exception {
        AtomicReference<Throwable> refusal = new AtomicReference<>();
        AtomicReference<String> seenByOwnListener = new AtomicReference<>();
        CountDownLatch asyncMayFinish = new CountDownLatch(1);
        try (Deployment app = Deployment.on(container).servlet("/async", (request, response) -> {
            response.getWriter().print("before ");
            AsyncContext async = request.startAsync(request, response);
            try {
                AfterResponse.of(request).then(task -> { });
            } catch (IllegalStateException e) {
                refusal.set(e);
            }
            async.addListener(new jakarta.servlet.AsyncListener() {
                @Override
                public void onComplete(jakarta.servlet.AsyncEvent event) {
                    // Frameworks' own listeners (Spring MVC's afterCompletion) still use the request.
                    seenByOwnListener.set(request.getRequestURI());
                }

                @Override
                public void onTimeout(jakarta.servlet.AsyncEvent event) { }

                @Override
                public void onError(jakarta.servlet.AsyncEvent event) { }

                @Override
                public void onStartAsync(jakarta.servlet.AsyncEvent event) { }
            });
            async.start(() -> {
                try {
                    Await.hold(asyncMayFinish);
                    async.getResponse().getWriter().print("after"); // the toolkit's wrapper, passing through
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                async.complete();
            });
        }).start(); RawConnection connection = app.open()) {
            connection.send(request("GET", "/async"));
            Awaitility.await().atMost(TIMEOUT).until(() -> refusal.get() != null);
            assertThat(app.completions).as("the exchange lasts as long as the servlet's async processing").isEmpty();
            asyncMayFinish.countDown();
            RawResponse response = connection.readResponse(TIMEOUT);
            assertThat(response.bodyText(StandardCharsets.US_ASCII)).isEqualTo("before after");
            Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == 1 && seenByOwnListener.get() != null);
            assertThat(app.completions.get(0).outcome()).isEqualTo(Outcome.COMPLETED);
        }
        assertThat(refusal.get()).hasMessageContaining("started its own asynchronous processing");
        assertThat(seenByOwnListener.get()).isEqualTo("/async");
    }

    @EveryContainer
    void asyncStartedWithTheWrappersAndDispatchedPassesThrough(Container container) throws Exception {
        // Frameworks (Spring MVC among them) call startAsync(request, response) with the objects
        // they were given, here the toolkit's wrappers, and often finish with a dispatch.
        try (Deployment app = Deployment.on(container).servlet("/deferred", (request, response) -> {
            if (request.getDispatcherType() == jakarta.servlet.DispatcherType.ASYNC) {
                response.getWriter().print("result " + request.getAttribute("result"));
                return;
            }
            AsyncContext async = request.startAsync(request, response);
            async.start(() -> {
                async.getRequest().setAttribute("result", 42);
                async.dispatch();
            });
        }).start()) {
            RawResponse response = app.get("/deferred");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.bodyText(StandardCharsets.US_ASCII)).isEqualTo("result 42");
            Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == 1);
            assertThat(app.completions.get(0).outcome()).isEqualTo(Outcome.COMPLETED);
        }
    }

    static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + (i >> 8));
        }
        return bytes;
    }
}
