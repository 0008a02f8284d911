package io.github.afterresponse.internal;

import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.AfterResponseFilter;
import io.github.afterresponse.internal.config.InitParameters;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What {@code AfterResponseInitializer} does when a web application starts: finds the servlets
 * whose class carries {@code @ContinueAfterResponse} and puts exactly those behind the filter —
 * the application's own {@code AfterResponseFilter} if it declares one (by servlet name; its
 * order is the application's), else one it adds, configured from the prefixed context-params.
 *
 * <p>The filter it adds is mapped to the annotated servlets' URL patterns, ahead of the
 * application's filters, and by their names: the Servlet specification puts every url-pattern
 * mapping before every servlet-name mapping in the chain, so a name mapping alone would leave any
 * response wrapper the application maps by URL outside the filter, holding the response back. A
 * URL pattern may also match another servlet's requests (a more specific mapping under the same
 * path); the filter passes those through untouched.
 */
public final class AnnotatedServlets {

    private static final System.Logger LOG = Log.LOGGER;

    private AnnotatedServlets() {}

    /**
     * Maps the filter; does nothing if no servlet is annotated.
     *
     * @param newFilter makes the filter to add, for the configuration read from the context-params
     * @throws IllegalArgumentException naming the context-param and its value, for a bad one
     * @throws IllegalStateException if a filter of that name exists that is not an AfterResponseFilter
     */
    public static void map(ServletContext context, String filterName, String prefix,
            Function<AfterResponseConfig, Filter> newFilter, @Nullable Set<Class<?>> annotatedClasses) {
        Map<String, ? extends ServletRegistration> servlets = annotatedServlets(context);
        warnUnregistered(servlets.values(), annotatedClasses);
        if (servlets.isEmpty()) {
            return;
        }
        String[] names = servlets.keySet().toArray(String[]::new);
        Map<String, String> initParameters = initParameters(context, prefix);
        String declared = declaredFilter(context);
        if (declared != null) {
            context.getFilterRegistration(declared)
                    .addMappingForServletNames(EnumSet.of(DispatcherType.REQUEST), false, names);
            LOG.log(Level.INFO, "After Response: the servlets {0} annotated @ContinueAfterResponse are mapped onto "
                    + "the application''s own filter ''{1}''", servlets.keySet(), declared);
            if (!initParameters.isEmpty()) {
                LOG.log(Level.WARNING, "After Response: the context-params {0} are ignored: the servlets annotated "
                        + "@ContinueAfterResponse use the application''s own filter ''{1}'', which takes its "
                        + "init-params instead", prefixed(initParameters, prefix), declared);
            }
            return;
        }
        AfterResponseConfig config = InitParameters.parse(initParameters, AfterResponseConfig.builder()).build();
        FilterRegistration.Dynamic filter = context.addFilter(filterName, newFilter.apply(config));
        if (filter == null) {
            throw new IllegalStateException("After Response: cannot map the servlets " + servlets.keySet()
                    + " annotated @ContinueAfterResponse: the application already has a filter named '" + filterName
                    + "' that is not an AfterResponseFilter");
        }
        filter.setAsyncSupported(true);
        Set<String> patterns = new LinkedHashSet<>();
        for (ServletRegistration registration : servlets.values()) {
            for (String mapping : registration.getMappings()) {
                // As filter patterns, "/" matches only the path "/" (the default servlet's other
                // requests would meet the filter by name only, inside the application's URL-mapped
                // filters), and Undertow does not match "" (the context root) at all.
                patterns.add(mapping.equals("/") || mapping.isEmpty() ? "/*" : mapping);
            }
        }
        if (!patterns.isEmpty()) {
            filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, patterns.toArray(String[]::new));
        }
        filter.addMappingForServletNames(EnumSet.of(DispatcherType.REQUEST), false, names);
        LOG.log(Level.INFO, "After Response: filter ''{0}'' added for the servlets {1} annotated "
                + "@ContinueAfterResponse (URL patterns {2})", filterName, servlets.keySet(), patterns);
    }

    /** The registered servlets whose class is annotated, by name, in name order. */
    private static Map<String, ? extends ServletRegistration> annotatedServlets(ServletContext context) {
        Map<String, ServletRegistration> annotated = new TreeMap<>();
        context.getServletRegistrations().forEach((name, registration) -> {
            if (ServletPolicies.annotationOf(context, registration) != null) {
                annotated.put(name, registration);
            }
        });
        return annotated;
    }

    /**
     * Annotated classes that no servlet registered so far has as its class: a servlet a listener
     * adds later, which the initializer cannot map, or the annotation on a class that is no servlet.
     */
    private static void warnUnregistered(Collection<? extends ServletRegistration> registered,
            @Nullable Set<Class<?>> annotatedClasses) {
        if (annotatedClasses == null) {
            return;
        }
        Set<String> classes = new LinkedHashSet<>();
        registered.forEach(registration -> classes.add(registration.getClassName()));
        for (Class<?> type : annotatedClasses) {
            if (!type.isInterface() && !java.lang.reflect.Modifier.isAbstract(type.getModifiers())
                    && !classes.contains(type.getName())) {
                LOG.log(Level.WARNING, "After Response: {0} is annotated @ContinueAfterResponse, but no servlet "
                        + "registered when the application started has it as its class, so the filter is not mapped "
                        + "to it; for a servlet a listener adds, map the filter to it by name "
                        + "(FilterRegistration.addMappingForServletNames)", type.getName());
            }
        }
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

    private static List<String> prefixed(Map<String, String> parameters, String prefix) {
        return parameters.keySet().stream().map(name -> prefix + name).toList();
    }

    /**
     * The context-params that start with {@code prefix}, without it, each validated now so that a
     * bad one fails the start naming the context-param.
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
