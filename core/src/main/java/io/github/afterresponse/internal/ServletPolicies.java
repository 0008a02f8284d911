package io.github.afterresponse.internal;

import io.github.afterresponse.AbortPolicy;
import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.ContinueAfterResponse;
import io.github.afterresponse.internal.config.InitParameters;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The abort policy, time limit, buffer limit and connection close per servlet: the filter's,
 * replaced by the servlet class's {@link ContinueAfterResponse} where it has one. Read for every
 * servlet of the context when the filter starts, so a bad value fails the filter's init; servlets
 * registered later are read on their first request.
 */
final class ServletPolicies {

    private static final System.Logger LOG = Log.LOGGER;

    /** One servlet's settings. */
    record Policy(AbortPolicy abortPolicy, Duration timeLimit, int bufferLimit, boolean connectionClose,
            boolean annotated) {
    }

    private final Policy defaults;
    private final ServletContext context;
    private final Map<String, Policy> byServlet = new ConcurrentHashMap<>();

    private ServletPolicies(Policy defaults, ServletContext context) {
        this.defaults = defaults;
        this.context = context;
    }

    /**
     * Reads the annotations of every servlet registered in the context.
     *
     * @throws IllegalArgumentException naming the servlet, the attribute and the value, for a bad one
     */
    static ServletPolicies read(AfterResponseConfig config, ServletContext context) {
        ServletPolicies policies = new ServletPolicies(new Policy(config.abortPolicy(), config.timeLimit(),
                config.bufferLimit(), config.connectionClose(), false), context);
        Map<String, ? extends ServletRegistration> registrations;
        try {
            registrations = context.getServletRegistrations();
        } catch (UnsupportedOperationException e) {
            return policies; // a context that hides its registrations: read on first request
        }
        registrations.forEach((name, registration) -> policies.byServlet.put(name, policies.of(registration)));
        return policies;
    }

    /** Whether the request's servlet carries {@code @ContinueAfterResponse}. */
    boolean isAnnotated(HttpServletRequest request) {
        return forRequest(request).annotated();
    }

    Policy forRequest(HttpServletRequest request) {
        String servlet = request.getHttpServletMapping().getServletName();
        if (servlet == null) {
            return defaults;
        }
        return byServlet.computeIfAbsent(servlet, name -> {
            ServletRegistration registration = context.getServletRegistration(name);
            return registration == null ? defaults : of(registration);
        });
    }

    private Policy of(ServletRegistration registration) {
        ContinueAfterResponse annotation = annotationOf(registration);
        if (annotation == null) {
            return defaults;
        }
        String where = "@ContinueAfterResponse on servlet '" + registration.getName() + "' ("
                + registration.getClassName() + ")";
        AbortPolicy abortPolicy = annotation.abortPolicy().isEmpty() ? defaults.abortPolicy()
                : InitParameters.abortPolicy(where + " abortPolicy", annotation.abortPolicy());
        Duration timeLimit = annotation.timeLimit().isEmpty() ? defaults.timeLimit()
                : InitParameters.timeLimit(where + " timeLimit", annotation.timeLimit());
        int bufferLimit = annotation.bufferLimit().isEmpty() ? defaults.bufferLimit()
                : InitParameters.bufferLimit(where + " bufferLimit", annotation.bufferLimit());
        boolean connectionClose = annotation.connectionClose().isEmpty() ? defaults.connectionClose()
                : InitParameters.bool(where + " connectionClose", annotation.connectionClose());
        return new Policy(abortPolicy, timeLimit, bufferLimit, connectionClose, true);
    }

    private @Nullable ContinueAfterResponse annotationOf(ServletRegistration registration) {
        return annotationOf(context, registration);
    }

    /** The servlet class's annotation, or null if it has none or its class cannot be read. */
    static @Nullable ContinueAfterResponse annotationOf(ServletContext context, ServletRegistration registration) {
        String className = registration.getClassName();
        if (className == null) {
            return null;
        }
        try {
            ClassLoader loader = context.getClassLoader();
            Class<?> type = Class.forName(className, false, loader != null ? loader
                    : Thread.currentThread().getContextClassLoader());
            return type.getAnnotation(ContinueAfterResponse.class);
        } catch (ClassNotFoundException | LinkageError | SecurityException e) {
            LOG.log(Level.DEBUG, () -> "After Response: cannot read the class of servlet '" + registration.getName()
                    + "' (" + className + "): " + e);
            return null;
        }
    }
}
