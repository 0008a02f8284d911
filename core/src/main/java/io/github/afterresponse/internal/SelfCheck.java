package io.github.afterresponse.internal;

import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The self-check that early completion happened, per filter: what can keep a response the filter
 * sent and ended from reaching the client before the work, found after the fact, each named in one
 * WARNING (then DEBUG) with the fix. No peer has it; the failure is otherwise silent.
 *
 * <ul>
 *   <li>a response wrapper between the filter and the container that holds the body back
 *       (Spring's {@code ContentCachingResponseWrapper}, which {@code ShallowEtagHeaderFilter}
 *       uses, or a compression filter that buffers): the container's own response is still
 *       uncommitted once the filter has flushed and ended it;
 *   <li>for {@code finish()}: a body that went out before it without {@code Connection: close},
 *       Tomcat's compression, and output the servlet wrote after it (on purpose, or held by a
 *       buffering filter inside this one until the servlet returned).
 * </ul>
 */
final class SelfCheck {

    private final String filterName;
    private final LogOnce outerHold = new LogOnce();
    private final LogOnce finishAfterStreaming = new LogOnce();
    private final LogOnce compressedFinish = new LogOnce();
    private final LogOnce droppedAfterFinish = new LogOnce();

    SelfCheck(String filterName) {
        this.filterName = filterName;
    }

    /**
     * After the filter flushed and ended a response that work follows: warns if the container's
     * own response is not committed.
     *
     * @param given the response the filter was given
     * @param finishing whether the servlet called {@code finish()}
     */
    void outerHold(HttpServletRequest request, ServletResponse given, boolean finishing) {
        String holders = holders(given);
        if (holders != null) {
            outerHold.log(() -> outerHoldWarning(holders, request.getRequestURI(), finishing));
        }
    }

    /**
     * The wrappers that hold the response back, outermost first, or null if the container's
     * response is committed.
     *
     * @param given the response the filter was given
     */
    private static @Nullable String holders(ServletResponse given) {
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
    private String outerHoldWarning(String holders, String requestUri, boolean finishing) {
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

    /**
     * {@code finish()} found the response streamed already (it outgrew the buffer limit): its
     * headers went out without {@code Connection: close}, so the connection stays open while the
     * servlet goes on, and a client that sends its next request on it waits.
     */
    void finishAfterStreaming(HttpServletRequest request, int bufferLimit) {
        if (!ExchangeHandler.isHttp1(request)) {
            return; // HTTP/2: the stream ends, and no connection is held
        }
        finishAfterStreaming.log(() -> "After Response filter '" + filterName + "': finish() on "
                + request.getRequestURI() + " came after the response had outgrown its buffer limit of "
                + bufferLimit + " bytes and its headers had gone out: its body is ended, but "
                + "Connection: close could no longer be added, so the connection stays open until the servlet "
                + "returns, and a client that sends its next request on it waits. Raise buffer-limit (or "
                + "@ContinueAfterResponse(bufferLimit)) above the size of this response");
    }

    /**
     * After {@code finish()}: Tomcat compresses a response by dropping its {@code Content-Length};
     * with {@code Connection: close} it then ends the body with the connection close instead of
     * chunking it, and closes only when the request thread returns, so the client waits for the
     * rest of the servlet. Jetty and Undertow close at once (containers.md note 31).
     */
    void compressedFinish(HttpServletRequest request, HttpServletResponse real) {
        if (real.getHeader("Content-Encoding") != null && real.getHeader("Content-Length") == null
                && "close".equalsIgnoreCase(real.getHeader("Connection"))
                && String.valueOf(request.getServletContext().getServerInfo()).contains("Tomcat")) {
            compressedFinish.log(() -> "After Response filter '" + filterName + "': Tomcat compressed the response "
                    + "of " + request.getRequestURI() + " (Content-Encoding " + real.getHeader("Content-Encoding")
                    + "), which drops its Content-Length, so after finish() its body ends only when the connection "
                    + "closes, and Tomcat closes it only when the servlet returns: the client waits for the rest. "
                    + "Exclude this media type or path from compression (compressibleMimeType), or run the rest as "
                    + "a task (AfterResponse.then) instead of after finish()");
        }
    }

    /**
     * The servlet wrote after {@code finish()}; it was dropped. Either on purpose (as PHP drops it),
     * or a filter between this one and the servlet held the servlet's output and let it go only
     * when the servlet returned, after {@code finish()} had sent what it had.
     */
    void droppedAfterFinish(HttpServletRequest request, long dropped) {
        droppedAfterFinish.log(() -> "After Response filter '" + filterName + "': the servlet of "
                + request.getRequestURI() + " wrote " + dropped + " bytes or characters after finish(), which were "
                + "dropped. If a filter between AfterResponseFilter and the servlet holds the response (Spring's "
                + "ShallowEtagHeaderFilter or ContentCachingResponseWrapper, a compression filter that buffers), "
                + "finish() cannot send what it holds and the client got what had reached this filter: keep that "
                + "filter away from these paths");
    }
}
