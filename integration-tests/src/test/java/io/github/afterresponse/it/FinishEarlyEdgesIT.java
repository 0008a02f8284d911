package io.github.afterresponse.it;

import static io.github.afterresponse.it.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.AfterResponseFilter;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import io.github.afterresponse.testkit.RawConnection;
import io.github.afterresponse.testkit.RawResponse;
import io.github.afterresponse.testkit.RunningServer;
import io.github.afterresponse.testkit.WebApp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.web.filter.ShallowEtagHeaderFilter;

/**
 * {@code AfterResponse.finish()} on the paths a review found it breaking: a streamed body, a
 * client waiting for 100 Continue, the rest setting its own time limit, a buffering wrapper
 * inside the filter, container compression, the session. Each test failed on the first version.
 */
class FinishEarlyEdgesIT {

    /** A servlet that answers at once, to probe whether a connection still serves requests. */
    private static final Handler PING = (request, response) -> response.getWriter().print("pong");

    /**
     * The body outgrew the buffer limit, so it went out chunked before finish(): finish() ends the
     * body, but can no longer add Connection: close, so the kept-alive connection stays with the
     * rest of the servlet. That is named in one WARNING with the fix (raise buffer-limit).
     */
    @EveryContainer
    void afterTheBodyOutgrewTheBufferFinishEndsItAndWarnsThatTheConnectionStaysOpen(Container container)
            throws Exception {
        CountDownLatch finished = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Handler servlet = (request, response) -> {
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().print("x".repeat(8 * 1024)); // past the 1 KiB buffer limit: streamed
            AfterResponse.of(request).finish();
            finished.countDown();
            Await.hold(release); // the long work
        };
        try (LogCapture log = new LogCapture(); Deployment app = Deployment.on(container, Map.of("buffer-limit", "1KiB"))
                .servlet("/export", servlet).start()) {
            try (RawConnection connection = app.open()) {
                RawResponse first = connection.send(Deployment.request("GET", "/export"))
                        .readResponse(Deployment.TIMEOUT);
                assertThat(first.body()).as("the whole chunked body while the rest runs").hasSize(8 * 1024);
                await(finished, "the servlet past finish()");
                // The headers left without Connection: close, which can no longer be added.
                assertThat(log.warningsContaining("Raise buffer-limit")).singleElement().asString()
                        .contains("/export").contains("1024 bytes");
            } finally {
                release.countDown();
            }
        } finally {
            release.countDown();
        }
    }

    /**
     * A client that sent Expect: 100-continue: finish() closes its connection all the same (the
     * normal path leaves Connection: close out, since its request thread is given back at once),
     * so the client's next request does not wait for the rest of the servlet.
     */
    @EveryContainer
    void withExpectContinueTheNextRequestOnTheConnectionIsNotHeldByTheRest(Container container) throws Exception {
        CountDownLatch finished = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Handler servlet = (request, response) -> {
            response.getWriter().print("accepted");
            AfterResponse.of(request).finish();
            finished.countDown();
            Await.hold(release);
        };
        try (Deployment app = Deployment.on(container).servlet("/upload", servlet).servlet("/ping", PING).start()) {
            String second;
            try (RawConnection connection = app.open()) {
                connection.send("POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                        + "Content-Length: 4\r\nExpect: 100-continue\r\n\r\n");
                RawResponse first = connection.readResponse(Deployment.TIMEOUT);
                if (first.statusCode() == 100) {
                    // Tomcat answers 100 at once, and the client then sends the body it announced;
                    // Jetty and Undertow wait for a read, which nobody makes.
                    connection.send("abcd");
                    first = connection.readResponse(Deployment.TIMEOUT);
                }
                assertThat(first.bodyText(StandardCharsets.UTF_8)).isEqualTo("accepted");
                await(finished, "the servlet past finish()");
                second = nextRequestOnTheConnection(connection, first);
            } finally {
                release.countDown();
            }
            assertThat(second).as("the next request on the connection, while the rest of the servlet runs")
                    .isEqualTo("closed");
        } finally {
            release.countDown();
        }
    }

    /**
     * After finish() the servlet is still running, and its rest can set its own time limit, as
     * PHP's {@code set_time_limit()} after {@code fastcgi_finish_request()}.
     */
    @EveryContainer
    void theRestCanSetItsOwnTimeLimit(Container container) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<String> seen = new AtomicReference<>();
        Handler servlet = (request, response) -> {
            AfterResponse exchange = AfterResponse.of(request).onComplete(c -> done.countDown());
            response.getWriter().print("export started");
            exchange.finish();
            try {
                exchange.timeLimit(Duration.ofMinutes(30)); // this export is a long one
                seen.set("set");
            } catch (IllegalStateException e) {
                seen.set(e.getMessage());
            }
        };
        try (Deployment app = Deployment.on(container, Map.of("time-limit", "1m")).servlet("/export", servlet).start()) {
            assertThat(app.get("/export").statusCode()).isEqualTo(200);
            await(done, "the callback");
            assertThat(seen.get()).as("timeLimit() called by the rest of the servlet, after finish()").isEqualTo("set");
        }
    }

    /**
     * A buffering wrapper inside the filter (Spring's ShallowEtagHeaderFilter, which copies the
     * body out when the chain returns): finish() can only send what has reached the filter,
     * nothing, with Content-Length: 0; the body arrives when the servlet returns and is dropped.
     * One WARNING counts what was dropped and names the likely cause.
     */
    @EveryContainer
    void finishBehindAnInnerBufferingWrapperSendsWhatReachedItAndNamesTheCause(Container container) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        Handler servlet = (request, response) -> {
            AfterResponse exchange = AfterResponse.of(request).onComplete(c -> done.countDown());
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().print("export started");
            exchange.finish();
        };
        WebApp app = WebApp.create()
                .filter(Deployment.FILTER_NAME, new AfterResponseFilter(), Map.of(), true, "/*")
                .filter("etag", new ShallowEtagHeaderFilter(), Map.of(), true, "/*")
                .servlet("export", servlet.servlet(), true, "/export");
        try (LogCapture log = new LogCapture(); RunningServer server = container.start(app);
                RawConnection connection = RawConnection.open(server.port())) {
            RawResponse response = connection.send(Deployment.request("GET", "/export")).readResponse(Deployment.TIMEOUT);
            await(done, "the callback");
            // The wrapper held "export started" and let it go when the servlet returned: too late.
            assertThat(response.contentLength()).hasValue(0);
            assertThat(log.warningsContaining("after finish(), which were dropped")).singleElement().asString()
                    .contains("wrote 14 bytes").contains("ShallowEtagHeaderFilter");
        }
    }

    /**
     * Container compression with finish(): Jetty and Undertow deliver the whole gzip body while the
     * rest runs. On Tomcat compression drops the Content-Length, Connection: close makes Tomcat end
     * the body with the close, and it closes only when the request thread returns: one WARNING
     * names that, and the body arrives once the rest has ended.
     */
    @EveryContainer
    void withContainerCompressionTheClientHasTheWholeBodyWhileTheRestRunsExceptOnTomcatWhichIsNamed(
            Container container) throws Exception {
        CountDownLatch finished = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        String body = "Sending the spring campaign to 10,000 customers.\n".repeat(100);
        Handler servlet = (request, response) -> {
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().print(body);
            AfterResponse.of(request).finish();
            finished.countDown();
            Await.hold(release);
        };
        Deployment app = Deployment.on(container).servlet("/report", servlet);
        app.app.gzip();
        try (LogCapture log = new LogCapture(); app; RawConnection connection = app.start().open()) {
            connection.send(Deployment.request("GET", "/report", "Accept-Encoding: gzip"));
            await(finished, "the servlet past finish()");
            if (container == Container.TOMCAT) {
                // Compression dropped the Content-Length, and with Connection: close Tomcat ends the
                // body with the close, which it makes when the request thread returns.
                assertThat(log.warningsContaining("Tomcat compressed the response")).singleElement().asString()
                        .contains("/report").contains("compressibleMimeType");
                release.countDown();
            }
            RawResponse response = connection.readResponse(Deployment.TIMEOUT);
            assertThat(release.getCount() == 1 || container == Container.TOMCAT)
                    .as("the body arrived while the rest runs").isTrue();
            assertThat(response.header("Content-Encoding")).hasValue("gzip");
            assertThat(GzipIT.gunzip(response.body())).isEqualTo(body);
            if (container != Container.TOMCAT) {
                assertThat(log.warningsContaining("compressed")).isEmpty();
            }
            release.countDown();
        } finally {
            release.countDown();
        }
    }

    /**
     * A session that existed before finish() stays usable until the servlet returns; every
     * container refuses to create one once the response is committed, as the contract says.
     */
    @EveryContainer
    void theRestUsesASessionCreatedBeforeFinishButCannotCreateOne(Container container) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        Handler servlet = (request, response) -> {
            AfterResponse exchange = AfterResponse.of(request).onComplete(c -> done.countDown());
            if (request.getParameter("early") != null) {
                request.getSession(true);
            }
            response.getWriter().print("export started");
            exchange.finish();
            try {
                request.getSession(true).setAttribute("export", "running");
                seen.add("used");
            } catch (IllegalStateException e) {
                seen.add("refused"); // every container: no new session once the response is committed
            }
        };
        try (Deployment app = Deployment.on(container).servlet("/export", servlet).start()) {
            assertThat(app.get("/export?early=1").header("Set-Cookie")).isPresent();
            // The client has its answer before the rest of the servlet ran: wait for it, so that the
            // second request's rest cannot come first.
            org.awaitility.Awaitility.await().atMost(Deployment.TIMEOUT).until(() -> seen.size() == 1);
            assertThat(app.get("/export").header("Set-Cookie")).isEmpty();
            await(done, "the callbacks");
            org.awaitility.Awaitility.await().atMost(Deployment.TIMEOUT).until(() -> seen.size() == 2);
            assertThat(seen).containsExactly("used", "refused");
        }
    }

    /**
     * What the client's next request on the same connection gets while the rest still runs:
     * "pong", or "closed" when the server closed the connection or announced it would.
     */
    private static String nextRequestOnTheConnection(RawConnection connection, RawResponse first)
            throws IOException {
        if (connection.serverClosed() || first.header("Connection").orElse("").equalsIgnoreCase("close")) {
            return "closed";
        }
        try {
            return connection.send(Deployment.request("GET", "/ping"))
                    .readResponse(Duration.ofSeconds(3)).bodyText(StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "no answer while the rest runs (" + e + ")";
        }
    }
}
