package io.github.afterresponse;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a {@link Task} may use once the servlet has returned: an immutable copy of the request, the
 * exchange's id and connection status, its time limit, a place to report progress, and, when the
 * servlet chose {@link AfterResponse#stream()}, the still open response.
 *
 * <p>Called from the thread that runs the task; the status and deadline may also be read from
 * others.
 */
public interface TaskContext {

    /** The exchange's id, unique within the filter instance; also in the exchange's {@link Completion}. */
    String exchangeId();

    /** The immutable copy of the request, taken just before the response was sent. */
    RequestSnapshot request();

    /** The connection status now (PHP's {@code connection_status()}). */
    ConnectionStatus status();

    /**
     * Whether no write to the client has failed yet (PHP's {@code connection_aborted() == 0}).
     * Nothing notices a vanished client without writing to it: call {@link #probe()} to find out.
     */
    boolean isClientConnected();

    /**
     * Writes one space to the still open response and flushes it, as PHP scripts {@code echo " "}
     * to find out whether the client is still there. The failing write counts as any other: under
     * {@link AbortPolicy#CANCEL} it throws {@link ClientAbortedException}. A client usually
     * accepts the first write after it went away; the next one, some 100 ms later, fails.
     *
     * <p>When the response was sent whole (the servlet did not call {@link AfterResponse#stream()}),
     * the client has its answer and nothing can be written: this only reports
     * {@link #isClientConnected()}.
     *
     * @return whether the client is still connected, as far as the write could tell
     */
    boolean probe();

    /**
     * The still open response's body, as characters in the response's encoding; {@code println}
     * flushes. Writes to a vanished client follow the {@link AbortPolicy}: they throw
     * {@link ClientAbortedException}, or are discarded. Once the tasks have ended the response is
     * the container's again, and writes throw {@link IllegalStateException}.
     *
     * @throws IllegalStateException if the response was sent whole, without
     *     {@link AfterResponse#stream()}, or {@link #outputStream()} was used
     */
    PrintWriter writer();

    /**
     * The still open response's body, as bytes; see {@link #writer()}.
     *
     * @throws IllegalStateException if the response was sent whole, without
     *     {@link AfterResponse#stream()}, or {@link #writer()} was used
     */
    OutputStream outputStream();

    /**
     * When the time limit of the background work runs out, for cooperative checks; empty when there
     * is none. When it does, the status gains {@link ConnectionStatus#TIMEOUT}, the thread running
     * the task is interrupted, and the tasks not yet started are skipped.
     */
    Optional<Instant> deadline();

    /**
     * Sets the time limit again, counted from now (PHP's {@code set_time_limit}); {@link Duration#ZERO}
     * removes it, and more than 365 days counts as 365 days. Has no effect once the limit has run out.
     *
     * @throws IllegalArgumentException if negative
     */
    void timeLimit(Duration limit);

    /**
     * Reports progress, shown by {@link AfterResponseMonitor#tasks()} and JMX.
     *
     * @param done units of work done, at least 0
     * @param total units of work in all, or -1 if unknown
     * @throws IllegalArgumentException if {@code done} is negative, or {@code total} is below -1 or,
     *     when known, below {@code done}
     */
    void progress(long done, long total);

    /**
     * Whether the work should stop now: the time limit ran out, the client went away under
     * {@link AbortPolicy#CANCEL}, or the web application is shutting down. For long loops that
     * check between steps instead of waiting to be interrupted.
     */
    boolean shouldStop();
}
