package io.github.afterresponse.spring.boot.it.webfilter;

import io.github.afterresponse.AfterResponseFilter;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.annotation.WebInitParam;
import jakarta.servlet.http.HttpServletRequest;

/** The application's own After Response filter, declared the servlet way and found by @ServletComponentScan. */
@WebFilter(filterName = "annotatedAfterResponse", urlPatterns = "/*", asyncSupported = true,
        initParams = @WebInitParam(name = "jmx", value = "false"))
public class AnnotatedAfterResponseFilter extends AfterResponseFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/actuator");
    }
}
