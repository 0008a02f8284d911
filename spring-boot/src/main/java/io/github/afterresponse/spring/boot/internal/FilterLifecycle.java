package io.github.afterresponse.spring.boot.internal;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Stops every registered After Response filter ({@code destroy()}) inside Boot's shutdown, at the
 * point where the application context is still whole: after Boot's graceful shutdown has drained
 * the requests in progress, and before the web server (and with it the servlet context, which would
 * destroy the filter on its own, later) stops. The filter's own stop then runs as documented — new
 * requests refused with 503, queued work ended {@code SHUT_DOWN}, running work given
 * {@code shutdown-grace} and then interrupted, every callback run — while the beans the tasks use
 * (a DataSource, a mail sender) are still alive: Boot destroys beans only after every lifecycle
 * phase has stopped. The later {@code destroy()} from the servlet container is a no-op.
 *
 * <p>{@link #stop()} is synchronous on the thread closing the context, so no phase timeout
 * ({@code spring.lifecycle.timeout-per-shutdown-phase}) cuts it short: it blocks for at most
 * {@code shutdown-grace} plus 5 seconds.
 */
public final class FilterLifecycle implements SmartLifecycle {

    /**
     * Between Boot's two web-server phases, the same in Boot 3.5 and 4.0 (read from both):
     * {@code WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE} = {@code DEFAULT_PHASE - 1024}
     * (2147482623) and {@code WebServerStartStopLifecycle.getPhase()} = {@code DEFAULT_PHASE - 2048}
     * (2147481599). Higher phases stop first, so this stops after the graceful drain and before the
     * server. The constants are not referenced: their classes moved packages between the two
     * versions.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1536;

    private static final Log LOG = LogFactory.getLog(FilterLifecycle.class);

    private final RegisteredFilters filters;
    private volatile boolean running;

    public FilterLifecycle(RegisteredFilters filters) {
        this.filters = filters;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        for (RegisteredFilters.Registered registered : filters.all()) {
            LOG.info("After Response: stopping filter '" + registered.name() + "' before the web server stops");
            registered.filter().destroy();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
