package io.github.afterresponse.internal;

import io.github.afterresponse.ExchangeState;

/**
 * Whether the servlet's request and response may still be used, checked by the guarded wrappers
 * on every call. Once the exchange has left the servlet's states, the container may have recycled
 * the real objects for another client (on Jetty a stale request reads the next request's headers
 * on the same connection, and a late write goes into the next response), so every use throws
 * {@link IllegalStateException} instead. A servlet that started its own asynchronous processing
 * keeps them: its own listeners still use them, and without tasks nothing can outlive it.
 */
final class Guard {

    private final String exchangeId;
    private final Lifecycle lifecycle;
    private volatile boolean keptOpen;
    /** Set from {@code finish()} until the servlet returns: its request thread still owns the objects. */
    private volatile boolean servletHolds;
    /** Set once the wrappers have let go of the container's objects: nothing can pass any more. */
    private volatile boolean released;

    Guard(String exchangeId, Lifecycle lifecycle) {
        this.exchangeId = exchangeId;
        this.lifecycle = lifecycle;
    }

    /** The servlet went asynchronous on its own: the objects stay usable for as long as it needs them. */
    void keepOpen() {
        keptOpen = true;
    }

    boolean isKeptOpen() {
        return keptOpen;
    }

    /**
     * {@code finish()} sent the response, but the servlet method goes on: until it returns, the
     * container cannot recycle the request and response, so the servlet may go on using them.
     */
    void holdForServlet() {
        servletHolds = true;
    }

    /** Whether a servlet that called {@code finish()} is still running on its thread. */
    boolean isHeldForServlet() {
        return servletHolds;
    }

    /** The servlet method that called {@code finish()} returned. */
    void servletReturned() {
        servletHolds = false;
    }

    /**
     * The servlet has returned and the wrappers let go of the container's objects: from now on every
     * check fails, whatever the state, so no call reaches a wrapper whose delegate is gone.
     */
    void release() {
        released = true;
    }

    private boolean refuses() {
        return released || !lifecycle.get().isLive() && !keptOpen && !servletHolds;
    }

    /** Throws if the request may no longer be used. */
    void checkRequest() {
        ExchangeState state = lifecycle.get();
        if (refuses()) {
            throw new IllegalStateException("After Response: the request of exchange " + exchangeId
                    + " was handed back to the container when its response was sent (the exchange is now "
                    + state + "), and it may already carry another client's request. In a task, use "
                    + "TaskContext.request(), an immutable snapshot, instead of the HttpServletRequest.");
        }
    }

    /** Throws if the response may no longer be used. */
    void checkResponse() {
        ExchangeState state = lifecycle.get();
        if (refuses()) {
            throw new IllegalStateException("After Response: the response of exchange " + exchangeId
                    + " has been sent and handed back to the container (the exchange is now " + state
                    + "); nothing more can be written to this client, and the HttpServletResponse may already "
                    + "belong to another one.");
        }
    }
}
