package io.github.afterresponse;

/**
 * Background work registered with {@link AfterResponse#then(Task)}; it runs after the client has
 * its complete response.
 *
 * <p><b>Thread:</b> the executor's (see {@link ExecutorChoice}): by default a thread of the
 * container's request pool through {@code AsyncContext.start}, never the thread that ran the
 * servlet when asynchronous processing is available; with {@code executor=dedicated} a thread of
 * the filter's own pool (virtual on Java 21+). Tasks of one exchange run one after another, in
 * registration order, on the same thread; each runs with the request thread's context restored
 * there (the context class loader, and what the {@link ContextPropagator}s carry), and removed
 * again right after. A task may block; while it does, it holds that thread and one of the filter's
 * {@code max-running} slots. The thread is interrupted when the time limit runs out, when the
 * client goes away under {@link AbortPolicy#CANCEL}, and after the shutdown grace period.
 *
 * <p>A task must not touch the {@code HttpServletRequest} or {@code HttpServletResponse} of the
 * exchange: they have been handed back to the container. Doing so throws
 * {@link IllegalStateException}. Use {@link TaskContext#request()} instead.
 */
@FunctionalInterface
public interface Task {

    /**
     * Does the work.
     *
     * @param context the exchange's id, request snapshot and connection status
     * @throws Exception any failure: the remaining tasks of the exchange are skipped, the failure is
     *     logged and reported to the callbacks as {@link Outcome#FAILED}
     */
    void run(TaskContext context) throws Exception;
}
