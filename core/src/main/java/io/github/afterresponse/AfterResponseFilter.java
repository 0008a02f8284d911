package io.github.afterresponse;

import io.github.afterresponse.internal.ExchangeHandler;
import io.github.afterresponse.internal.Log;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The filter: buffers the servlet's response, sends it whole ({@code Content-Length}, and
 * {@code Connection: close} on HTTP/1.x when there is background work), completes the exchange and
 * then runs the tasks registered with {@link AfterResponse#then(Task)} on a container-managed
 * thread.
 *
 * <p>Declare it {@code asyncSupported} (web.xml {@code <async-supported>true</async-supported>}, or
 * {@code FilterRegistration.Dynamic.setAsyncSupported(true)}) and map it for {@code REQUEST}
 * dispatches. Servlets that also declare {@code asyncSupported} free their request thread as soon
 * as the response is sent; for the others, the tasks run on the request thread after the response
 * has been flushed.
 *
 * <pre>{@code
 * <filter>
 *   <filter-name>afterResponse</filter-name>
 *   <filter-class>io.github.afterresponse.AfterResponseFilter</filter-class>
 *   <async-supported>true</async-supported>
 *   <init-param><param-name>buffer-limit</param-name><param-value>1MiB</param-value></init-param>
 * </filter>
 * <filter-mapping>
 *   <filter-name>afterResponse</filter-name>
 *   <url-pattern>/*</url-pattern>
 * </filter-mapping>
 * }</pre>
 *
 * <p>Configure it either from init-params (see {@link AfterResponseConfig} for the names) or by
 * constructing it with an {@link AfterResponseConfig}; not both. Invalid configuration makes
 * {@link #init} fail: Jetty and Tomcat then refuse to start the web application (it answers 404 or
 * 503); Payara Micro deploys it anyway, logging "Exception starting filter", and the filter's paths
 * answer 500. One instance serves one filter name: a second {@code init} on it is refused.
 *
 * <p>Extension points: {@link #shouldNotFilter} and {@link #afterCompletion}. {@code doFilter} is
 * final.
 */
public class AfterResponseFilter implements Filter {

    private static final System.Logger LOG = Log.LOGGER;

    private final @Nullable AfterResponseConfig givenConfig;
    /** Set for the filter {@link AfterResponseInitializer} adds: it handles the annotated servlets only. */
    private final boolean annotatedOnly;
    private volatile @Nullable AfterResponseConfig config;
    private volatile @Nullable ExchangeHandler handler;
    private volatile @Nullable ServletContext servletContext;
    private volatile String filterName = "";
    private boolean destroying;

    /** A filter configured from its init-params. */
    public AfterResponseFilter() {
        this.givenConfig = null;
        this.annotatedOnly = false;
    }

    /** A filter with this configuration; it must then have no init-params. */
    public AfterResponseFilter(AfterResponseConfig config) {
        this(config, false);
    }

    private AfterResponseFilter(AfterResponseConfig config, boolean annotatedOnly) {
        this.givenConfig = Objects.requireNonNull(config, "config");
        this.annotatedOnly = annotatedOnly;
    }

    /** The filter {@link AfterResponseInitializer} adds: requests of other servlets pass straight on. */
    static AfterResponseFilter forAnnotatedServlets(AfterResponseConfig config) {
        return new AfterResponseFilter(config, true);
    }

    /**
     * Reads the configuration.
     *
     * @throws ServletException naming the init-param and its value when one is invalid or unknown,
     *     or when init-params were given to a filter constructed with a configuration
     */
    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        String filterName = filterConfig.getFilterName();
        ExchangeHandler running;
        String first;
        ServletContext firstContext;
        synchronized (this) {
            if (destroying) {
                throw new ServletException("After Response filter '" + filterName + "' cannot start: this "
                        + "AfterResponseFilter instance is being destroyed as filter '" + this.filterName + "'");
            }
            running = handler;
            if (running == null) {
                start(filterConfig);
                return;
            }
            // Jetty, Tomcat and Undertow call init once per name when one instance is registered
            // under two; doFilter could not tell which name a request came through. The instance
            // stops altogether: embedded Undertow does not destroy the filters that had started
            // when another one's init fails, and nothing of this one may be left behind.
            first = this.filterName;
            firstContext = servletContext; // perhaps another context than this init's
            handler = null;
            destroying = true;
        }
        try {
            // Outside the lock, as in destroy: callbacks of running work may take it (afterCompletion).
            running.stop(firstContext, first);
        } finally {
            synchronized (this) {
                destroying = false;
            }
        }
        throw new ServletException("After Response filter '" + filterName + "' cannot start: this "
                + "AfterResponseFilter instance has already been initialised as filter '" + first
                + "', and has now stopped; register a new AfterResponseFilter under each name");
    }

    /** Starts the handling; called under the filter's lock, with no handler running. */
    private void start(FilterConfig filterConfig) throws ServletException {
        String filterName = filterConfig.getFilterName();
        AfterResponseConfig resolved = resolve(filterConfig);
        ServletContext context = filterConfig.getServletContext();
        try {
            handler = ExchangeHandler.start(resolved, context, filterName, this::afterCompletion, Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            throw new ServletException("After Response filter '" + filterName + "' cannot start: " + e.getMessage(), e);
        }
        config = resolved;
        servletContext = context;
        this.filterName = filterName;
        LOG.log(Level.INFO, "After Response filter ''{0}'' started with {1}", filterName, resolved);
    }

    private AfterResponseConfig resolve(FilterConfig filterConfig) throws ServletException {
        Map<String, String> initParameters = new LinkedHashMap<>();
        for (String name : Collections.list(filterConfig.getInitParameterNames())) {
            initParameters.put(name, filterConfig.getInitParameter(name));
        }
        String filterName = filterConfig.getFilterName();
        if (givenConfig != null) {
            if (!initParameters.isEmpty()) {
                throw new ServletException("After Response filter '" + filterName + "' was constructed with an "
                        + "AfterResponseConfig, so its init-params " + initParameters.keySet()
                        + " must be empty, but were given; configure it one way or the other");
            }
            return givenConfig;
        }
        try {
            return AfterResponseConfig.fromInitParameters(initParameters);
        } catch (IllegalArgumentException e) {
            throw new ServletException("After Response filter '" + filterName + "' cannot start: " + e.getMessage(), e);
        }
    }

    /**
     * Handles HTTP requests on their {@code REQUEST} dispatch; passes every other dispatch, and
     * requests already handled by an After Response filter, straight down the chain.
     */
    @Override
    public final void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        ExchangeHandler current = handler;
        if (current == null) {
            AfterResponseConfig stopped = config;
            if (stopped != null && !annotatedOnly && request instanceof HttpServletRequest httpRequest
                    && response instanceof HttpServletResponse httpResponse
                    && httpRequest.getDispatcherType() == DispatcherType.REQUEST
                    && !ExchangeHandler.isHandled(httpRequest) && !shouldNotFilter(httpRequest)) {
                // Stopped: a request that still reaches the filter (the container's stop has not
                // closed its connectors yet, or an application stopped it early, such as the
                // Spring Boot starter inside Boot's shutdown) gets the stop's 503, not an error;
                // requests the filter would not have handled pass on as they did while it ran.
                ExchangeHandler.refuseStopped(httpResponse, stopped);
                return;
            }
            if (stopped != null) {
                chain.doFilter(request, response);
                return;
            }
            throw new IllegalStateException("After Response filter used before init(FilterConfig)");
        }
        if (request instanceof HttpServletRequest httpRequest
                && response instanceof HttpServletResponse httpResponse
                && httpRequest.getDispatcherType() == DispatcherType.REQUEST
                && !ExchangeHandler.isHandled(httpRequest)
                && (!annotatedOnly || current.isAnnotated(httpRequest))
                && !shouldNotFilter(httpRequest)) {
            current.handle(httpRequest, httpResponse, chain);
        } else {
            chain.doFilter(request, response);
        }
    }

    /**
     * Hook: whether this request should bypass the toolkit entirely (no buffering, no exchange).
     * Called on the request thread before the servlet runs. The default handles every request.
     */
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return false;
    }

    /**
     * Hook: told how every exchange of this filter ended, after the exchange's own callbacks. Useful
     * for logging and metrics. Runs on the thread described in {@link CompletionCallback}; should be
     * quick; an exception is logged and otherwise ignored.
     */
    protected void afterCompletion(Completion completion) throws Exception {
        // Nothing by default.
    }

    /**
     * The configuration in effect.
     *
     * @throws IllegalStateException before {@link #init}
     */
    public AfterResponseConfig config() {
        AfterResponseConfig current = config;
        if (current == null) {
            throw new IllegalStateException("After Response filter not initialised yet");
        }
        return current;
    }

    /**
     * The live figures of this filter: counters, and the exchanges whose work is queued or running.
     *
     * @throws IllegalStateException before {@link #init}
     */
    public AfterResponseMonitor monitor() {
        ExchangeHandler current = handler;
        if (current == null) {
            throw new IllegalStateException("After Response filter not initialised yet, or destroyed");
        }
        return current.monitor();
    }

    /**
     * Stops graceful: new requests are refused with 503 at once; work waiting for a slot ends
     * {@link Outcome#SHUT_DOWN} without running; running work gets
     * {@link AfterResponseConfig#shutdownGrace()} to end, then its thread is interrupted and it ends
     * {@link Outcome#SHUT_DOWN}. Every exchange's callbacks run. Blocks for at most the grace period
     * plus 5 seconds. Requests that still reach the filter afterwards are refused with the same 503.
     */
    @Override
    public void destroy() {
        ExchangeHandler current;
        ServletContext context;
        synchronized (this) {
            current = handler;
            context = servletContext;
            if (current == null || context == null || destroying) {
                return; // a second destroy (one per name an instance was registered under) has nothing to do
            }
            destroying = true;
        }
        try {
            // The handler stays in place meanwhile: requests that still arrive get its 503.
            current.stop(context, filterName);
        } finally {
            synchronized (this) {
                handler = null;
                destroying = false;
            }
        }
    }
}
