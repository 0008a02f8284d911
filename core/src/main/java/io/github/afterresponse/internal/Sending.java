package io.github.afterresponse.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * How a response is put on the wire when the servlet has returned.
 *
 * @param head whether the request was a HEAD: the length is kept, the body is not sent
 * @param endBody whether tasks follow the response: then it is pushed out and its body ended now,
 *     because the work may wait for a slot or hold the thread (Undertow sends nothing until a flush
 *     or close; Tomcat sends its FIN only when the request thread returns, so the client must rely
 *     on the length); without, it is left to the container as usual, so outer filters can still
 *     add headers
 * @param closeConnection whether to add {@code Connection: close}
 * @param beforeClose runs just before {@code Connection: close} is set, when it is: the unread
 *     request body is drained then ({@link UnreadBody})
 */
record Sending(boolean head, boolean endBody, boolean closeConnection, Runnable beforeClose) {

    /** Sets {@code Connection: close}, after {@link #beforeClose}, if asked to. */
    void closeConnectionIfAsked(jakarta.servlet.http.HttpServletResponse response) {
        if (closeConnection) {
            beforeClose.run();
            response.setHeader("Connection", "close");
        }
    }

    /**
     * Commits and ends the body now, if tasks follow.
     *
     * @param lengthDeclared whether the body's length went out with the headers (or it has none):
     *     then, once the flush has succeeded, the client has every byte it was promised
     */
    void endBodyIfAsked(ClientChannel channel, boolean lengthDeclared) throws IOException {
        if (endBody) {
            channel.flushBuffer();
            channel.closeFlushed(lengthDeclared);
        }
    }

    /** 1xx, 204 and 304 responses have no body and must not carry a Content-Length of one. */
    static boolean mayHaveBody(int status) {
        return status >= 200 && status != HttpServletResponse.SC_NO_CONTENT
                && status != HttpServletResponse.SC_NOT_MODIFIED;
    }
}
