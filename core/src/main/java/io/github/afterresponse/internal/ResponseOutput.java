package io.github.afterresponse.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The body of a {@link BufferingResponse}: where the servlet's bytes and characters go. They are
 * held in a {@link ResponseBuffer} (streamed once it spills), dropped after {@code sendError} or
 * {@code sendRedirect}, or passed straight to the real response while a forward or the servlet's
 * own asynchronous processing writes it. Not thread-safe, like a response.
 */
final class ResponseOutput {

    /** Where writes go. */
    enum Mode {
        /** Held in the buffer, or streamed once it spilled. */
        BUFFERING,
        /** Dropped: sendError or sendRedirect was called; the container writes the body. */
        ENDED,
        /** Straight to the real response: a forward, or the servlet's own asynchronous processing. */
        PASSTHROUGH,
        /** Dropped: a forward wrote, committed and closed the real response. */
        FORWARDED
    }

    private final HttpServletResponse real;
    private final Exchange exchange;
    private final BooleanSupplier forwardUnderWay;
    private final ResponseBuffer buffer;
    private final ClientChannel channel;
    private Mode mode = Mode.BUFFERING;
    private @Nullable BufferStream stream;
    private @Nullable SwitchableWriter writer;
    /** The writer's charset while the servlet's choice is the writer; null otherwise. */
    private @Nullable String writerCharset;
    /** Whether the servlet's choice is the stream. */
    private boolean streamChosen;
    private long declaredContentLength = -1;
    private @Nullable Ending ending;

    /**
     * @param forwardUnderWay whether the request is inside a forward the toolkit did not start (one
     *     through a dispatcher taken from the ServletContext)
     */
    ResponseOutput(HttpServletResponse real, Exchange exchange, int bufferLimit, BooleanSupplier forwardUnderWay) {
        this.real = real;
        this.exchange = exchange;
        this.forwardUnderWay = forwardUnderWay;
        this.buffer = new ResponseBuffer(bufferLimit, this::openRealStream);
        this.channel = new ClientChannel(real, exchange);
    }

    /** The real response's body, watched for a vanished client. */
    ClientChannel channel() {
        return channel;
    }

    Mode mode() {
        return mode;
    }

    ResponseBuffer buffer() {
        return buffer;
    }

    /** Whether what the servlet writes is still held back (not streamed, ended or passed through). */
    boolean isHolding() {
        return mode == Mode.BUFFERING && !buffer.isSpilled();
    }

    boolean isStreaming() {
        return mode == Mode.BUFFERING && buffer.isSpilled();
    }

    @Nullable String writerCharset() {
        return writerCharset;
    }

    long declaredContentLength() {
        return declaredContentLength;
    }

    @Nullable Ending ending() {
        return ending;
    }

    // ---- the servlet's stream and writer ----------------------------------------------------

    ServletOutputStream outputStream() throws IOException {
        joinForward();
        if (mode == Mode.PASSTHROUGH && stream == null) {
            return real.getOutputStream();
        }
        if (writerCharset != null) {
            throw new IllegalStateException("getWriter() has already been called for this response");
        }
        if (stream == null) {
            stream = new BufferStream();
        }
        streamChosen = true;
        return stream;
    }

    PrintWriter writer() throws IOException {
        joinForward();
        if (writerCharset != null) {
            return writer;
        }
        if (mode == Mode.PASSTHROUGH && writer == null) {
            return real.getWriter();
        }
        if (streamChosen) {
            throw new IllegalStateException("getOutputStream() has already been called for this response");
        }
        if (stream == null) {
            stream = new BufferStream();
        }
        if (writer == null) {
            writer = new SwitchableWriter();
        }
        fixWriterCharset();
        return writer;
    }

    /**
     * The real response fixes its charset and names it in Content-Type when getWriter is called
     * (Tomcat does exactly this); the buffered writer encodes the same way. After a reset the
     * servlet may go on with the writer it kept, and the charset is fixed again.
     */
    private void fixWriterCharset() {
        String charset = real.getCharacterEncoding();
        real.setCharacterEncoding(charset);
        writerCharset = charset;
        writer.switchTo(new OutputStreamWriter(stream, Charset.forName(charset)));
    }

    /** Moves characters the writer still holds into the buffer (or on, once not holding). */
    void flushWriter() {
        if (writer != null) {
            writer.flush();
        }
    }

    /** The servlet's flush: commits nothing while holding, flushes the real response otherwise. */
    void flush() throws IOException {
        flushWriter();
        if (mode == Mode.PASSTHROUGH) {
            real.flushBuffer();
        } else if (isStreaming()) {
            buffer.flush();
        }
    }

    /**
     * {@code AfterResponse.stream()}: what was written so far goes out now, and from here on every
     * flush reaches the client.
     */
    void startStreaming() throws IOException {
        joinForward();
        if (mode == Mode.ENDED) {
            throw new IllegalStateException("After Response: cannot stream a response ended with sendError or "
                    + "sendRedirect");
        }
        if (mode != Mode.BUFFERING) {
            throw new IllegalStateException("After Response: cannot stream a response that a forward or the "
                    + "servlet's own asynchronous processing writes");
        }
        flushWriter();
        buffer.spill();
        buffer.flush();
    }

    void declareContentLength(long length) {
        if (mode == Mode.PASSTHROUGH) {
            real.setContentLengthLong(length);
        } else {
            declaredContentLength = length;
        }
    }

    // ---- resets ------------------------------------------------------------------------------

    /**
     * {@code reset()}: body, length, ending and the choice of stream or writer are forgotten. The
     * stream and writer objects stay: servlets keep {@code PrintWriter out} across a reset, and on
     * a real response it goes on working.
     */
    void reset() {
        flushWriter();
        buffer.clear();
        streamChosen = false;
        writerCharset = null;
        declaredContentLength = -1;
        ending = null;
        mode = Mode.BUFFERING;
    }

    /** The servlet threw: drop what it wrote so the container's error page is what the client gets. */
    void discard() {
        buffer.clear();
    }

    /** {@code resetBuffer()}: the body written so far is forgotten. */
    void resetBuffer() {
        flushWriter();
        buffer.clear();
    }

    // ---- ending early: sendError and sendRedirect --------------------------------------------

    /** Holds the ending to be replayed when the response is sent; later output is dropped. */
    void end(Ending end) throws IOException {
        if (!isHolding()) {
            end.replay(real); // committed or passing through: the container decides, as without the filter
            return;
        }
        flushWriter();
        if (end.clearsBuffer()) {
            buffer.clear();
        }
        ending = end;
        mode = Mode.ENDED;
    }

    // ---- passing through ---------------------------------------------------------------------

    /**
     * The servlet went asynchronous on its own: what it wrote goes to the real response, and so does
     * everything after, including through the stream or writer it already holds.
     */
    void passThrough() throws IOException {
        if (mode == Mode.PASSTHROUGH) {
            return;
        }
        flushWriter();
        Mode before = mode;
        mode = Mode.PASSTHROUGH;
        if (before == Mode.ENDED && ending != null) {
            Ending pending = ending;
            ending = null;
            pending.replay(real);
        } else if (writer != null && writerCharset != null) {
            // Hand over as characters: the servlet may go on with the container's writer.
            Writer realWriter = real.getWriter();
            realWriter.write(buffer.decode(Charset.forName(writerCharset)));
            buffer.clear();
            writer.switchTo(realWriter);
        } else if (buffer.size() > 0 || declaredContentLength >= 0) {
            buffer.spill();
        }
    }

    /**
     * A forward begins: like the container would, drop what was written so far, and let the target
     * write straight to the real response, with a stream or writer of its choosing (see
     * {@link ForwardingDispatcher}).
     */
    void beginForward() {
        if (!isHolding()) {
            return; // committed already: the container refuses the forward, as it would without the filter
        }
        flushWriter();
        buffer.clear();
        if (writer != null) {
            writer.switchTo(Writer.nullWriter());
        }
        if (stream != null) {
            stream.detached = true;
        }
        writer = null;
        stream = null;
        writerCharset = null;
        streamChosen = false;
        declaredContentLength = -1;
        mode = Mode.PASSTHROUGH;
    }

    /**
     * A forward target is about to write, through a dispatcher the toolkit did not wrap: it is
     * treated as {@link #beginForward()} would, because Tomcat 11 suspends the real response when
     * such a forward returns and held output could never be sent.
     */
    private void joinForward() {
        if (isHolding() && forwardUnderWay.getAsBoolean()) {
            beginForward();
        }
    }

    /** The forward returned, or the servlet did: what a forward wrote has been sent and closed. */
    void endForward() {
        if (mode == Mode.PASSTHROUGH && !exchange.isOwnAsync()) {
            mode = Mode.FORWARDED;
        }
    }

    private OutputStream openRealStream() throws IOException {
        if (mode == Mode.BUFFERING) {
            // No Connection: close here: with it, containers end the body with the close instead of
            // chunking it, and a close may wait for the request thread (Tomcat).
            exchange.enterStreaming();
        }
        if (declaredContentLength >= 0) {
            real.setContentLengthLong(declaredContentLength);
        }
        return channel.stream();
    }

    /**
     * The servlet's writer. Its destination can change: the encoder over the buffer (again after a
     * reset, with the charset then in force), or the real response's writer. Every write checks the
     * exchange first, so characters cannot vanish into the encoder after the response was sent.
     */
    private final class SwitchableWriter extends PrintWriter {
        SwitchableWriter() {
            super(Writer.nullWriter(), false);
        }

        /** Changes the destination; the caller has flushed what the old one held. */
        void switchTo(Writer target) {
            synchronized (lock) {
                out = target;
            }
        }

        private void beforeWrite() {
            exchange.checkResponseLive();
            if (writerCharset == null && mode != Mode.PASSTHROUGH && !streamChosen && this == writer) {
                fixWriterCharset(); // the servlet writes through the writer it kept across a reset
            }
        }

        @Override
        public void write(int c) {
            beforeWrite();
            super.write(c);
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            beforeWrite();
            super.write(chars, offset, length);
        }

        @Override
        public void write(String text, int offset, int length) {
            beforeWrite();
            super.write(text, offset, length);
        }
    }

    /** The servlet's output stream: into the buffer, dropped, or straight through. */
    private final class BufferStream extends ServletOutputStream {
        private boolean closed;
        /** Replaced by a forward: what the servlet still writes here is dropped. */
        private boolean detached;

        @Override
        public void write(int b) throws IOException {
            if (accepting()) {
                if (mode == Mode.PASSTHROUGH) {
                    real.getOutputStream().write(b);
                } else {
                    buffer.write(b);
                }
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (accepting()) {
                if (mode == Mode.PASSTHROUGH) {
                    real.getOutputStream().write(bytes, offset, length);
                } else {
                    buffer.write(bytes, offset, length);
                }
            }
        }

        private boolean accepting() throws IOException {
            exchange.checkResponseLive();
            if (closed) {
                throw new IOException("the response's output has been closed");
            }
            return !detached && mode != Mode.ENDED && mode != Mode.FORWARDED;
        }

        @Override
        public void flush() throws IOException {
            exchange.checkResponseLive();
            if (detached) {
                return;
            }
            if (mode == Mode.PASSTHROUGH) {
                real.getOutputStream().flush();
            } else if (isStreaming()) {
                buffer.flush();
            }
        }

        @Override
        public void close() throws IOException {
            if (mode == Mode.PASSTHROUGH && !detached) {
                real.getOutputStream().close();
            }
            // Otherwise closing only ends the body: the response is still sent when the servlet
            // returns, since Jetty and Undertow close a forwarded response's output themselves.
            closed = true;
        }

        @Override
        public boolean isReady() {
            exchange.checkResponseLive();
            if (mode != Mode.PASSTHROUGH) {
                return true;
            }
            try {
                return real.getOutputStream().isReady();
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            exchange.checkResponseLive();
            if (mode != Mode.PASSTHROUGH) {
                throw new IllegalStateException("non-blocking output needs asynchronous processing (startAsync)");
            }
            try {
                real.getOutputStream().setWriteListener(listener);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
