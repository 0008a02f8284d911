package io.github.afterresponse.it;

import static io.github.afterresponse.it.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.Outcome;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import io.github.afterresponse.testkit.RawConnection;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import org.springframework.web.filter.ShallowEtagHeaderFilter;

/**
 * The self-check that early completion happened: when a wrapper outside the filter holds the
 * response back (here the real Spring {@link ShallowEtagHeaderFilter}, whose
 * {@code ContentCachingResponseWrapper} keeps the whole body), the filter finds the container's
 * response uncommitted after it sent and ended it, and logs one WARNING naming the wrapper and the
 * fix; without such a wrapper it logs nothing.
 */
class SelfCheckIT {

    private static final String HELD = "holds it back";

    @EveryContainer
    void anOuterBufferingWrapperIsNamedOnce(Container container) throws Exception {
        HeldTask first = new HeldTask();
        HeldTask second = new HeldTask();
        Handler servlet = (request, response) -> {
            (request.getParameter("second") == null ? first : second).registerOn(AfterResponse.of(request));
            response.getWriter().print("report queued");
        };
        try (LogCapture log = new LogCapture();
                Deployment app = Deployment.on(container).before(new ShallowEtagHeaderFilter())
                        .servlet("/report", servlet).start()) {
            request(app, "/report", first);
            request(app, "/report?second=1", second);

            assertThat(log.warningsContaining(HELD)).as("one warning, not one per request").hasSize(1);
            assertThat(log.warningsContaining(HELD).get(0))
                    .contains("org.springframework.web.filter."
                            + "ShallowEtagHeaderFilter$ConditionalContentCachingResponseWrapper")
                    .contains("ShallowEtagHeaderFilter")
                    .contains("Map AfterResponseFilter before that filter");
            assertThat(first.completion.get().outcome()).isEqualTo(Outcome.COMPLETED);
            assertThat(second.completion.get().outcome()).isEqualTo(Outcome.COMPLETED);
        } finally {
            first.release.countDown();
            second.release.countDown();
        }
    }

    @EveryContainer
    void finishBehindAnOuterBufferingWrapperIsNamedToo(Container container) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        Handler servlet = (request, response) -> {
            AfterResponse exchange = AfterResponse.of(request).onComplete(c -> done.countDown());
            response.getWriter().print("export started");
            exchange.finish();
        };
        try (LogCapture log = new LogCapture();
                Deployment app = Deployment.on(container).before(new ShallowEtagHeaderFilter())
                        .servlet("/export", servlet).start()) {
            try (RawConnection connection = app.open()) {
                connection.send(Deployment.request("GET", "/export")).readResponse(Deployment.TIMEOUT);
            }
            await(done, "the callback");
            assertThat(log.warningsContaining(HELD)).singleElement().asString()
                    .contains("ContentCachingResponseWrapper");
        }
    }

    @EveryContainer
    void withoutAWrapperOutsideNothingIsLogged(Container container) throws Exception {
        HeldTask task = new HeldTask();
        Handler servlet = (request, response) -> {
            task.registerOn(AfterResponse.of(request));
            response.getWriter().print("report queued");
        };
        try (LogCapture log = new LogCapture();
                Deployment app = Deployment.on(container).servlet("/report", servlet).start()) {
            assertThat(app.get("/report").statusCode()).isEqualTo(200);
            await(task.started, "the task");
            task.release.countDown();
            await(task.done, "the callback");
            assertThat(log.warningsContaining(HELD)).isEmpty();
        } finally {
            task.release.countDown();
        }
    }

    /**
     * Sends the request and lets its task end. What the client then gets depends on the wrapper and
     * on whether the request went asynchronous (Spring's wrapper copies the body only when it did
     * not), so the response is read but not judged: the warning is what this test is about.
     */
    private static void request(Deployment app, String path, HeldTask task) throws Exception {
        try (RawConnection connection = app.open()) {
            connection.send(Deployment.request("GET", path));
            await(task.started, "the task");
            task.release.countDown();
            try {
                connection.readResponse(Deployment.TIMEOUT);
            } catch (IOException e) {
                // A response the wrapper never let out: exactly what the warning is for.
            }
        }
        await(task.done, "the callback");
    }
}
