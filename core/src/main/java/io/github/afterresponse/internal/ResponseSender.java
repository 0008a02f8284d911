package io.github.afterresponse.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;

/**
 * Puts what the servlet wrote on the real response: whole, with a {@code Content-Length} taken
 * from the final bytes, then flushed, because Undertow sends nothing until a flush or close
 * (DESIGN fact 4).
 */
final class ResponseSender {

    private static final System.Logger LOG = Log.LOGGER;

    private ResponseSender() {}

    /**
     * @param head whether the request was a HEAD: the length is kept, the body is not sent
     * @param endBody whether tasks follow the response: then it is pushed out and its body ended
     *     now, because the work may wait for a slot or hold the thread (Undertow sends nothing until
     *     a flush, Tomcat keeps a connection until the request thread returns: DESIGN fact 4);
     *     without, it is left to the container as usual, so outer filters can still add headers
     * @param closeConnection whether to add {@code Connection: close}
     * @throws io.github.afterresponse.ClientAbortedException if the client is gone and the policy
     *     is to cancel
     */
    static void send(BufferingResponse buffered, boolean head, boolean endBody, boolean closeConnection)
            throws IOException {
        HttpServletResponse real = buffered.real();
        ResponseOutput output = buffered.output();
        ClientChannel channel = output.channel();
        output.flushWriter();
        if (output.isStreaming()) {
            output.buffer().flush(); // the headers went out when the buffer spilled
            if (endBody) {
                channel.close(); // ends the chunked body: the client needs no close
            }
            return;
        }
        if (output.mode() == ResponseOutput.Mode.FORWARDED) {
            return; // the container sent and closed the response when the forward returned
        }
        if (real.isCommitted()) {
            if (output.buffer().size() > 0) {
                committedBehindTheFilter(output.buffer().size());
            }
            return;
        }
        if (closeConnection) {
            real.setHeader("Connection", "close");
        }
        Ending ending = output.ending();
        if (ending != null) {
            if (!ending.clearsBuffer()) {
                output.buffer().writeTo(channel.stream());
            }
            // No flush: the container writes its error page or redirect when it finishes; a flush
            // now could commit an empty error response first.
            ending.replay(real);
            return;
        }
        if (mayHaveBody(real.getStatus())) {
            ResponseBuffer body = output.buffer();
            long length = body.size();
            if (head && length == 0 && output.declaredContentLength() >= 0) {
                length = output.declaredContentLength(); // a doHead that counted the body it did not write
            }
            real.setContentLengthLong(length);
            if (!head) {
                body.writeTo(channel.stream());
            }
        }
        if (endBody) {
            channel.flushBuffer();
            channel.close();
        }
    }

    /**
     * Something committed the real response without going through the wrapper (an outer filter, or
     * a forward the toolkit did not recognise); what the buffer holds can no longer be sent.
     */
    private static void committedBehindTheFilter(int bytes) {
        LOG.log(Level.WARNING, "After Response: the response was committed behind the filter''s back (by an outer "
                + "filter, or a forward the toolkit did not recognise), so the {0} buffered bytes cannot be sent", bytes);
    }

    /** 1xx, 204 and 304 responses have no body and must not carry a Content-Length of one. */
    private static boolean mayHaveBody(int status) {
        return status >= 200 && status != HttpServletResponse.SC_NO_CONTENT
                && status != HttpServletResponse.SC_NOT_MODIFIED;
    }
}
