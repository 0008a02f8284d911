package io.github.afterresponse;

/**
 * Background work registered with {@link AfterResponse#then(Task)}; it runs after the client has
 * its complete response.
 *
 * <p><b>Thread:</b> a container-managed thread (by default one from the container's request pool,
 * through {@code AsyncContext.start}), never the thread that ran the servlet when asynchronous
 * processing is available. Tasks of one exchange run one after another, in registration order, on
 * the same thread. A task may block; while it does, it holds that thread.
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
