package io.github.afterresponse.demo.war;

import io.github.afterresponse.AfterResponseFilter;
import io.github.afterresponse.AfterResponseMonitor;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * One After Response filter of the application as the status page shows it: its registration
 * (name, class, mappings), the executor it was given, and its live monitor.
 *
 * @param name the filter name
 * @param className the filter class
 * @param urlPatterns its URL pattern mappings
 * @param servletNames its servlet name mappings
 * @param executor the executor setting ({@code container} unless the filter was given another)
 * @param monitor its monitor, while it runs
 */
record FilterView(String name, String className, Collection<String> urlPatterns, Collection<String> servletNames,
        String executor, Optional<AfterResponseMonitor> monitor) {

    /** Every filter of the context whose class is (or extends) {@link AfterResponseFilter}, by name. */
    static List<FilterView> all(ServletContext context) {
        List<FilterView> views = new ArrayList<>();
        for (FilterRegistration registration : context.getFilterRegistrations().values()) {
            if (!isAfterResponseFilter(registration.getClassName(), context)) {
                continue;
            }
            String name = registration.getName();
            views.add(new FilterView(name, registration.getClassName(),
                    List.copyOf(registration.getUrlPatternMappings()), List.copyOf(registration.getServletNameMappings()),
                    executor(context, registration), AfterResponseMonitor.find(context, name)));
        }
        views.sort((a, b) -> a.name().compareTo(b.name()));
        return views;
    }

    private static String executor(ServletContext context, FilterRegistration registration) {
        if (DemoSetup.FILTER_NAME.equals(registration.getName())) {
            ExecutorSelection selection = DemoSetup.selection(context);
            return selection == null ? "unknown" : selection.choice().toString();
        }
        String configured = registration.getInitParameter("executor");
        return configured == null ? "container" : configured;
    }

    private static boolean isAfterResponseFilter(String className, ServletContext context) {
        if (className == null) {
            return false;
        }
        try {
            return AfterResponseFilter.class.isAssignableFrom(Class.forName(className, false, context.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
