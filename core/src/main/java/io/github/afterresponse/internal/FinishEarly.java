package io.github.afterresponse.internal;

import io.github.afterresponse.AbortPolicy;
import io.github.afterresponse.ClientAbortedException;
import io.github.afterresponse.RequestSnapshot;
import io.github.afterresponse.Task;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@code AfterResponse.finish()} for one request (PHP's {@code fastcgi_finish_request()}): sends
 * and ends the response on the servlet's thread, then lets the rest of the servlet method run as
 * the exchange's background work, on that same thread, until it returns. Lives as long as the
 * request does; the exchange has no way back to it.
 *
 * <pre>
 * not begun ──finish()──► begun: RUNNING on the request thread ──servlet returns──► tasks, callbacks, DONE
 * </pre>
 */
final class FinishEarly {

    private final ExchangeHandler handler;
    private final HttpServletRequest request;
    private final BufferingResponse buffered;
    private final Exchange exchange;
    private final ServletPolicies.Policy policy;
    private final Thread servletThread = Thread.currentThread();
    private @Nullable GuardedRequest guarded;
    private @Nullable BackgroundJob job;
    private TimeLimits.@Nullable Limit limit;
    private @Nullable ClientAbortedException sendFailure;

    FinishEarly(ExchangeHandler handler, HttpServletRequest request, BufferingResponse buffered, Exchange exchange,
            ServletPolicies.Policy policy) {
        this.handler = handler;
        this.request = request;
        this.buffered = buffered;
        this.exchange = exchange;
        this.policy = policy;
    }

    void guarded(GuardedRequest guarded) {
        this.guarded = guarded;
    }

    /** Whether {@code finish()} sent the response and began the work. Only read on the servlet's thread. */
    boolean begun() {
        return job != null;
    }

    /**
     * Sends the response whole and ends it, then begins the work on this thread.
     *
     * @throws IllegalStateException off the servlet's thread, or when the exchange or its output
     *     cannot finish now
     * @throws ClientAbortedException if the client is gone and the policy is to cancel
     */
    void finish() {
        if (Thread.currentThread() != servletThread) {
            throw new IllegalStateException("After Response: finish() must be called on the thread that runs the "
                    + "servlet, not on " + Thread.currentThread().getName() + "; exchange " + exchange.id());
        }
        if (sendFailure != null) {
            throw sendFailure; // a second call after the client was found gone: nothing to send
        }
        exchange.checkFinishAllowed();
        ResponseOutput output = buffered.output();
        if (output.isFinishedByContainer() || output.passesThrough()) {
            throw new IllegalStateException("After Response: exchange " + exchange.id() + " cannot finish a response "
                    + "that sendError, sendRedirect, a forward or the servlet's own asynchronous processing ends");
        }
        // Before sending: it reads a form body the servlet left unread, which the drain would discard.
        RequestSnapshot snapshot = handler.snapshot(request);
        output.flushWriter(); // what the writer still encodes may push the body past the limit
        boolean streamed = !output.holds();
        try {
            handler.sendAndEnd(request, Objects.requireNonNull(guarded), buffered, policy, true);
        } catch (ClientAbortedException e) {
            sendFailure = e;
            exchange.stop().clientGone(e.getCause());
            throw e;
        } catch (IOException e) {
            // Under the cancel policy the servlet ends here, like a PHP script whose client left.
            exchange.stop().clientGone(e);
            sendFailure = new ClientAbortedException(exchange.id(), e);
            throw sendFailure;
        }
        if (streamed) {
            handler.selfCheck().finishAfterStreaming(request, policy.bufferLimit());
        }
        handler.selfCheck().compressedFinish(request, buffered.real());
        output.finishEarly();
        exchange.guard().holdForServlet();
        List<Task> tasks = exchange.responded(snapshot);
        BackgroundJob begun = handler.lendRequestThread(exchange, tasks, ExchangeHandler.charsetOf(buffered.real()));
        try {
            limit = begun.beginHere();
        } catch (RuntimeException | Error e) {
            exchange.guard().servletReturned();
            handler.giveBack(begun);
            exchange.finish(io.github.afterresponse.Outcome.FAILED, e);
            throw e;
        }
        job = begun;
    }

    /**
     * The failure of the sending in {@code finish()}, if it failed: the exchange then ends
     * {@code CANCELLED} when the servlet returns, even if the servlet caught the exception.
     */
    @Nullable ClientAbortedException sendFailure() {
        return sendFailure;
    }

    /**
     * The rest of the servlet sets its time limit, as PHP's {@code set_time_limit()} after
     * {@code fastcgi_finish_request()}: it counts from now, as {@code TaskContext.timeLimit} does.
     *
     * @return false unless called by the servlet's thread after {@code finish()}
     */
    boolean timeLimit(Duration requested) {
        if (Thread.currentThread() != servletThread || limit == null) {
            return false;
        }
        limit.set(Exchange.checkTimeLimit(requested));
        return true;
    }

    /**
     * The rest of the servlet sets its abort policy.
     *
     * @return false unless called by the servlet's thread after {@code finish()}
     */
    boolean abortPolicy(AbortPolicy policy) {
        if (Thread.currentThread() != servletThread || limit == null) {
            return false;
        }
        exchange.stop().abortPolicy(Objects.requireNonNull(policy, "policy"));
        return true;
    }

    /**
     * The servlet method that called {@code finish()} returned, or threw {@code failure}: runs the
     * tasks registered before {@code finish()}, then ends the exchange. Never throws.
     */
    void servletReturned(@Nullable Throwable failure) {
        BackgroundJob begun = Objects.requireNonNull(job);
        long dropped = buffered.output().droppedAfterFinish();
        if (dropped > 0) {
            handler.selfCheck().droppedAfterFinish(request, dropped);
        }
        exchange.guard().servletReturned();
        try {
            begun.endHere(Objects.requireNonNull(limit), failure);
        } finally {
            handler.giveBack(begun);
        }
    }
}
