package io.github.afterresponse.it;

import static io.github.afterresponse.it.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import io.github.afterresponse.testkit.RawConnection;
import io.github.afterresponse.testkit.RawResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * Container compression lets the body out early: with Jetty's {@code GzipHandler}, Tomcat's
 * {@code compression="on"} and Undertow's {@code EncodingHandler}, a client that accepts gzip gets
 * the whole compressed body while the background work is still held. A regression test: it fails
 * if a container (or the filter) starts holding the compressed body until the work ends.
 */
class GzipIT {

    private static final String BODY = "Sending the spring campaign to 10,000 customers.\n".repeat(100);

    @EveryContainer
    void theCompressedBodyArrivesWhileTheWorkRuns(Container container) throws Exception {
        HeldTask task = new HeldTask();
        Handler servlet = (request, response) -> {
            task.registerOn(AfterResponse.of(request));
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().print(BODY);
        };
        Deployment app = Deployment.on(container).servlet("/report", servlet);
        app.app.gzip();
        try (app; RawConnection connection = app.start().open()) {
            RawResponse response = connection.send(Deployment.request("GET", "/report", "Accept-Encoding: gzip"))
                    .readResponse(Deployment.TIMEOUT);
            await(task.started, "the task");
            assertThat(task.isRunning()).as("the work is still held when the body has arrived").isTrue();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.header("Content-Encoding")).hasValue("gzip");
            assertThat(gunzip(response.body())).isEqualTo(BODY);
            assertThat(response.body().length).as("compressed").isLessThan(BODY.length() / 4);

            task.release.countDown();
            await(task.done, "the callback");
        } finally {
            task.release.countDown();
        }
    }

    static String gunzip(byte[] compressed) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
