package io.github.afterresponse.internal;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.Charset;
import org.jspecify.annotations.Nullable;

/**
 * The body of a {@link BufferingResponse}: the stream or writer the servlet chose, the charset the
 * writer encodes in, and where the bytes go, which is the business of the current
 * {@link OutputState} (held, streamed, passed through, dropped). Every change of where they go is
 * one move from one state object to the next. Not thread-safe, like a response.
 */
final class ResponseOutput {

    // Not final: release() lets go of the container's response once the servlet has returned, so that
    // a task that captured the servlet's writer or stream keeps nothing of it reachable.
    private volatile HttpServletResponse real;
    private final Exchange exchange;
    private final ResponseBuffer buffer;
    private volatile ClientChannel channel;
    private final LogOnce committedAhead;
    private final byte[] single = new byte[1];
    private OutputState state = OutputState.HOLDING;
    /** The request as the servlet holds it, whose wrapped request a container's forward replaces. */
    private @Nullable ServletRequestWrapper servletRequest;
    private @Nullable BufferStream stream;
    private @Nullable SwitchableWriter writer;
    /** The writer's charset while the servlet's choice is the writer; null otherwise. */
    private @Nullable String writerCharset;
    /** Whether the servlet's choice is the stream. */
    private boolean streamChosen;
    /** Written after {@code finish()}, and dropped; only the servlet's thread writes it. */
    private long droppedAfterFinish;
    private long declaredContentLength = -1;

    /**
     * @param committedAhead the filter's warning for a response committed before it was sent
     */
    ResponseOutput(HttpServletResponse real, Exchange exchange, int bufferLimit, LogOnce committedAhead) {
        this.real = real;
        this.exchange = exchange;
        this.buffer = new ResponseBuffer(bufferLimit);
        this.channel = new ClientChannel(real, exchange.stop());
        this.committedAhead = committedAhead;
    }

    /**
     * Watches the request the servlet holds for forwards the toolkit did not start (through a
     * dispatcher from the ServletContext): Tomcat inserts its forwarding request, with the forward
     * attributes, just below the servlet's outermost wrapper, and Undertow puts them on its own.
     */
    void watchForwardsOn(ServletRequestWrapper servletRequest) {
        this.servletRequest = servletRequest;
    }

    // ---- for the states ----------------------------------------------------------------------

    HttpServletResponse real() {
        return real;
    }

    Exchange exchange() {
        return exchange;
    }

    ResponseBuffer buffer() {
        return buffer;
    }

    /** The real response's body, watched for a vanished client. */
    ClientChannel channel() {
        return channel;
    }

    OutputState state() {
        return state;
    }

    void moveTo(OutputState next) {
        state = next;
    }

    long declaredContentLength() {
        return declaredContentLength;
    }

    /** Whether the servlet writes through its writer (and not its stream). */
    boolean writerChosen() {
        return writer != null && writerCharset != null;
    }

    /**
     * The servlet's writer writes straight to the real response's writer from now on, after what it
     * held; used when the real response's stream is not open yet.
     */
    void handWriterToRealWriter() throws IOException {
        Writer realWriter = real.getWriter();
        realWriter.write(buffer.decode(Charset.forName(writerCharset)));
        buffer.clear();
        writer.switchTo(realWriter);
    }

    /**
     * The real output stream is open, so the real writer cannot be had: the servlet's writer keeps
     * encoding into its stream, but every character at once, since nobody flushes the toolkit's
     * encoder when the servlet's own asynchronous processing completes the response.
     */
    void encodeWriterEagerly() {
        if (writerChosen()) {
            writer.encodeEagerly();
        }
    }

    /** The servlet's writer writes nowhere from now on (a forward took the response over). */
    void dropWriterAndStream() {
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
    }

    /** The response was committed before the toolkit sent it: said once per filter. */
    void warnCommittedAhead() {
        committedAhead.log(() -> "After Response: the response of exchange " + exchange.id() + " was committed "
                + "before the filter sent it (an outer filter called flushBuffer, or a forward the toolkit did not "
                + "recognise), so it goes out without Content-Length and without Connection: close");
    }

    // ---- what the wrapper asks ---------------------------------------------------------------

    /** Whether what the servlet writes is still held back, nothing of it sent. */
    boolean holds() {
        return state.holds();
    }

    /** Whether the container finishes the response (after sendError, sendRedirect or a forward). */
    boolean isFinishedByContainer() {
        return state.isFinishedByContainer();
    }

    /** Whether the servlet's output goes straight to the real response (a forward, or its own async). */
    boolean passesThrough() {
        return state.passesThrough();
    }

    /** The status a held sendError or sendRedirect will give, or -1. */
    int pendingStatus() {
        return state.pendingStatus();
    }

    int bufferLimit() {
        return buffer.limit();
    }

    int bufferedBytes() {
        return buffer.size();
    }

    @Nullable String writerCharset() {
        return writerCharset;
    }

    // ---- the servlet's stream and writer ----------------------------------------------------

    ServletOutputStream outputStream() throws IOException {
        joinForward();
        if (state.passesThrough() && stream == null) {
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
        if (state.passesThrough()) {
            if (writer == null) {
                return real.getWriter();
            }
            adoptRealWriter(); // the writer kept across a reset, asked for again
            return writer;
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
     * The real response fixes its charset when getWriter is called, and names it in Content-Type
     * where the container would ({@link WriterCharsets}; without a type yet, when one is set); the
     * buffered writer encodes the same way. After a reset the servlet may go on with the writer it
     * kept, and the charset is fixed again.
     */
    private void fixWriterCharset() {
        String charset = real.getCharacterEncoding();
        if (WriterCharsets.containerNames(real)) {
            real.setCharacterEncoding(charset);
        }
        writerCharset = charset;
        writer.switchTo(new OutputStreamWriter(new EncoderSink(), Charset.forName(charset)));
    }

    /**
     * The writer kept across a reset, used after the output passes through: it writes to the real
     * response's writer, as a real response's kept writer does after a reset.
     */
    private void adoptRealWriter() {
        try {
            writer.switchTo(real.getWriter());
            writerCharset = real.getCharacterEncoding();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Moves characters the writer still holds into the buffer (or on, once not holding). */
    void flushWriter() {
        if (writer != null) {
            writer.flush();
        }
    }

    /** The servlet's {@code flushBuffer}: commits nothing while holding, flushes the real response otherwise. */
    void flushBuffer() throws IOException {
        flushWriter();
        state.flushBuffer(this);
    }

    /**
     * {@code AfterResponse.stream()}: what was written so far goes out now, and from here on every
     * flush reaches the client.
     */
    void startStreaming() throws IOException {
        joinForward();
        flushWriter();
        state.startStreaming(this);
    }

    void declareContentLength(long length) {
        if (state.passesThrough()) {
            real.setContentLengthLong(length);
        } else {
            declaredContentLength = length;
        }
    }

    // ---- resets, while holding ---------------------------------------------------------------

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
        state = OutputState.HOLDING;
    }

    /** {@code resetBuffer()}: the body written so far is forgotten. */
    void resetBuffer() {
        flushWriter();
        buffer.clear();
    }

    /** The servlet threw: drop what it wrote so the container's error page is what the client gets. */
    void discard() {
        buffer.clear();
    }

    // ---- moves -------------------------------------------------------------------------------

    /** {@code sendError} or {@code sendRedirect}. */
    void end(Ending end) throws IOException {
        flushWriter();
        state.end(this, end);
    }

    /**
     * The servlet went asynchronous on its own: what it wrote goes to the real response, and so does
     * everything after, including through the stream or writer it already holds.
     */
    void passThrough() throws IOException {
        flushWriter();
        state.passThrough(this);
    }

    /**
     * A forward begins: like the container would, drop what was written so far, and let the target
     * write straight to the real response, with a stream or writer of its choosing (see
     * {@link ForwardingDispatcher}).
     */
    void beginForward() {
        state.beginForward(this);
    }

    /**
     * A forward target is about to write, through a dispatcher the toolkit did not wrap: it is
     * treated as {@link #beginForward()} would, because Tomcat 11 suspends the real response when
     * such a forward returns and held output could never be sent.
     */
    private void joinForward() {
        ServletRequestWrapper watched = servletRequest;
        if (state.holds() && watched != null && isForwarding(watched.getRequest())) {
            beginForward();
        }
    }

    /** A forward by path sets the forward attributes; a named dispatcher's sets none, but says FORWARD. */
    private static boolean isForwarding(ServletRequest request) {
        return request.getAttribute(RequestDispatcher.FORWARD_REQUEST_URI) != null
                || request.getDispatcherType() == DispatcherType.FORWARD;
    }

    /** The forward returned, or the servlet did: what a forward wrote has been sent and closed. */
    void endForward() {
        state.endForward(this);
    }

    /**
     * Puts the response on the wire, as the current state has it.
     *
     * @throws io.github.afterresponse.ClientAbortedException if the client is gone and the policy
     *     is to cancel
     */
    void send(Sending how) throws IOException {
        flushWriter();
        state.send(this, how);
    }

    /**
     * {@code finish()} sent and ended the response: from now on the servlet's output is dropped,
     * and what was held is let go.
     */
    void finishEarly() {
        moveTo(OutputState.FINISHED_EARLY);
        buffer.release();
        if (writer != null) {
            writer.switchTo(new Writer() {
                @Override
                public void write(char[] chars, int offset, int length) {
                    countDropped(length);
                }

                @Override
                public void flush() {
                    // Nothing to push: dropped.
                }

                @Override
                public void close() {
                    // The response has ended already.
                }
            });
        }
    }

    /** Output dropped after {@code finish()}: bytes from the stream, characters from the writer. */
    void countDropped(long amount) {
        droppedAfterFinish += amount;
    }

    long droppedAfterFinish() {
        return droppedAfterFinish;
    }

    /**
     * The response has been sent: its bytes and the writer's encoder are let go, so that a wrapper
     * a task kept holds nothing of the body.
     */
    void release() {
        buffer.release();
        if (writer != null) {
            writer.switchTo(Writer.nullWriter());
        }
        // The writer and stream check the guard first, which refuses everything once released; these
        // are never reached again. A response kept open for the tasks has its channel in the job.
        real = Gone.RESPONSE;
        channel = RELEASED_CHANNEL;
        servletRequest = null;
    }

    /** Where a released output's channel points: to a response that refuses every call. */
    private static final ClientChannel RELEASED_CHANNEL = new ClientChannel(Gone.RESPONSE,
            new StopSignal("released", io.github.afterresponse.AbortPolicy.CANCEL));

    /**
     * The servlet's writer. Its destination can change: the encoder over the buffer (again after a
     * reset, with the charset then in force), or the real response's writer. Every write checks the
     * guard first, so characters cannot vanish into the encoder after the response was sent.
     */
    private final class SwitchableWriter extends PrintWriter {
        /** Whether every write is encoded into the stream at once, instead of waiting in the encoder. */
        private boolean eager;
        /** Set while an eager write pushes the encoder's bytes on: the stream itself is not flushed. */
        private boolean pushing;

        SwitchableWriter() {
            super(Writer.nullWriter(), false);
        }

        /** Changes the destination; the caller has flushed what the old one held. */
        void switchTo(Writer target) {
            synchronized (lock) {
                out = target;
                eager = false;
            }
        }

        /**
         * From now on each write reaches the stream at once, through the same encoder (a new one
         * would start again: a second byte-order mark in a UTF-16 body); flushing still flushes.
         */
        void encodeEagerly() {
            flush();
            synchronized (lock) {
                eager = true;
            }
        }

        /** Whether a flush of the encoder is only pushing an eager write's bytes on. */
        boolean isPushing() {
            return pushing;
        }

        private void beforeWrite() {
            exchange.guard().checkResponse();
            if (writerCharset == null && !streamChosen && this == writer) {
                // The servlet writes through the writer it kept across a reset.
                if (state.passesThrough()) {
                    adoptRealWriter();
                } else {
                    fixWriterCharset();
                }
            }
        }

        private void afterWrite() {
            if (eager) {
                pushing = true;
                try {
                    super.flush(); // the encoder's bytes into the stream; the stream itself is not flushed
                } finally {
                    pushing = false;
                }
            }
        }

        @Override
        public void write(int c) {
            beforeWrite();
            super.write(c);
            afterWrite();
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            beforeWrite();
            super.write(chars, offset, length);
            afterWrite();
        }

        @Override
        public void write(String text, int offset, int length) {
            beforeWrite();
            super.write(text, offset, length);
            afterWrite();
        }

        /** PrintWriter writes the line separator straight to its destination, past the methods above. */
        @Override
        public void println() {
            beforeWrite();
            super.println();
            afterWrite();
        }
    }

    /**
     * Where the writer's encoder puts its bytes: the servlet's stream, which the state sends on.
     * Flushing the encoder flushes the stream too, unless an eager write only pushes bytes on.
     */
    private final class EncoderSink extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            stream.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            stream.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            if (writer == null || !writer.isPushing()) {
                stream.flush();
            }
        }
    }

    /** The servlet's output stream: wherever the state sends its bytes. */
    private final class BufferStream extends ServletOutputStream {
        private boolean closed;
        /** Replaced by a forward: what the servlet still writes here is dropped. */
        private boolean detached;

        @Override
        public void write(int b) throws IOException {
            single[0] = (byte) b;
            write(single, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            exchange.guard().checkResponse();
            if (closed) {
                throw new IOException("the response's output has been closed");
            }
            if (!detached) {
                state.write(ResponseOutput.this, bytes, offset, length);
            }
        }

        @Override
        public void flush() throws IOException {
            exchange.guard().checkResponse();
            if (!detached) {
                state.flush(ResponseOutput.this);
            }
        }

        @Override
        public void close() throws IOException {
            if (state.passesThrough() && !detached) {
                real.getOutputStream().close();
            }
            // Otherwise closing only ends the body: the response is still sent when the servlet
            // returns, since Jetty and Undertow close a forwarded response's output themselves.
            closed = true;
        }

        @Override
        public boolean isReady() {
            exchange.guard().checkResponse();
            if (!state.passesThrough()) {
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
            exchange.guard().checkResponse();
            if (!state.passesThrough()) {
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
