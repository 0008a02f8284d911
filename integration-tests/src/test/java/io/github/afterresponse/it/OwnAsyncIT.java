package io.github.afterresponse.it;

import static io.github.afterresponse.it.Deployment.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.Outcome;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import io.github.afterresponse.testkit.RawResponse;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * A servlet that starts its own asynchronous processing after its output outgrew the buffer: the
 * toolkit is already streaming through the real response's output stream, and the hand-over must
 * keep every byte and end the exchange when that processing ends, freeing its admission place.
 */
class OwnAsyncIT {

    private static final String HEAD = "written before startAsync; ".repeat(20);
    private static final String TAIL = "written by the servlet's own async thread";

    @EveryContainer
    void startAsyncAfterTheWriterOutgrewTheBufferKeepsEveryByteAndThePlace(Container container) throws Exception {
        assertEveryByteAndThePlaceKept(container, (request, response) -> {
            response.setContentType("text/plain;charset=UTF-8");
            PrintWriter out = response.getWriter();
            out.print(HEAD); // past the 64-byte limit: streamed
            out.flush();
            AsyncContext async = request.startAsync();
            async.start(() -> {
                out.print(TAIL); // not flushed: completing the response must send it
                async.complete();
            });
        });
    }

    @EveryContainer
    void startAsyncAfterTheStreamOutgrewTheBufferKeepsEveryByteAndThePlace(Container container) throws Exception {
        assertEveryByteAndThePlaceKept(container, (request, response) -> {
            response.setContentType("text/plain;charset=UTF-8");
            ServletOutputStream out = response.getOutputStream();
            out.write(HEAD.getBytes(StandardCharsets.UTF_8));
            AsyncContext async = request.startAsync();
            async.start(() -> {
                try {
                    out.write(TAIL.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                async.complete();
            });
        });
    }

    /** One admission place in all: a place the hand-over leaked would refuse the next request. */
    private static void assertEveryByteAndThePlaceKept(Container container, Handler servlet) throws Exception {
        try (Deployment app = Deployment.on(container, Map.of("buffer-limit", "64", "max-running", "1",
                "queue-capacity", "0")).servlet("/report", servlet).start()) {
            for (int i = 1; i <= 3; i++) {
                RawResponse response = app.get("/report");
                assertThat(response.statusCode()).as("request " + i).isEqualTo(200);
                assertThat(response.bodyText(StandardCharsets.UTF_8)).as("request " + i).isEqualTo(HEAD + TAIL);
                int ended = i;
                Awaitility.await().atMost(TIMEOUT).until(() -> app.completions.size() == ended);
            }
            assertThat(app.completions).allSatisfy(c -> assertThat(c.outcome()).isEqualTo(Outcome.COMPLETED));
            assertThat(app.monitor().rejected()).isZero();
        }
    }

    /** println's line separator, which PrintWriter writes past its write methods, arrives too. */
    @EveryContainer
    void printlnInTheServletsOwnAsyncKeepsItsLineSeparator(Container container) throws Exception {
        try (Deployment app = Deployment.on(container, Map.of("buffer-limit", "64")).servlet("/report",
                (request, response) -> {
                    response.setContentType("text/plain;charset=UTF-8");
                    PrintWriter out = response.getWriter();
                    out.print(HEAD); // past the limit: streamed
                    out.flush();
                    AsyncContext async = request.startAsync();
                    async.start(() -> {
                        out.println("last line");
                        async.complete();
                    });
                }).start()) {
            RawResponse response = app.get("/report");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.bodyText(StandardCharsets.UTF_8)).isEqualTo(HEAD + "last line" + System.lineSeparator());
        }
    }
}
