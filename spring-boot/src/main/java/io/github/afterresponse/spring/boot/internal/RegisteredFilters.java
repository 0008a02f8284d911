package io.github.afterresponse.spring.boot.internal;

import io.github.afterresponse.AfterResponseFilter;
import io.github.afterresponse.AfterResponseMonitor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

/**
 * Every {@link AfterResponseFilter} of the application context, registered through a
 * {@link FilterRegistrationBean} or declared as a bean of its own (which Boot registers under its
 * bean name): the auto-configured one, or the application's own when it declared one.
 * The lifecycle, the meters and the endpoint work on these.
 */
public final class RegisteredFilters {

    /** One registered filter and its name in the servlet context. */
    public record Registered(String name, AfterResponseFilter filter, @Nullable FilterRegistrationBean<?> registration) {

        /** Its monitor, or none before the servlet context started it and after it was destroyed. */
        public @Nullable AfterResponseMonitor monitorOrNull() {
            try {
                return filter.monitor();
            } catch (IllegalStateException e) {
                return null;
            }
        }
    }

    private final ListableBeanFactory beans;

    public RegisteredFilters(ListableBeanFactory beans) {
        this.beans = beans;
    }

    /**
     * The filters that are registered (the auto-configured one only when it has not stepped aside
     * for the application's own), in bean definition order.
     */
    public List<Registered> all() {
        return candidates().stream().filter(registered -> registered.registration() == null
                || !(registered.registration() instanceof AfterResponseRegistration)
                || registered.registration().isEnabled()).toList();
    }

    /** Every After Response filter of the context, enabled or not. */
    @SuppressWarnings("rawtypes")
    List<Registered> candidates() {
        List<Registered> filters = new ArrayList<>();
        Map<String, FilterRegistrationBean> registrations = beans.getBeansOfType(FilterRegistrationBean.class, false, false);
        Set<AfterResponseFilter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        registrations.forEach((beanName, registration) -> {
            if (registration.getFilter() instanceof AfterResponseFilter filter && seen.add(filter)) {
                String name = registration.getFilterName();
                filters.add(new Registered(name != null ? name : beanName, filter, registration));
            }
        });
        // A filter declared as a bean of its own: Boot registers it under its bean name.
        beans.getBeansOfType(AfterResponseFilter.class, false, false).forEach((beanName, filter) -> {
            if (seen.add(filter)) {
                filters.add(new Registered(beanName, filter, null));
            }
        });
        return filters;
    }
}
