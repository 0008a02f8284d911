package io.github.afterresponse.spring.boot.internal;

import io.github.afterresponse.AfterResponseFilter;
import io.github.afterresponse.AfterResponseMonitor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

/**
 * Every {@link AfterResponseFilter} registered through a {@link FilterRegistrationBean} of the
 * application context: the auto-configured one, or the application's own when it declared one.
 * The lifecycle, the meters and the endpoint work on these.
 */
public final class RegisteredFilters {

    /** One registered filter and its name in the servlet context. */
    public record Registered(String name, AfterResponseFilter filter) {

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

    /** The filters, in bean definition order. */
    @SuppressWarnings("rawtypes")
    public List<Registered> all() {
        List<Registered> filters = new ArrayList<>();
        Map<String, FilterRegistrationBean> registrations = beans.getBeansOfType(FilterRegistrationBean.class, false, false);
        registrations.forEach((beanName, registration) -> {
            if (registration.getFilter() instanceof AfterResponseFilter filter) {
                String name = registration.getFilterName();
                filters.add(new Registered(name != null ? name : beanName, filter));
            }
        });
        return filters;
    }
}
