package io.github.afterresponse.it;

import static io.github.afterresponse.it.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.AfterResponseInitializer;
import io.github.afterresponse.ContinueAfterResponse;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import io.github.afterresponse.testkit.RawConnection;
import io.github.afterresponse.testkit.RunningServer;
import io.github.afterresponse.testkit.WebApp;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.springframework.web.filter.ShallowEtagHeaderFilter;

/** Review of the annotation opt-in: where "the annotation alone is all it takes" does not hold. */
class InitializerReviewIT {

    /** Opted in by its annotation; answers, calls finish(), then holds the thread until released. */
    @ContinueAfterResponse
    static final class FinishingServlet extends HttpServlet {
        final CountDownLatch finished = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().print("export started");
            AfterResponse.of(request).finish();
            finished.countDown();
            try {
                Await.hold(release); // the long work
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The initializer maps the filter by servlet name; the Servlet specification (6.2.4) puts every
     * url-pattern mapping before every servlet-name mapping in the chain. So any response-wrapping
     * filter the application maps by URL (here Spring's ShallowEtagHeaderFilter on /*, the
     * self-check's own example) is always outside the added filter, whatever the order in web.xml,
     * and the client of an annotated servlet that calls finish() waits for the whole rest of the
     * servlet method (with tasks, for the request thread to return): the self-check warns, but
     * its advice "map AfterResponseFilter before that filter" cannot be followed with the
     * annotation.
     */
    @EveryContainer
    void anApplicationFilterMappedByUrlDoesNotHoldTheAnnotatedServletsResponse(Container container)
            throws Exception {
        FinishingServlet servlet = new FinishingServlet();
        WebApp app = WebApp.create()
                .initializer(AfterResponseInitializer.class)
                .filter("etag", new ShallowEtagHeaderFilter(), Map.of(), true, "/*")
                .servlet("export", servlet, true, "/export");
        try (LogCapture log = new LogCapture(); RunningServer server = container.start(app)) {
            String answer;
            try (RawConnection connection = RawConnection.open(server.port())) {
                connection.send(Deployment.request("GET", "/export"));
                await(servlet.finished, "the servlet past finish()");
                try {
                    answer = connection.readResponse(Duration.ofSeconds(3)).bodyText(StandardCharsets.UTF_8);
                } catch (IOException e) {
                    answer = "no answer while the rest runs (" + e + ")";
                }
            } finally {
                servlet.release.countDown();
            }
            assertThat(answer).as("the annotated servlet's answer while the rest of it runs; self-check: %s",
                    log.warningsContaining("holds it back")).isEqualTo("export started");
        } finally {
            servlet.release.countDown();
        }
    }
}
