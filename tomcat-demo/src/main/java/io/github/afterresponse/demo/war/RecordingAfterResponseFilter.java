package io.github.afterresponse.demo.war;

import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.AfterResponseFilter;
import io.github.afterresponse.Completion;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;

/**
 * An {@link AfterResponseFilter} that records every exchange it ends in the {@link ExchangeLog},
 * through the {@link #afterCompletion} hook: also those no servlet saw, such as requests refused
 * with 503. Used by the {@code web.xml} filter and the programmatic one.
 */
public class RecordingAfterResponseFilter extends AfterResponseFilter {

    private volatile ServletContext context;
    private volatile String name = "";

    /** Configured from its init-params ({@code web.xml}). */
    public RecordingAfterResponseFilter() {
    }

    /** Configured in code; it must then have no init-params. */
    public RecordingAfterResponseFilter(AfterResponseConfig config) {
        super(config);
    }

    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        context = filterConfig.getServletContext();
        name = filterConfig.getFilterName();
        super.init(filterConfig);
    }

    @Override
    protected void afterCompletion(Completion completion) {
        ServletContext current = context;
        if (current != null) {
            ExchangeLog.of(current).filterSaw(name, completion);
        }
    }
}
