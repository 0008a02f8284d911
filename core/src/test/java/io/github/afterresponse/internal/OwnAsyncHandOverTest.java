package io.github.afterresponse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hand-over to a servlet's own asynchronous processing, past the point where the toolkit's
 * encoder could wait to be flushed: nobody flushes it when that processing completes the response.
 */
class OwnAsyncHandOverTest {

    private final RecordingResponse real = new RecordingResponse();
    private final Exchange exchange = new Exchange("h-1", Clock.systemUTC(), c -> { });
    private BufferingResponse response;

    @BeforeEach
    void setUp() {
        exchange.enterForeground();
        response = new BufferingResponse(real, exchange, 16, new LogOnce());
    }

    /** A held writer response takes the real writer: neither the real stream nor its writer is open yet. */
    @Test
    void aHeldWriterResponseTakesTheRealWriter() throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().print("h\u00e9llo");
        response.output().passThrough();
        assertThat(real.calls).contains("getWriter").doesNotContain("getOutputStream");
        response.getWriter().print(" world");
        real.getWriter().flush();
        assertThat(real.body.toString(StandardCharsets.UTF_8)).isEqualTo("h\u00e9llo world");
    }

    /**
     * After the writer outgrew the buffer, the real stream is open and its writer cannot be had:
     * the servlet's writer keeps encoding, and every write reaches the real stream at once,
     * including println's line separator, which PrintWriter writes past its write methods.
     */
    @Test
    void printlnAfterTheHandOverReachesTheRealResponseWithoutAFlush() throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        PrintWriter out = response.getWriter();
        out.print("past the sixteen-byte limit");
        out.flush();
        assertThat(response.output().state()).isSameAs(OutputState.STREAMING);
        response.output().passThrough();

        out.println("end");

        assertThat(real.calls).doesNotContain("getWriter");
        assertThat(real.body.toString(StandardCharsets.UTF_8))
                .isEqualTo("past the sixteen-byte limit" + "end" + System.lineSeparator());
    }

    /**
     * A writer the servlet kept across reset() and uses after going asynchronous writes to the
     * real response's writer, as a real response's kept writer does; the container flushes that
     * one when the processing completes.
     */
    @Test
    void aWriterKeptAcrossResetWritesToTheRealWriterAfterTheHandOver() throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        PrintWriter out = response.getWriter();
        out.print("discarded");
        response.reset();
        response.output().passThrough();

        out.print("after the hand-over");

        assertThat(real.calls).contains("getWriter");
        real.getWriter().flush(); // what the container does when the asynchronous processing completes
        assertThat(real.body.toString(StandardCharsets.ISO_8859_1)).isEqualTo("after the hand-over");
    }

    /** The hand-over keeps the writer's encoder: a new one would write a second byte-order mark (UTF-16). */
    @Test
    void theHandOverDoesNotRestartTheEncoder() throws IOException {
        response.setContentType("text/plain;charset=UTF-16");
        PrintWriter out = response.getWriter();
        out.print("past the sixteen-byte limit");
        out.flush();
        assertThat(response.output().state()).isSameAs(OutputState.STREAMING);
        response.output().passThrough();

        out.print("!");

        assertThat(new String(real.body.toByteArray(), StandardCharsets.UTF_16))
                .isEqualTo("past the sixteen-byte limit!");
    }

    /**
     * getWriter(), reset(), startAsync, then getWriter() again: the writer handed out writes to the
     * real response's writer, which the container flushes when the processing completes.
     */
    @Test
    void getWriterAgainAfterResetAndHandOverWritesToTheRealWriter() throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().print("discarded");
        response.reset();
        response.output().passThrough(); // startAsync

        PrintWriter out = response.getWriter();
        out.print("written in the async processing");

        assertThat(real.calls).contains("getWriter");
        real.getWriter().flush(); // what the container does when the asynchronous processing completes
        assertThat(real.body.toString(StandardCharsets.ISO_8859_1)).isEqualTo("written in the async processing");
    }
}
