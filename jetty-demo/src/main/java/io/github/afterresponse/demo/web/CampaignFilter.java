package io.github.afterresponse.demo.web;

import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.AfterResponseFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.regex.Pattern;

/**
 * The toolkit's filter for the requests that start sending: creating a campaign (page form and
 * API) and resuming one. Everything else — pages, status, pause, cancel — passes straight on, so
 * that it never takes an admission place and never gets a 503 while campaigns keep the slots busy.
 */
public final class CampaignFilter extends AfterResponseFilter {

    private static final Pattern STARTS_SENDING = Pattern.compile("/(api/)?campaigns(/\\d{1,18}/resume)?");

    public CampaignFilter(AfterResponseConfig config) {
        super(config);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // The servlet path and path info, as the servlets route (decoded, without ;parameters),
        // not the raw URI: the two must agree on which requests start sending.
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return !"POST".equals(request.getMethod()) || !STARTS_SENDING.matcher(path).matches();
    }
}
