package io.github.afterresponse.internal;

import jakarta.servlet.AsyncContext;
import java.lang.System.Logger.Level;

/**
 * The container's request pool, through {@link AsyncContext#start} (DESIGN fact 5: Jetty
 * {@code qtp…}, Tomcat {@code http-nio-…-exec}, Undertow {@code XNIO-…task}). Only a request's own
 * asynchronous context reaches it, so a thread that finishes a job runs the next waiting one itself.
 */
final class ContainerExecutor implements WorkExecutor {

    private static final System.Logger LOG = Log.LOGGER;

    @Override
    public boolean needsAsync() {
        return true;
    }

    @Override
    public boolean handsOverThread() {
        return true;
    }

    @Override
    public void start(BackgroundJob job, WorkScheduler scheduler) {
        AsyncContext async = job.async();
        if (async == null) {
            scheduler.runIfUnclaimed(job);
            return;
        }
        job.runOnContainerComplete();
        try {
            async.start(() -> scheduler.runIfUnclaimed(job));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "After Response: the container refused to run the background work on one of its "
                    + "threads (AsyncContext.start); it runs on the calling thread instead", e);
            scheduler.runIfUnclaimed(job);
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
