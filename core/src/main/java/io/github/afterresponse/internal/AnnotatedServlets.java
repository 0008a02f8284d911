package io.github.afterresponse.internal;

import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.AfterResponseFilter;
import io.github.afterresponse.internal.config.InitParameters;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import java.lang.System.Logger.Level;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What {@code AfterResponseInitializer} does when a web application starts: finds the servlets
 * whose class carries {@code @ContinueAfterResponse} and maps the filter onto exactly those, by
 * servlet name, onto the application's own {@code AfterResponseFilter} if it declares one, else
 * onto one it adds, configured from the prefixed context-params.
 */
public final class AnnotatedServlets {

    private static final System.Logger LOG = Log.LOGGER;

    private AnnotatedServlets() {}

    /**
     * Maps the filter; does nothing if no servlet is annotated.
     *
     * @throws IllegalArgumentException naming the context-param and its value, for a bad one
     * @throws IllegalStateException if a filter of that name exists that is not an AfterResponseFilter
     */
    public static void map(ServletContext context, String filterName, String prefix) {
        List<String> servlets = annotatedServlets(context);
        if (servlets.isEmpty()) {
            return;
        }
        String[] names = servlets.toArray(String[]::new);
        Map<String, String> initParameters = initParameters(context, prefix);
        String declared = declaredFilter(context);
        if (declared != null) {
            FilterRegistration registration = context.getFilterRegistration(declared);
            registration.addMappingForServletNames(EnumSet.of(DispatcherType.REQUEST), false, names);
            LOG.log(Level.INFO, "After Response: the servlets {0} annotated @ContinueAfterResponse are mapped onto "
                    + "the application''s own filter ''{1}''", servlets, declared);
            if (!initParameters.isEmpty()) {
                LOG.log(Level.WARNING, "After Response: the context-params {0} are ignored: the servlets annotated "
                        + "@ContinueAfterResponse use the application''s own filter ''{1}'', which takes its "
                        + "init-params instead", prefixed(initParameters, prefix), declared);
            }
            return;
        }
        FilterRegistration.Dynamic filter = context.addFilter(filterName, AfterResponseFilter.class);
        if (filter == null) {
            throw new IllegalStateException("After Response: cannot map the servlets " + servlets + " annotated "
                    + "@ContinueAfterResponse: the application already has a filter named '" + filterName
                    + "' that is not an AfterResponseFilter");
        }
        filter.setAsyncSupported(true);
        filter.setInitParameters(initParameters);
        filter.addMappingForServletNames(EnumSet.of(DispatcherType.REQUEST), false, names);
        LOG.log(Level.INFO, "After Response: filter ''{0}'' added for the servlets {1} annotated "
                + "@ContinueAfterResponse", filterName, servlets);
    }

    private static List<String> prefixed(Map<String, String> parameters, String prefix) {
        return parameters.keySet().stream().map(name -> prefix + name).toList();
    }

    /** The names of the registered servlets whose class is annotated, in name order. */
    private static List<String> annotatedServlets(ServletContext context) {
        return new TreeMap<>(context.getServletRegistrations()).values().stream()
                .filter(registration -> ServletPolicies.annotationOf(context, registration) != null)
                .map(registration -> registration.getName())
                .toList();
    }

    /** The first, by name, of the application's own filters that is an AfterResponseFilter, or null. */
    private static @Nullable String declaredFilter(ServletContext context) {
        for (Map.Entry<String, ? extends FilterRegistration> entry
                : new TreeMap<>(context.getFilterRegistrations()).entrySet()) {
            if (isAfterResponseFilter(context, entry.getValue().getClassName())) {
                return entry.getKey();
            }
        }
        return null;
    }

    private static boolean isAfterResponseFilter(ServletContext context, @Nullable String className) {
        if (className == null) {
            return false;
        }
        if (className.equals(AfterResponseFilter.class.getName())) {
            return true;
        }
        try {
            ClassLoader loader = context.getClassLoader();
            Class<?> type = Class.forName(className, false, loader != null ? loader
                    : Thread.currentThread().getContextClassLoader());
            return AfterResponseFilter.class.isAssignableFrom(type);
        } catch (ClassNotFoundException | LinkageError | SecurityException e) {
            return false; // the container will report a filter class it cannot load
        }
    }

    /**
     * The context-params that start with {@code prefix}, without it, validated now so that a bad
     * one fails the start naming the context-param.
     */
    private static Map<String, String> initParameters(ServletContext context, String prefix) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String name : Collections.list(context.getInitParameterNames())) {
            if (name.startsWith(prefix)) {
                parameters.put(name.substring(prefix.length()), context.getInitParameter(name));
            }
        }
        parameters.forEach((name, value) -> {
            try {
                InitParameters.parse(Map.of(name, value), AfterResponseConfig.builder()).build();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("After Response: context-param " + prefix + name + ": "
                        + e.getMessage(), e);
            }
        });
        return parameters;
    }
}
