package io.github.afterresponse.internal;

import jakarta.servlet.AsyncContext;

/**
 * The container's request pool, through {@link AsyncContext#start} (Jetty {@code qtp…}, Tomcat
 * {@code http-nio-…-exec}, Undertow {@code XNIO-…task}). Only a request's own asynchronous context
 * reaches it, so a thread that finishes a job runs the next waiting one itself.
 */
final class ContainerExecutor implements WorkExecutor {

    private final LogOnce refused = new LogOnce();

    @Override
    public boolean needsAsync() {
        return true;
    }

    @Override
    public boolean handsOverThread() {
        return true;
    }

    @Override
    public boolean start(BackgroundJob job, WorkScheduler scheduler) {
        AsyncContext async = job.async();
        if (async == null) {
            return false;
        }
        job.runOnContainerComplete();
        try {
            async.start(() -> scheduler.runIfUnclaimed(job));
            return true;
        } catch (RuntimeException e) {
            // Undertow throws (a wrapped RejectedExecutionException) once its worker shuts down.
            refused.log(() -> "After Response: the container refused to run background work on one of its threads "
                    + "(AsyncContext.start: " + e + "); it runs on the thread that handed it on instead");
            return false;
        }
    }

    @Override
    public void shutdown() {
        // The container owns its pool.
    }

    @Override
    public String describe() {
        return "the container's request threads (AsyncContext.start)";
    }
}
