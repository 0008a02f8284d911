package io.github.afterresponse;

import io.github.afterresponse.internal.Exchanges;
import jakarta.servlet.ServletRequest;
import java.util.Optional;

/**
 * The current exchange, seen from a servlet behind {@link AfterResponseFilter}: register work to
 * run after the response, and callbacks to hear how it ended.
 *
 * <pre>{@code
 * protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
 *     String campaign = request.getParameter("campaign");
 *     response.setContentType("text/plain;charset=UTF-8");
 *     response.getWriter().println("Sending " + campaign + " in the background.");
 *     AfterResponse.of(request)
 *             .then(task -> mailer.send(campaign))             // after the client has its answer
 *             .onComplete(done -> log.info(done.toString()));  // exactly once, whatever happened
 * }
 * }</pre>
 *
 * <p>When the servlet returns, the filter sends the buffered response whole (with
 * {@code Content-Length}), completes the exchange, and only then runs the tasks, in registration
 * order, on a container-managed thread. A request that registers no task is answered as it would
 * be without the filter, apart from being buffered.
 *
 * <p>Methods of this interface may be called from any thread, except {@link #stream()}, which
 * writes to the response and belongs on the thread that writes it; registration is only possible
 * while the exchange is in the states named below.
 */
public interface AfterResponse {

    /**
     * The exchange of a request that passed through {@link AfterResponseFilter}.
     *
     * @param request the request the servlet received (or any wrapper of it)
     * @throws IllegalStateException if no {@link AfterResponseFilter} is mapped for this request
     */
    static AfterResponse of(ServletRequest request) {
        return find(request).orElseThrow(() -> new IllegalStateException(
                "After Response: no AfterResponseFilter is mapped for this request; map "
                        + AfterResponseFilter.class.getName() + " to it (web.xml <filter-mapping> "
                        + "or ServletContext.addFilter)"));
    }

    /**
     * The exchange of a request, if {@link AfterResponseFilter} handles it; for code that also runs
     * without the filter.
     */
    static Optional<AfterResponse> find(ServletRequest request) {
        return Exchanges.find(request);
    }

    /**
     * Registers work to run after the response has been sent. Tasks run in registration order on
     * one container-managed thread; when one throws, the rest are skipped.
     *
     * @return this exchange, to chain calls
     * @throws IllegalStateException unless the servlet is still running ({@link ExchangeState#FOREGROUND}
     *     or {@link ExchangeState#STREAMING}), or if the servlet started its own asynchronous processing
     */
    AfterResponse then(Task task);

    /**
     * Registers a callback told how the exchange ended; it runs exactly once, on every path (see
     * {@link CompletionCallback} for the thread).
     *
     * @return this exchange, to chain calls
     * @throws IllegalStateException if the exchange is already {@link ExchangeState#DONE}
     */
    AfterResponse onComplete(CompletionCallback callback);

    /**
     * Streams the response instead of holding it back, and keeps it open while the tasks run:
     * what the servlet wrote so far is sent now (chunked, without {@code Content-Length}), every later
     * {@code flush} pushes output to the client, and the tasks can go on writing to it through
     * {@link TaskContext#writer()} or {@link TaskContext#outputStream()}. The response ends when the
     * last task ends. This is how progress reaches a client that stays connected, and how a vanished
     * client is noticed (see {@link AbortPolicy}).
     *
     * <p>Without this call, the response is held back and sent whole when the servlet returns,
     * and the tasks run after the client has it.
     *
     * @return this exchange, to chain calls
     * @throws IllegalStateException unless the servlet is still running, or if the response was
     *     ended with {@code sendError} or {@code sendRedirect}
     * @throws ClientAbortedException if the client is found gone while sending and the policy is
     *     {@link AbortPolicy#CANCEL}
     */
    AfterResponse stream();

    /**
     * Sends the response now and ends it, so that the rest of the servlet method runs after the
     * client has its answer (PHP's {@code fastcgi_finish_request()}):
     *
     * <pre>{@code
     * response.getWriter().println("Sending " + campaign + " in the background.");
     * AfterResponse.of(request).finish();   // the client has the whole response now
     * mailer.send(campaign);                // runs on this thread, under the time limit
     * }</pre>
     *
     * <p>What was written so far is sent whole with {@code Content-Length} and ended, with
     * {@code Connection: close} on HTTP/1.x whatever the settings say (the request thread stays
     * with the servlet, so a kept-alive connection would hold the client's next request). From here
     * on the servlet goes on running on the same request thread, as background work of this
     * exchange: the exchange is {@link ExchangeState#RUNNING}, its time limit runs from now (on
     * expiry the thread is interrupted and the status is {@link ConnectionStatus#TIMEOUT}; the rest
     * may set it again with {@link #timeLimit}), it keeps its admission place, a shutdown
     * interrupts it after the grace period, and when the servlet method returns the tasks
     * registered before this call run, on the same thread, then the callbacks, exactly once. An
     * exception the servlet throws after this call ends the exchange {@link Outcome#FAILED} and is
     * logged; it does not reach the container, which has nothing left to answer.
     *
     * <p>The request stays usable until the servlet method returns: its parameters (a form body is
     * read before the response leaves; any other unread body is drained, so read it first), its
     * attributes, and a session that existed before this call. Writes to the response after this
     * call are dropped, as PHP drops output after {@code fastcgi_finish_request()}, and counted in
     * one WARNING; headers and status can no longer change, and {@code isCommitted()} is true.
     *
     * <p>Call it on the request thread, at most once; the tasks registered before it still run.
     *
     * @return this exchange, to chain calls
     * @throws IllegalStateException unless the servlet is still running and its response is the
     *     filter's ({@link ExchangeState#FOREGROUND}, or {@link ExchangeState#STREAMING} once it
     *     outgrew the buffer limit; not after {@link #stream()}, a forward, {@code sendError} or the
     *     servlet's own {@code startAsync}), or off the request thread
     * @throws ClientAbortedException if the client is found gone while sending and the policy is
     *     {@link AbortPolicy#CANCEL}: the servlet ends there, like a PHP script
     */
    AfterResponse finish();

    /**
     * Sets what happens to this exchange's work when the client goes away, replacing the filter's
     * and the servlet's setting (PHP's {@code ignore_user_abort}); the rest of a servlet after
     * {@link #finish()} can set it too, on its thread.
     *
     * @return this exchange, to chain calls
     * @throws IllegalStateException unless the servlet is still running (before or after
     *     {@link #finish()})
     */
    AfterResponse abortPolicy(AbortPolicy policy);

    /**
     * Sets the wall-clock limit of this exchange's background work, counted from when it starts,
     * replacing the filter's and the servlet's setting; {@link java.time.Duration#ZERO} means none,
     * and more than 365 days counts as 365 days.
     * A task can set it again while it runs ({@link TaskContext#timeLimit}), and so can the rest of
     * a servlet after {@link #finish()}, on its thread: the limit then counts from that call, as
     * PHP's {@code set_time_limit()} after {@code fastcgi_finish_request()}.
     *
     * @return this exchange, to chain calls
     * @throws IllegalArgumentException if negative
     * @throws IllegalStateException unless the servlet is still running (before or after
     *     {@link #finish()})
     */
    AfterResponse timeLimit(java.time.Duration limit);

    /** The exchange's id, also given to tasks and in the {@link Completion}. */
    String exchangeId();

    /** Where the exchange is now. */
    ExchangeState state();

    /** The connection status now (PHP's {@code connection_status()}). */
    ConnectionStatus status();
}
