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
     * @param closeConnection whether to add {@code Connection: close}
     */
    static void send(BufferingResponse buffered, boolean head, boolean closeConnection) throws IOException {
        HttpServletResponse real = buffered.real();
        ResponseOutput output = buffered.output();
        output.flushWriter();
        if (output.isStreaming()) {
            output.buffer().flush(); // headers went out when the buffer spilled
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
                output.buffer().writeTo(real.getOutputStream());
            }
            // No flush: the container writes its error page or redirect body when it finishes.
            ending.replay(real);
            return;
        }
        if (!mayHaveBody(real.getStatus())) {
            real.flushBuffer();
            return;
        }
        ResponseBuffer body = output.buffer();
        long length = body.size();
        if (head && length == 0 && output.declaredContentLength() >= 0) {
            length = output.declaredContentLength(); // a doHead that counted the body it did not write
        }
        real.setContentLengthLong(length);
        if (!head) {
            body.writeTo(real.getOutputStream());
        }
        real.flushBuffer();
    }

    /**
     * Something committed the real response without going through the wrapper; what the buffer holds
     * can no longer be sent. Tomcat 11 does this after a forward through a dispatcher taken from the
     * ServletContext (its suspendWrappedResponseAfterForward); a dispatcher from the request is safe.
     */
    private static void committedBehindTheFilter(int bytes) {
        LOG.log(Level.WARNING, "After Response: the response was committed behind the filter''s back, so the {0} "
                + "buffered bytes cannot be sent. On Tomcat this follows a RequestDispatcher.forward through a "
                + "dispatcher taken from the ServletContext: take it from the request instead "
                + "(request.getRequestDispatcher), or set suspendWrappedResponseAfterForward=\"false\" on the Context.",
                bytes);
    }

    /** 1xx, 204 and 304 responses have no body and must not carry a Content-Length of one. */
    private static boolean mayHaveBody(int status) {
        return status >= 200 && status != HttpServletResponse.SC_NO_CONTENT
                && status != HttpServletResponse.SC_NOT_MODIFIED;
    }
}
