package io.github.afterresponse.spring.boot.internal;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.web.context.ServletContextAware;

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
public final class FilterLifecycle implements SmartLifecycle, ServletContextAware {

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
    /** The filters this lifecycle stopped, to start again if the context is started again. */
    private final List<RegisteredFilters.Registered> stopped = new ArrayList<>();
    private @Nullable ServletContext servletContext;

    public FilterLifecycle(RegisteredFilters filters) {
        this.filters = filters;
    }

    @Override
    public void setServletContext(ServletContext servletContext) {
        this.servletContext = servletContext;
    }

    /** Nothing to start: at the first start the container has started the filters; a restart is {@link Restart}'s. */
    @Override
    public void start() {
        running = true;
    }

    /** Stops every filter that runs; one that fails to stop is logged, and the others still stop. */
    @Override
    public synchronized void stop() {
        running = false;
        for (RegisteredFilters.Registered registered : filters.all()) {
            if (registered.monitorOrNull() == null) {
                continue; // never started (a disabled registration), or stopped already
            }
            LOG.info("After Response: stopping filter '" + registered.name() + "' before the web server stops");
            try {
                registered.filter().destroy();
                stopped.add(registered);
            } catch (RuntimeException | Error e) {
                LOG.error("After Response: filter '" + registered.name() + "' failed to stop", e);
            }
        }
    }

    /**
     * Starts again the filters this lifecycle stopped, after a {@code stop()} and {@code start()}
     * of the context (what a CRaC checkpoint and restore does: Boot's web server takes its
     * connectors away and adds them back, the servlet context stays), with the configuration their
     * registration gave them. Each one started is struck off, so a retried start does not start it
     * twice.
     */
    synchronized void restart() {
        ServletContext context = servletContext;
        for (Iterator<RegisteredFilters.Registered> each = stopped.iterator(); each.hasNext(); ) {
            RegisteredFilters.Registered registered = each.next();
            if (context == null) {
                throw new IllegalStateException("After Response: filter '" + registered.name() + "' cannot be "
                        + "started again without its servlet context");
            }
            LOG.info("After Response: starting filter '" + registered.name() + "' again");
            try {
                registered.filter().init(new RestartConfig(registered.name(), context));
            } catch (ServletException e) {
                throw new IllegalStateException("After Response: filter '" + registered.name()
                        + "' could not be started again: " + e.getMessage(), e);
            }
            each.remove();
        }
    }

    /**
     * Starts the stopped filters again before the web server takes requests: Spring starts the
     * lowest phases first, and the web server starts at {@code DEFAULT_PHASE - 2048}, so this
     * runs at {@code DEFAULT_PHASE - 2560}; a request that arrives once the server serves again
     * finds the filter running. Stopping is {@link FilterLifecycle}'s, later in the phases.
     */
    public static final class Restart implements SmartLifecycle {

        /** Below the web server's start, {@code DEFAULT_PHASE - 2048}. */
        public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2560;

        private final FilterLifecycle lifecycle;
        private volatile boolean running;

        public Restart(FilterLifecycle lifecycle) {
            this.lifecycle = lifecycle;
        }

        @Override
        public void start() {
            lifecycle.restart();
            running = true;
        }

        @Override
        public void stop() {
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return PHASE;
        }

        /** As {@link FilterLifecycle#isPauseable()}. */
        public boolean isPauseable() {
            return false;
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

    /**
     * Not stopped by a pause ({@code ConfigurableApplicationContext.pause()}, Spring Framework 7):
     * the web server keeps serving through a pause, so the filter must too. Not an
     * {@code @Override}: Spring Framework 6 has no such method.
     */
    public boolean isPauseable() {
        return false;
    }

    /** The filter's configuration as the servlet context registered it: its name and its init-params. */
    private record RestartConfig(String name, ServletContext context) implements FilterConfig {

        @Override
        public String getFilterName() {
            return name;
        }

        @Override
        public ServletContext getServletContext() {
            return context;
        }

        @Override
        public @Nullable String getInitParameter(String parameter) {
            FilterRegistration registration = context.getFilterRegistration(name);
            return registration == null ? null : registration.getInitParameter(parameter);
        }

        @Override
        public Enumeration<String> getInitParameterNames() {
            FilterRegistration registration = context.getFilterRegistration(name);
            return Collections.enumeration(registration == null ? List.of()
                    : registration.getInitParameters().keySet());
        }
    }
}
