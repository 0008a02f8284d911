package io.github.afterresponse.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Where the servlet's body goes now: one object per mode, each knowing what it does with a write,
 * a flush, the servlet's moves and the sending, and which of the real response's stream or writer
 * it has opened. The moves:
 *
 * <pre>
 * HOLDING ──(past the limit, stream())──► STREAMING ──(startAsync)──────────► OWN_ASYNC
 *    │ │ └──(startAsync)────────────────────────────────────────────────────► OWN_ASYNC
 *    │ └──(forward)──► FORWARDING ──(forward returns)──► FORWARDED ──(startAsync)──► OWN_ASYNC
 *    │                    └──(startAsync)───────────────────────────────────► OWN_ASYNC
 *    └──(sendError, sendRedirect)──► ENDED ──(startAsync)───────────────────► OWN_ASYNC
 * HOLDING, STREAMING ──(finish())──► FINISHED_EARLY
 * </pre>
 *
 * <p>A {@code reset()} while holding starts again from HOLDING; after an ending or a forward the
 * response counts as committed, and {@code reset()} is refused as on a real response.
 */
abstract sealed class OutputState {

    /** Held in the buffer, nothing sent; the real response is untouched. */
    static final OutputState HOLDING = new Holding();
    /** Sent as written through the client channel: the real output stream is open. */
    static final OutputState STREAMING = new Streaming();
    /** Straight to the real response, for the servlet's own asynchronous processing. */
    static final OutputState OWN_ASYNC = new PassingThrough(false);
    /** Straight to the real response, while a forward's target writes it. */
    static final OutputState FORWARDING = new PassingThrough(true);
    /** Dropped: a forward wrote, committed and closed the real response. */
    static final OutputState FORWARDED = new Forwarded();
    /** Dropped: {@code AfterResponse.finish()} sent and ended the response. */
    static final OutputState FINISHED_EARLY = new FinishedEarly();

    /** The servlet's bytes, from its stream or, encoded, from its writer. */
    abstract void write(ResponseOutput out, byte[] bytes, int offset, int length) throws IOException;

    /** The servlet flushed its stream or writer. */
    void flush(ResponseOutput out) throws IOException {
        // Nothing to push out by default: held, or dropped.
    }

    /** The servlet called {@code flushBuffer}. */
    void flushBuffer(ResponseOutput out) throws IOException {
        flush(out);
    }

    /** Whether nothing has been sent and the whole response can still change. */
    boolean holds() {
        return false;
    }

    /** Whether the container finishes the response: headers and status are ignored, output dropped. */
    boolean isFinishedByContainer() {
        return false;
    }

    /** Whether output goes straight to the real response. */
    boolean passesThrough() {
        return false;
    }

    /** The status a held sendError or sendRedirect will give, or -1. */
    int pendingStatus() {
        return -1;
    }

    /** {@code AfterResponse.stream()}. */
    void startStreaming(ResponseOutput out) throws IOException {
        throw new IllegalStateException("After Response: cannot stream a response that a forward or the servlet's "
                + "own asynchronous processing writes");
    }

    /**
     * {@code sendError} or {@code sendRedirect} once something was sent: the container decides, as
     * without the filter (it throws for a committed response).
     */
    void end(ResponseOutput out, Ending ending) throws IOException {
        ending.replay(out.real());
    }

    /** The servlet started its own asynchronous processing. */
    abstract void passThrough(ResponseOutput out) throws IOException;

    /** A forward begins; once something was sent, the container refuses it, as without the filter. */
    void beginForward(ResponseOutput out) {
        // The container's forward throws for a committed response.
    }

    /** A forward returned, or the servlet did. */
    void endForward(ResponseOutput out) {
        // Only a forward under way ends here.
    }

    /** Puts the response on the wire when the servlet has returned. */
    abstract void send(ResponseOutput out, Sending how) throws IOException;

    /** Held until the servlet returns, then sent whole with {@code Content-Length}. */
    static final class Holding extends OutputState {
        @Override
        void write(ResponseOutput out, byte[] bytes, int offset, int length) throws IOException {
            ResponseBuffer buffer = out.buffer();
            if (buffer.fits(length)) {
                buffer.write(bytes, offset, length);
                return;
            }
            spill(out);
            out.channel().write(bytes, offset, length);
        }

        @Override
        boolean holds() {
            return true;
        }

        @Override
        void startStreaming(ResponseOutput out) throws IOException {
            spill(out);
            out.channel().flush();
        }

        /**
         * From here on the response is streamed: the real output stream is opened (with the
         * servlet's own Content-Length, if it declared one) and what was held goes first. No
         * Connection: close here: with it, containers end the body with the close instead of
         * chunking it, and a close may wait for the request thread (Tomcat).
         */
        private static void spill(ResponseOutput out) throws IOException {
            out.exchange().enterStreaming();
            out.moveTo(STREAMING);
            if (out.declaredContentLength() >= 0) {
                out.real().setContentLengthLong(out.declaredContentLength());
            }
            ResponseBuffer buffer = out.buffer();
            buffer.writeTo(out.channel().stream());
            buffer.clear();
        }

        @Override
        void end(ResponseOutput out, Ending ending) {
            if (ending.clearsBuffer()) {
                out.buffer().clear();
            }
            out.moveTo(new Ended(ending));
        }

        /** Neither the real stream nor the real writer is open: the servlet's writer can take the real one. */
        @Override
        void passThrough(ResponseOutput out) throws IOException {
            out.moveTo(OWN_ASYNC);
            HttpServletResponse real = out.real();
            if (out.declaredContentLength() >= 0) {
                real.setContentLengthLong(out.declaredContentLength());
            }
            if (out.writerChosen()) {
                out.handWriterToRealWriter();
            } else if (out.bufferedBytes() > 0) {
                out.buffer().writeTo(real.getOutputStream());
                out.buffer().clear();
            }
        }

        @Override
        void beginForward(ResponseOutput out) {
            out.flushWriter();
            out.buffer().clear();
            out.dropWriterAndStream();
            out.moveTo(FORWARDING);
        }

        @Override
        void send(ResponseOutput out, Sending how) throws IOException {
            HttpServletResponse real = out.real();
            ClientChannel channel = out.channel();
            ResponseBuffer body = out.buffer();
            if (real.isCommitted()) {
                // A committed response still takes body bytes; only its length can no longer be set.
                out.warnCommittedAhead();
                if (!how.head() && Sending.mayHaveBody(real.getStatus())) {
                    body.writeTo(channel.stream());
                }
                how.endBodyIfAsked(channel, false);
                return;
            }
            // Trailers need the chunked coding: a Content-Length would make Undertow send a
            // fixed-length body without them, and Connection: close makes every container end the
            // body with the close instead of chunking it.
            boolean trailers = real.getTrailerFields() != null;
            if (!trailers) {
                how.closeConnectionIfAsked(real);
            }
            if (Sending.mayHaveBody(real.getStatus())) {
                long length = body.size();
                if (how.head() && length == 0 && out.declaredContentLength() >= 0) {
                    length = out.declaredContentLength(); // a doHead that counted the body it did not write
                }
                if (!trailers) {
                    real.setContentLengthLong(length);
                }
                if (!how.head()) {
                    body.writeTo(channel.stream());
                }
            }
            how.endBodyIfAsked(channel, !trailers);
        }
    }

    /** Past the buffer limit, or after {@code stream()}: the real output stream is open. */
    static final class Streaming extends OutputState {
        @Override
        void write(ResponseOutput out, byte[] bytes, int offset, int length) throws IOException {
            out.channel().write(bytes, offset, length);
        }

        @Override
        void flush(ResponseOutput out) throws IOException {
            out.channel().flush();
        }

        @Override
        void startStreaming(ResponseOutput out) throws IOException {
            out.channel().flush();
        }

        /**
         * The real output stream is open, so the real writer cannot be had: the servlet's writer
         * keeps encoding into its stream, which now writes to the real one.
         */
        @Override
        void passThrough(ResponseOutput out) {
            out.moveTo(OWN_ASYNC);
            out.encodeWriterEagerly();
        }

        @Override
        void send(ResponseOutput out, Sending how) throws IOException {
            out.channel().flush(); // the headers went out when the body outgrew the buffer
            if (how.endBody()) {
                out.channel().close(); // ends the chunked body: the client needs no close
            }
        }
    }

    /** Straight to the real response: a forward's target, or the servlet's own asynchronous processing. */
    static final class PassingThrough extends OutputState {
        private final boolean forward;

        private PassingThrough(boolean forward) {
            this.forward = forward;
        }

        @Override
        void write(ResponseOutput out, byte[] bytes, int offset, int length) throws IOException {
            out.real().getOutputStream().write(bytes, offset, length);
        }

        @Override
        void flush(ResponseOutput out) throws IOException {
            out.real().getOutputStream().flush();
        }

        @Override
        void flushBuffer(ResponseOutput out) throws IOException {
            out.real().flushBuffer();
        }

        @Override
        boolean passesThrough() {
            return true;
        }

        @Override
        void passThrough(ResponseOutput out) {
            out.moveTo(OWN_ASYNC); // a forward's target went asynchronous: it stays passed through
        }

        @Override
        void endForward(ResponseOutput out) {
            if (forward) {
                out.moveTo(FORWARDED);
            }
        }

        @Override
        void send(ResponseOutput out, Sending how) {
            // The servlet's own asynchronous processing ends the response; nothing is held.
        }
    }

    /** After sendError, sendRedirect or a forward the container finishes the response: output is dropped. */
    abstract static sealed class FinishedByContainer extends OutputState {
        @Override
        final void write(ResponseOutput out, byte[] bytes, int offset, int length) {
            // Dropped, as a real response drops output once it is committed this way.
        }

        @Override
        final boolean isFinishedByContainer() {
            return true;
        }
    }

    /** After a forward: the container sent, committed and closed the response. */
    static final class Forwarded extends FinishedByContainer {
        @Override
        void startStreaming(ResponseOutput out) {
            throw new IllegalStateException("After Response: cannot stream a response that a forward has sent");
        }

        @Override
        void passThrough(ResponseOutput out) {
            out.moveTo(OWN_ASYNC);
        }

        @Override
        void send(ResponseOutput out, Sending how) {
            // The container sent and closed the response when the forward returned.
        }
    }

    /** {@code sendError} or {@code sendRedirect} while holding: replayed on the real response when sent. */
    static final class Ended extends FinishedByContainer {
        private final Ending ending;

        Ended(Ending ending) {
            this.ending = ending;
        }

        Ending ending() {
            return ending;
        }

        @Override
        int pendingStatus() {
            return ending.status();
        }

        @Override
        void startStreaming(ResponseOutput out) {
            throw new IllegalStateException("After Response: cannot stream a response ended with sendError or "
                    + "sendRedirect");
        }

        /** A second ending: a real response is committed by the first and refuses it. */
        @Override
        void end(ResponseOutput out, Ending again) {
            throw new IllegalStateException("Cannot call sendError() or sendRedirect() after the response has been "
                    + "committed");
        }

        @Override
        void passThrough(ResponseOutput out) throws IOException {
            out.moveTo(OWN_ASYNC);
            ending.replay(out.real());
        }

        @Override
        void send(ResponseOutput out, Sending how) throws IOException {
            HttpServletResponse real = out.real();
            if (real.isCommitted()) {
                // Too late for an error page or a redirect; what a kept body holds still goes out.
                out.warnCommittedAhead();
                if (!ending.clearsBuffer() && !how.head()) {
                    out.buffer().writeTo(out.channel().stream());
                }
                how.endBodyIfAsked(out.channel(), false);
                return;
            }
            how.closeConnectionIfAsked(real);
            if (!ending.clearsBuffer()) {
                out.buffer().writeTo(out.channel().stream());
            }
            // No flush: the container writes its error page or redirect when it finishes; a flush
            // now could commit an empty error response first.
            ending.replay(real);
        }
    }

    /**
     * After {@code AfterResponse.finish()}: the response is complete on the wire and the servlet
     * goes on as background work. Its output is dropped, as PHP drops output after
     * {@code fastcgi_finish_request()}; the response counts as committed.
     */
    static final class FinishedEarly extends OutputState {
        @Override
        void write(ResponseOutput out, byte[] bytes, int offset, int length) {
            out.countDropped(length);
        }

        @Override
        boolean isFinishedByContainer() {
            return true; // headers and status are ignored, as on a committed response
        }

        @Override
        void startStreaming(ResponseOutput out) {
            throw new IllegalStateException("After Response: cannot stream a response that finish() has ended");
        }

        @Override
        void end(ResponseOutput out, Ending ending) {
            throw new IllegalStateException("Cannot call sendError() or sendRedirect() after the response has been "
                    + "committed (AfterResponse.finish() ended it)");
        }

        @Override
        void passThrough(ResponseOutput out) {
            throw new IllegalStateException("After Response: cannot start asynchronous processing after finish(): "
                    + "the response has ended");
        }

        @Override
        void beginForward(ResponseOutput out) {
            throw new IllegalStateException("After Response: cannot forward after finish(): the response has ended");
        }

        @Override
        void send(ResponseOutput out, Sending how) {
            // Sent by finish().
        }
    }
}
