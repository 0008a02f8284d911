package io.github.afterresponse.it;

import static io.github.afterresponse.it.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.AfterResponseInitializer;
import io.github.afterresponse.ContinueAfterResponse;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import io.github.afterresponse.testkit.EveryH2cContainer;
import io.github.afterresponse.testkit.H2cClient;
import io.github.afterresponse.testkit.RawConnection;
import io.github.afterresponse.testkit.RawResponse;
import io.github.afterresponse.testkit.RunningServer;
import io.github.afterresponse.testkit.WebApp;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * finish() on an upload nobody reads, the annotation opt-in for servlets mapped to "/" and to the
 * context root, and the streamed-before-finish() warning over HTTP/2: each failed on the first
 * fixes of a review, and the control shows the tests themselves are sound.
 */
class FinishAndOptInEdgesIT {

    /**
     * finish() now forces Connection: close on HTTP/1.x even when the client sent
     * Expect: 100-continue and the servlet never touched the body, so the drain before the close
     * runs: reading the body makes Jetty and Undertow send 100 Continue (Tomcat sent it already),
     * and then blocks the request thread, and the response, until the client has uploaded the
     * whole body (up to 2 MiB), or the container's read timeout (Jetty 30 s, Tomcat 60 s, Undertow
     * none). ExpectContinueIT.aRejectedUploadIsAnsweredWithoutWaitingForItsBody holds the filter to
     * "the answer must not wait for a body nobody wants"; finish() breaks it. A client waiting for
     * 100 that never comes has not sent the body, so closing without the drain sends no RST.
     */
    @EveryContainer
    void finishOnAnUploadNobodyReadsAnswersWithoutWaitingForItsBody(Container container) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Deployment app = Deployment.on(container).servlet("/upload", (request, response) -> {
            response.setStatus(413);
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().print("too large");
            AfterResponse.of(request).finish(); // then audit the refusal, on this thread
            Await.hold(release);
        }).start()) {
            List<String> statuses;
            try {
                statuses = ExpectContinueIT.statusesWithoutSendingTheBody(app.port(), "/upload");
            } finally {
                release.countDown();
            }
            assertThat(statuses).as("%s: the 413 finish() sent, without waiting for the 1 MiB body (received %s)",
                    container, statuses).last().isEqualTo("413");
        } finally {
            release.countDown();
        }
    }

    /**
     * Annotated, and without asynchronous support (a legacy servlet): its task runs on the request
     * thread after the response was sent, so a wrapper outside the filter holds the response until
     * the task ends.
     */
    @ContinueAfterResponse
    static final class BlockingReportServlet extends HttpServlet {
        final HeldTask task = new HeldTask();

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            task.registerOn(AfterResponse.of(request));
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().print("report queued");
        }
    }

    /**
     * The initializer maps its filter to the annotated servlets' URL patterns so that no wrapper
     * the application maps by URL sits outside it. For a servlet mapped to "/" (the default
     * servlet, a front controller's usual mapping) the filter url-pattern "/" matches the path "/"
     * only, on all three containers (Tomcat's ApplicationFilterFactory: "Case 4 - Default Match ...
     * Not relevant for selecting filters"): /reports/q3 is filtered by servlet name only, after the
     * application's ShallowEtagHeaderFilter, which holds the body until the work on the request
     * thread has ended (and, with finish(), until the rest of the servlet has returned).
     */
    @EveryContainer
    void anAnnotatedDefaultServletStillHasTheFilterOutsideTheApplicationsUrlMappedWrapper(Container container)
            throws Exception {
        assertThat(answerWhileTheTaskRuns(container, "/", "/reports/q3")).isEqualTo("report queued");
    }

    /** The same servlet mapped to "" (the context root only). */
    @EveryContainer
    void anAnnotatedContextRootServletStillHasTheFilterOutsideTheApplicationsUrlMappedWrapper(Container container)
            throws Exception {
        assertThat(answerWhileTheTaskRuns(container, "", "/")).isEqualTo("report queued");
    }

    /** The control: mapped by path prefix, the added filter is outermost (passes on every container). */
    @EveryContainer
    void controlAnAnnotatedPathServletHasTheFilterOutsideTheApplicationsUrlMappedWrapper(Container container)
            throws Exception {
        assertThat(answerWhileTheTaskRuns(container, "/reports/*", "/reports/q3")).isEqualTo("report queued");
    }

    /**
     * The annotated blocking servlet, mapped to {@code mapping}, behind the initializer's filter and
     * the application's ShallowEtagHeaderFilter on /*: what the client has read while the task
     * still runs, or why it has nothing.
     */
    private static String answerWhileTheTaskRuns(Container container, String mapping, String path) throws Exception {
        BlockingReportServlet servlet = new BlockingReportServlet();
        WebApp app = WebApp.create()
                .initializer(AfterResponseInitializer.class)
                .filter("etag", new org.springframework.web.filter.ShallowEtagHeaderFilter(), Map.of(), true, "/*")
                .servlet("reports", servlet, false, mapping);
        try (LogCapture log = new LogCapture(); RunningServer server = container.start(app);
                RawConnection connection = RawConnection.open(server.port())) {
            try {
                connection.send(Deployment.request("GET", path));
                await(servlet.task.started, "the task");
                RawResponse response = connection.readResponse(Duration.ofSeconds(5));
                List<String> held = log.warningsContaining("holds it back");
                return held.isEmpty() ? response.bodyText(StandardCharsets.UTF_8) : "self-check warned: " + held;
            } catch (SocketTimeoutException e) {
                return "nothing while the task runs (" + e.getMessage() + "); warnings: "
                        + log.warningsContaining("holds it back");
            } finally {
                servlet.task.release.countDown(); // before the server stops: it waits for the request thread
            }
        }
    }

    /**
     * warnFinishAfterStreaming warns that "Connection: close could no longer be added, so the
     * connection stays open ... a client that sends its next request on it waits", and advises to
     * raise the buffer limit. Over HTTP/2 there is no Connection: close to add and the next request
     * is a new stream that does not wait: the warning (logged once, then hiding the real HTTP/1.1
     * case) is a false positive there.
     */
    @EveryH2cContainer
    void finishAfterStreamingOverHttp2DoesNotWarnAboutAKeptAliveConnection(Container container) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        Handler servlet = (request, response) -> {
            AfterResponse.of(request).onComplete(c -> done.countDown());
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().print("x".repeat(8 * 1024)); // past the 1 KiB buffer limit: streamed
            AfterResponse.of(request).finish();
        };
        try (LogCapture log = new LogCapture(); Deployment app = Deployment.on(container, Map.of("buffer-limit", "1KiB"))
                .servlet("/export", servlet).start()) {
            assertThat(H2cClient.get(app.port(), "/export").statusCode()).isEqualTo(200);
            await(done, "the callback");
            assertThat(log.warningsContaining("Raise buffer-limit")).as("over HTTP/2").isEmpty();
        }
    }
}
