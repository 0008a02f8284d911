package io.github.afterresponse.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import org.jspecify.annotations.Nullable;

/**
 * The one way the toolkit writes to the client: the real response's output stream, with every
 * write and flush watched for a vanished client. The containers say so differently (Jetty
 * {@code EofException}, Tomcat {@code ClientAbortException}, Undertow a plain {@code IOException}
 * "UT010029: Stream is closed"), so any {@link IOException} counts, unless the thread was
 * interrupted to stop the work (a time limit or shutdown), which makes containers fail the write too.
 * Once the client is gone, writes follow the exchange's abort policy: they throw
 * {@link io.github.afterresponse.ClientAbortedException} or are dropped.
 */
final class ClientChannel {

    private final HttpServletResponse real;
    private final StopSignal stop;
    private final OutputStream view = new View();
    /**
     * Orders the toolkit's writes with the container ending the response: once {@link #detach()}
     * returned, the real response is never touched again, since the container may recycle it for
     * another request (on Jetty a late write goes into the next response on the same
     * connection).
     */
    private final Object lock = new Object();
    private @Nullable ServletOutputStream out;
    /** The container ended the response by itself. */
    private boolean detached;
    /** The toolkit ended the response: the work is over, nothing may follow. */
    private boolean closed;

    ClientChannel(HttpServletResponse real, StopSignal stop) {
        this.real = real;
        this.stop = stop;
    }

    /** The channel as a stream; {@code close} ends the response body. */
    OutputStream stream() {
        return view;
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        watched(() -> realStream().write(bytes, offset, length));
    }

    void flush() throws IOException {
        watched(() -> realStream().flush());
    }

    /** Commits the headers and pushes out what the container holds (a flush of the real response). */
    void flushBuffer() throws IOException {
        watched(real::flushBuffer);
    }

    /** One write to the real response. */
    @FunctionalInterface
    private interface Write {
        void run() throws IOException;
    }

    /** Runs a write under the lock, if the client may still get it, and judges its failure. */
    private void watched(Write write) throws IOException {
        synchronized (lock) {
            if (mayWrite()) {
                try {
                    write.run();
                } catch (IOException | RuntimeException e) {
                    failed(e);
                }
            }
        }
    }

    /** Ends the body. A failure here only tells that the client is gone; nothing is left to cancel. */
    void close() {
        end(false);
    }

    /**
     * Ends a body just flushed whole. If its length went out with the headers and the container
     * did not reframe it (Tomcat's {@code compression="on"}, Jetty's {@code GzipHandler} and
     * Undertow's {@code EncodingHandler} drop that length, and their close still writes the gzip
     * trailer and the body's end), the client has every byte it was promised: a failure of the
     * close then only says it left once it had it all (Payara Micro 6 over HTTP/2, when curl hangs
     * up at once: "Unable to write GOAWAY"), and as PHP sees no abort once {@code flush()} has
     * succeeded, this is none either.
     *
     * @param lengthDeclared whether the filter declared the body's length (or it has none)
     */
    void closeFlushed(boolean lengthDeclared) {
        end(lengthDeclared && real.getHeader("Content-Encoding") == null);
    }

    private void end(boolean delivered) {
        synchronized (lock) {
            if (detached || closed) {
                return;
            }
            closed = true;
            try {
                realStream().close();
            } catch (IOException | RuntimeException e) {
                if (delivered) {
                    Log.LOGGER.log(System.Logger.Level.DEBUG, () -> "After Response: the client of exchange "
                            + stop.exchangeId() + " left once it had the whole response: " + e);
                } else if (!stop.status().isAborted() && !stop.isStopRequested()) {
                    // After a time limit or shutdown interrupted a write, containers may fail the
                    // close too (Jetty leaves the interrupted write pending): that is the toolkit's doing.
                    stop.clientGone(asIOException(e));
                }
            }
        }
    }

    /**
     * The container ended the response by itself (an error on the connection, or its own
     * completion): from now on nothing is written to it, and writes count as to a vanished client.
     * Waits for a write under way to end.
     */
    void detach() {
        synchronized (lock) {
            detached = true;
        }
    }

    private ServletOutputStream realStream() throws IOException {
        ServletOutputStream stream = out;
        if (stream == null) {
            stream = real.getOutputStream();
            out = stream;
        }
        return stream;
    }

    /**
     * Whether to write: not once the client is gone (then dropped, or refused under the cancel
     * policy), nor once the container has ended the response.
     */
    private boolean mayWrite() {
        if (closed) {
            // A TaskContext, or a thread a task started, outlived the work: the response it would
            // write to has been handed back and may already be another client's (on Jetty a late
            // write goes into the next response on the same connection).
            throw new IllegalStateException("After Response: the response of exchange " + stop.exchangeId()
                    + " has ended with its tasks; nothing can be written to it any more");
        }
        if (detached && !stop.status().isAborted()) {
            stop.clientGone(new IOException("the container ended the response"));
        }
        if (!stop.status().isAborted()) {
            return true;
        }
        stop.throwIfCancelled(null);
        return false;
    }

    /**
     * A write failed. Tomcat may also throw a {@code NullPointerException} from a response it has
     * just completed after an error on the connection; that counts as the client gone as well.
     */
    private void failed(Exception failure) throws IOException {
        IOException e = asIOException(failure);
        if (Thread.currentThread().isInterrupted() || e instanceof java.io.InterruptedIOException) {
            if (stop.isStopRequested()) {
                throw e; // stopped by the toolkit (time limit, shutdown): not the client's doing
            }
        }
        stop.clientGone(e);
        stop.throwIfCancelled(e);
    }

    private static IOException asIOException(Exception e) {
        return e instanceof IOException io ? io : new IOException(e);
    }

    private final class View extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            ClientChannel.this.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            ClientChannel.this.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            ClientChannel.this.flush();
        }

        @Override
        public void close() {
            ClientChannel.this.close();
        }
    }
}
