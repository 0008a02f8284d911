package io.github.afterresponse;

/**
 * What happens to an exchange's work when its client goes away (PHP's {@code ignore_user_abort}).
 *
 * <p>A vanished client is only noticed when something is written to it and the write or flush fails
 * (Jetty {@code EofException}, Tomcat {@code ClientAbortException}, Undertow {@code IOException}):
 * no container sees a closed connection while nothing is written. Either way the exchange's
 * {@link ConnectionStatus} gains {@link ConnectionStatus#ABORTED}.
 *
 * <p>Set it for the filter ({@code abort-policy}), for a servlet ({@link ContinueAfterResponse}) or for
 * one request ({@link AfterResponse#abortPolicy}).
 */
public enum AbortPolicy {
    /**
     * PHP's default: the work stops. The failed write and every later one throw
     * {@link ClientAbortedException}, tasks that have not started are skipped, and a running task's
     * thread is interrupted. The outcome is {@link Outcome#CANCELLED}.
     */
    CANCEL,
    /**
     * {@code ignore_user_abort(true)}: the work goes on; output to the client is discarded silently
     * from then on. The status still reports {@link ConnectionStatus#ABORTED}.
     */
    CONTINUE
}
