package io.github.afterresponse.internal;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;

/**
 * A request dispatcher whose forwards write straight to the real response. By the Servlet
 * specification the container sends, commits and closes the response when a forward returns;
 * Tomcat 11 does so by suspending the real response underneath any wrapper
 * ({@code suspendWrappedResponseAfterForward}), so output held in the buffer could never be sent
 * afterwards. Includes are buffered as usual.
 */
final class ForwardingDispatcher implements RequestDispatcher {

    private final RequestDispatcher dispatcher;
    private final BufferingResponse response;
    private final Guard guard;

    ForwardingDispatcher(RequestDispatcher dispatcher, BufferingResponse response, Guard guard) {
        this.dispatcher = dispatcher;
        this.response = response;
        this.guard = guard;
    }

    @Override
    public void forward(ServletRequest request, ServletResponse response) throws ServletException, IOException {
        guard.checkResponse(); // a dispatcher kept by a task must not touch a recycled response
        this.response.output().beginForward();
        try {
            dispatcher.forward(request, response);
        } finally {
            this.response.output().endForward();
        }
    }

    @Override
    public void include(ServletRequest request, ServletResponse response) throws ServletException, IOException {
        guard.checkResponse();
        dispatcher.include(request, response);
    }
}
