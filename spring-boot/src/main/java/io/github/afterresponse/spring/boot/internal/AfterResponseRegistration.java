package io.github.afterresponse.spring.boot.internal;

import io.github.afterresponse.AfterResponseFilter;
import jakarta.servlet.FilterRegistration;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

/**
 * The auto-configured filter's registration. Two checks wait until the servlet context starts,
 * where they can be made: whether the application registers an After Response filter of its own
 * in a way the bean condition cannot see (a {@code @WebFilter} found by
 * {@code @ServletComponentScan}, a {@code FilterRegistrationBean<Filter>} holding one): then this
 * one steps aside; and the start-up checks of its configuration that need the container (a JNDI
 * executor is looked up on the thread that starts the servlet context, which sees its naming
 * context), whose failure Boot reports naming the property.
 */
public final class AfterResponseRegistration extends FilterRegistrationBean<AfterResponseFilter> {

    private static final Log LOG = LogFactory.getLog(AfterResponseRegistration.class);

    private final RegisteredFilters filters;
    private final Runnable startupCheck;
    private volatile boolean toldOfOthers;

    public AfterResponseRegistration(AfterResponseFilter filter, RegisteredFilters filters, Runnable startupCheck) {
        super(filter);
        this.filters = filters;
        this.startupCheck = startupCheck;
    }

    /** False when the application registers another After Response filter: it alone then runs. */
    @Override
    public boolean isEnabled() {
        if (!super.isEnabled()) {
            return false;
        }
        AfterResponseFilter own = getFilter();
        List<String> others = filters.candidates().stream()
                .filter(registered -> registered.filter() != own).map(RegisteredFilters.Registered::name).toList();
        if (others.isEmpty()) {
            return true;
        }
        if (!toldOfOthers) {
            toldOfOthers = true;
            LOG.info("After Response: the application registers its own After Response filter " + others
                    + ", so the auto-configured one is not registered");
        }
        return false;
    }

    @Override
    protected void configure(FilterRegistration.Dynamic registration) {
        startupCheck.run();
        super.configure(registration);
    }
}
