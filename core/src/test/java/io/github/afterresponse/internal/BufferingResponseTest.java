package io.github.afterresponse.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.afterresponse.ExchangeState;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BufferingResponseTest {

    private final RecordingResponse real = new RecordingResponse();
    private final Exchange exchange = new Exchange("t-1", Clock.systemUTC(), c -> { });
    private BufferingResponse response;

    @BeforeEach
    void setUp() {
        exchange.enterForeground();
        response = new BufferingResponse(real, exchange, 16, new LogOnce());
    }

    /** The sendError or sendRedirect the response holds. */
    private Ending ending() {
        assertThat(response.output().state()).isInstanceOf(OutputState.Ended.class);
        return ((OutputState.Ended) response.output().state()).ending();
    }

    private String buffered() throws IOException {
        response.output().flushWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        response.output().buffer().writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void flushingWhileBufferingCommitsNothing() throws IOException {
        response.getOutputStream().print("hello");
        response.getOutputStream().flush();
        response.flushBuffer();
        assertThat(response.isCommitted()).isFalse();
        assertThat(real.committed).isFalse();
        assertThat(real.calls).doesNotContain("flushBuffer", "getOutputStream");
        assertThat(buffered()).isEqualTo("hello");
    }

    @Test
    void passingTheLimitStreams() throws IOException {
        response.setContentLength(40);
        ServletOutputStream out = response.getOutputStream();
        out.write("0123456789".getBytes(StandardCharsets.US_ASCII));
        assertThat(exchange.state()).isEqualTo(ExchangeState.FOREGROUND);
        out.write("0123456789".getBytes(StandardCharsets.US_ASCII));
        assertThat(exchange.state()).isEqualTo(ExchangeState.STREAMING);
        assertThat(response.output().state()).isSameAs(OutputState.STREAMING);
        assertThat(real.header("Connection")).as("a streamed body is chunked, not ended by a close").isNull();
        assertThat(real.contentLength).as("the servlet's own length applies once streaming").isEqualTo(40);
        assertThat(real.body.toString(StandardCharsets.US_ASCII)).isEqualTo("01234567890123456789");
        out.flush();
        assertThat(response.isCommitted()).isTrue();
    }

    @Test
    void contentLengthFromTheServletIsHeldNotPassedOn() {
        response.setContentLength(5);
        response.setHeader("content-length", "6");
        response.addIntHeader("Content-Length", 7);
        assertThat(response.output().declaredContentLength()).isEqualTo(7);
        assertThat(response.getHeader("Content-Length")).isEqualTo("7");
        assertThat(response.containsHeader("CONTENT-LENGTH")).isTrue();
        assertThat(real.contentLength).isEqualTo(-1);
        assertThat(real.headers).doesNotContainKey("Content-Length");
        response.setHeader("Content-Length", "junk");
        assertThat(response.output().declaredContentLength()).isEqualTo(-1);
    }

    @Test
    void sendErrorIsHeldAndLaterOutputDropped() throws IOException {
        response.getWriter().print("partial");
        response.sendError(404, "no such campaign");
        response.getWriter().print("ignored");
        assertThat(response.isCommitted()).isTrue();
        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(real.calls).noneMatch(call -> call.startsWith("sendError"));
        assertThat(buffered()).isEmpty();
        assertThat(ending()).isEqualTo(Ending.error(404, "no such campaign"));

        ending().replay(real);
        assertThat(real.calls).contains("sendError 404 no such campaign");
    }

    @Test
    void sendRedirectIsHeldIncludingTheServlet61Forms() throws IOException {
        response.sendRedirect("/next", 303, false);
        assertThat(ending()).isEqualTo(Ending.redirect("/next", 303, false));
        assertThat(response.getStatus()).isEqualTo(303);
        assertThat(real.calls).noneMatch(call -> call.startsWith("sendRedirect"));
    }

    @Test
    void everyServlet61MethodThatWouldBypassTheWrapperIsDeclared() throws NoSuchMethodException {
        // On Tomcat 11 (Servlet 6.1) HttpServletResponseWrapper delegates these straight to the real response.
        for (Method method : List.of(
                BufferingResponse.class.getMethod("sendRedirect", String.class, int.class),
                BufferingResponse.class.getMethod("sendRedirect", String.class, boolean.class),
                BufferingResponse.class.getMethod("sendRedirect", String.class, int.class, boolean.class),
                BufferingResponse.class.getMethod("setCharacterEncoding", java.nio.charset.Charset.class))) {
            assertThat(method.getDeclaringClass()).isEqualTo(BufferingResponse.class);
            assertThat(Modifier.isPublic(method.getModifiers())).isTrue();
        }
    }

    @Test
    void afterSendErrorTheResponseCountsAsCommitted() throws IOException {
        response.sendError(400);
        assertThatThrownBy(response::reset).hasMessageContaining("after the response has been committed");
        assertThatThrownBy(response::resetBuffer).hasMessageContaining("after the response has been committed");
    }

    @Test
    void sendErrorAfterStreamingGoesToTheContainer() throws IOException {
        response.getOutputStream().write(new byte[20]);
        response.sendError(500);
        assertThat(real.calls).contains("sendError 500");
    }

    @Test
    void resetForgetsBodyLengthAndOutputChoice() throws IOException {
        response.getWriter().print("first");
        response.setContentLength(5);
        response.reset();
        assertThat(buffered()).isEmpty();
        assertThat(response.output().declaredContentLength()).isEqualTo(-1);
        assertThatCode(() -> response.getOutputStream()).doesNotThrowAnyException();
        assertThat(real.calls).contains("reset");
    }

    @Test
    void resetBufferDropsCharactersStillInTheWriter() throws IOException {
        PrintWriter writer = response.getWriter();
        writer.print("dropped");
        response.resetBuffer();
        writer.print("kept");
        assertThat(buffered()).isEqualTo("kept");
        assertThat(real.calls).doesNotContain("resetBuffer");
    }

    @Test
    void aWriterKeptAcrossResetGoesOnWriting() throws IOException {
        PrintWriter out = response.getWriter();
        out.print("half a page");
        response.reset();
        out.print("error: try again");
        assertThat(buffered()).isEqualTo("error: try again");
        assertThat(real.calls).contains("reset");
        assertThat(real.characterEncoding).isEqualTo("ISO-8859-1");
    }

    @Test
    void afterResetTheServletMayChooseAgain() throws IOException {
        response.getWriter().print("x");
        response.reset();
        response.getOutputStream().write('y');
        assertThat(buffered()).isEqualTo("y");
        assertThatThrownBy(response::getWriter).hasMessage("getOutputStream() has already been called for this response");
    }

    @Test
    void headersAfterSendErrorAreIgnoredAsOnACommittedResponse() throws IOException {
        response.sendError(503);
        response.setStatus(200);
        response.setHeader("X-Late", "yes");
        response.setContentType("text/plain");
        assertThat(real.headers).doesNotContainKey("X-Late");
        assertThat(real.contentType).isNull();
        assertThat(response.getStatus()).isEqualTo(503);
    }

    @Test
    void aWriterKeptPastTheResponseRefusesAtOnce() throws IOException {
        PrintWriter out = response.getWriter();
        exchange.responded(null);
        assertThatThrownBy(() -> out.print("lost?")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void writerAndStreamExcludeEachOther() throws IOException {
        response.getWriter();
        assertThatThrownBy(() -> response.getOutputStream())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("getWriter() has already been called for this response");
        RecordingResponse other = new RecordingResponse();
        BufferingResponse second = new BufferingResponse(other, exchange, 16, new LogOnce());
        second.getOutputStream();
        assertThatThrownBy(second::getWriter).hasMessage("getOutputStream() has already been called for this response");
    }

    @Test
    void writerFixesItsCharsetAsARealResponseWould() throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        PrintWriter writer = response.getWriter();
        response.setCharacterEncoding("ISO-8859-1");
        response.setContentType("text/html;charset=US-ASCII");
        response.setLocale(java.util.Locale.JAPAN);
        writer.print("é€");
        assertThat(real.characterEncoding).isEqualTo("UTF-8");
        assertThat(real.contentType).startsWith("text/html");
        assertThat(buffered()).isEqualTo("é€");
        assertThat(response.output().buffer().size()).isEqualTo(5); // é is 2 bytes, € is 3 bytes in UTF-8
    }

    @Test
    void setBufferSizeOnlyBeforeContent() throws IOException {
        response.setBufferSize(4096);
        assertThat(real.calls).doesNotContain("setBufferSize 4096");
        assertThat(response.getBufferSize()).isEqualTo(8192);
        response.getOutputStream().write('x');
        assertThatThrownBy(() -> response.setBufferSize(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void setBufferSizeCountsCharactersTheWriterStillHolds() throws IOException {
        response.getWriter().print("x"); // still in the encoder, not yet in the buffer
        assertThatThrownBy(() -> response.setBufferSize(1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closedStreamRefusesFurtherWrites() throws IOException {
        ServletOutputStream out = response.getOutputStream();
        out.print("done");
        out.close();
        assertThatThrownBy(() -> out.write('x')).isInstanceOf(IOException.class);
        assertThat(buffered()).isEqualTo("done");
    }

    @Test
    void everyMethodRefusesOnceResponded() throws Exception {
        ServletOutputStream out = response.getOutputStream();
        exchange.responded(null);
        assertThatThrownBy(() -> out.write('x')).isInstanceOf(IllegalStateException.class);
        for (Method method : HttpServletResponse.class.getMethods()) {
            if (Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            Object[] args = Arrays.stream(method.getParameterTypes()).map(BufferingResponseTest::sample).toArray();
            assertThatThrownBy(() -> {
                try {
                    method.invoke(response, args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                }
            }).as(method.toString()).isInstanceOf(IllegalStateException.class).hasMessageContaining("t-1");
        }
    }

    private static Object sample(Class<?> type) {
        if (type == int.class) {
            return 1;
        }
        if (type == long.class) {
            return 1L;
        }
        if (type == boolean.class) {
            return true;
        }
        if (type == String.class) {
            return "x";
        }
        if (type == java.util.Locale.class) {
            return java.util.Locale.ROOT;
        }
        if (type == java.nio.charset.Charset.class) {
            return StandardCharsets.UTF_8;
        }
        return null;
    }
}
