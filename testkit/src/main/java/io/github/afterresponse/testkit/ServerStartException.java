package io.github.afterresponse.testkit;

/**
 * Thrown by {@link Container#start(WebApp)} when the server or the application failed to start, e.g.
 * because a filter's or servlet's {@code init} threw. The original exception is in the cause chain with its
 * message intact; the server has been stopped by the time this is thrown.
 */
public class ServerStartException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with the original failure as cause. */
    public ServerStartException(Container container, Throwable cause) {
        super(container + " failed to start: " + cause, cause);
    }

    /** Creates the exception when the container reported a failure without the original exception. */
    public ServerStartException(Container container, String message) {
        super(container + " failed to start: " + message);
    }
}
