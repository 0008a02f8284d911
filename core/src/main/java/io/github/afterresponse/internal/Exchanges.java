package io.github.afterresponse.internal;

import io.github.afterresponse.AfterResponse;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import java.util.Optional;

/** Finds the exchange of a request: through the filter's request wrapper, or the request attribute. */
public final class Exchanges {

    /** The request attribute holding the {@link ExchangeFacade}; also marks a request as handled. */
    static final String ATTRIBUTE = AfterResponse.class.getName();

    private Exchanges() {}

    /**
     * The exchange of the request. The wrapper chain is searched first so that a request captured by
     * a task finds its exchange without touching the container's (possibly recycled) request object.
     */
    public static Optional<AfterResponse> find(ServletRequest request) {
        for (ServletRequest current = request; ; ) {
            if (current instanceof GuardedRequest guarded) {
                return Optional.of(guarded.facade());
            }
            if (!(current instanceof ServletRequestWrapper wrapper)) {
                break;
            }
            current = wrapper.getRequest();
        }
        return request.getAttribute(ATTRIBUTE) instanceof ExchangeFacade facade ? Optional.of(facade) : Optional.empty();
    }

    /** Whether the filter already handles this request (a nested or repeated pass through a filter). */
    static boolean isHandled(ServletRequest request) {
        return request.getAttribute(ATTRIBUTE) != null;
    }

    static void attach(ServletRequest request, ExchangeFacade facade) {
        request.setAttribute(ATTRIBUTE, facade);
    }
}
