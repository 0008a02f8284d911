package io.github.afterresponse;

/**
 * Where an exchange is in its life. One exchange is one request handled by
 * {@link AfterResponseFilter}; its state only moves forward:
 *
 * <pre>
 * ACCEPTED ──► FOREGROUND ──► STREAMING ──► RESPONDED ──► RUNNING ──► DONE
 *    │            │  │          │  │           │  │         ▲          ▲
 *    │            │  │          │  └───────────┼──┼─────────┘          │  stream(): open for the tasks
 *    │            │  └──────────┼─────────────►┘  └─── (no tasks) ─────┤
 *    │            └─────────────┴─── (servlet threw, client gone) ─────┤
 *    └──► REJECTED ────────────────────────────────────────────────────┘
 * </pre>
 *
 * <ul>
 *   <li>{@link #FOREGROUND}: the servlet runs; its output is buffered.
 *   <li>{@link #STREAMING}: the output outgrew the buffer and is being sent as it is written
 *       (chunked, without {@code Content-Length}).
 *   <li>{@link #RESPONDED}: the response has been sent in full; from here on, the request and
 *       response objects belong to the container again and any use of them throws
 *       {@link IllegalStateException}.
 *   <li>{@link #RUNNING}: the tasks run; after {@link AfterResponse#finish()}, the rest of the
 *       servlet method runs here too, on the request thread, whose request and response objects
 *       stay usable until it returns (writes are dropped). After {@link AfterResponse#stream()}, the exchange moves
 *       here straight from STREAMING when the servlet returns: the response stays open for the
 *       tasks and ends with them; the servlet's request and response objects are closed all the same.
 *   <li>{@link #DONE}: the callbacks have run, exactly once.
 *   <li>{@link #REJECTED}: refused before the servlet ran; nothing ran.
 * </ul>
 */
public enum ExchangeState {
    /** Created by the filter; the servlet has not started. */
    ACCEPTED,
    /** Refused before the servlet ran. */
    REJECTED,
    /** The servlet runs; output is buffered. */
    FOREGROUND,
    /** The output outgrew the buffer and is streamed to the client as it is written. */
    STREAMING,
    /** The response is complete on the wire; request and response may no longer be used. */
    RESPONDED,
    /** The background tasks run. */
    RUNNING,
    /** Finished; the callbacks have run. */
    DONE;

    /** Whether the servlet may still use the request and response in this state. */
    public boolean isLive() {
        return this == ACCEPTED || this == FOREGROUND || this == STREAMING;
    }
}
