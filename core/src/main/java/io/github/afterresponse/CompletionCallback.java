package io.github.afterresponse;

/**
 * Told how an exchange ended: PHP's {@code register_shutdown_function}, run exactly once per
 * exchange whatever happened.
 *
 * <p><b>Thread:</b> the thread that finished the exchange: the background thread that ran the
 * tasks; or, when there were no tasks, the request thread after the response was sent; or, when
 * the servlet threw or the request was refused, the request thread; or, for work cut short by
 * shutdown that never ran or ignored its interrupt, the thread running the filter's
 * {@code destroy()}. Callbacks run in registration order, each with the request thread's
 * context restored on that thread (see {@link ContextPropagator}) and removed right after. They should be quick: a callback may
 * block, but it holds that thread, and the exchange's admission place, while it does.
 */
@FunctionalInterface
public interface CompletionCallback {

    /**
     * Reacts to the end of the exchange.
     *
     * @param completion how it ended
     * @throws Exception logged through {@code System.Logger}; the other callbacks still run
     */
    void onComplete(Completion completion) throws Exception;
}
