package io.github.afterresponse.internal;

import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The self-check that early completion happened: once the filter has flushed and ended a response
 * that background work follows, the container's own response must be committed. If it is not, a
 * response wrapper between the filter and the container holds the body back (Spring's
 * {@code ContentCachingResponseWrapper}, which {@code ShallowEtagHeaderFilter} uses, or a
 * compression filter that buffers), and the client gets its answer only when the request ends,
 * after the work: the failure PHP and Laravel users meet without a word.
 */
final class OuterHold {

    private OuterHold() {}

    /**
     * The wrappers that hold the response back, outermost first, or null if the container's
     * response is committed.
     *
     * @param given the response the filter was given
     */
    static @Nullable String holders(ServletResponse given) {
        List<String> wrappers = new ArrayList<>();
        ServletResponse current = given;
        while (current instanceof ServletResponseWrapper wrapper) {
            wrappers.add(current.getClass().getName());
            current = wrapper.getResponse();
        }
        if (current.isCommitted()) {
            return null;
        }
        return wrappers.isEmpty() ? current.getClass().getName() : String.join(", ", wrappers);
    }

    /** The warning, naming the holders and the fix. */
    static String warning(String filterName, String holders, String requestUri, boolean finishing) {
        String spring = holders.contains("ContentCachingResponseWrapper")
                ? " Spring's ShallowEtagHeaderFilter and ContentCachingResponseWrapper hold the whole body by design, "
                        + "and copy it out only when the filter chain returns on a request that did not go "
                        + "asynchronous: exclude these paths from them (shouldNotFilter), or order "
                        + "AfterResponseFilter before them."
                : "";
        return "After Response filter '" + filterName + "' sent and ended the response of " + requestUri
                + ", but the container has not received it: the response wrapper " + holders + ", set by a filter "
                + "mapped before this one, holds it back, so the client gets its answer only when that filter lets "
                + "it go, not now. Map AfterResponseFilter before that filter (outermost: first in web.xml, or "
                + "first in the framework's filter order), or keep that filter away from these paths." + spring
                + (finishing ? " This servlet calls finish(): there a buffering filter breaks it inside this filter "
                        + "too (it holds the servlet's output until the servlet returns), so keep it away from these "
                        + "paths." : "");
    }
}
