package io.github.afterresponse.internal;

import io.github.afterresponse.AbortPolicy;
import io.github.afterresponse.Completion;
import io.github.afterresponse.CompletionCallback;
import io.github.afterresponse.ConnectionStatus;
import io.github.afterresponse.ExchangeState;
import io.github.afterresponse.Outcome;
import io.github.afterresponse.RequestSnapshot;
import io.github.afterresponse.Task;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One request handled by the filter: its lifecycle, the tasks and callbacks registered on it, its
 * request snapshot and its timings. Registration and the moves that end it are decided under
 * {@link #lock}; tasks and callbacks run outside it. What stops the work is its {@link StopSignal},
 * what keeps the servlet's objects from being used too late its {@link Guard}. It holds nothing of
 * the response: once that has been sent, only what the tasks and callbacks need stays reachable.
 */
final class Exchange {

    private static final System.Logger LOG = Log.LOGGER;

    private final String id;
    private final Timeline timeline;
    private final CompletionCallback filterCallback;
    private final Lifecycle lifecycle = new Lifecycle();
    private final StopSignal stop;
    private final Guard guard;
    private final Progress progress = new Progress();

    private final Object lock = new Object();
    private final List<Task> tasks = new ArrayList<>();
    private final List<CompletionCallback> callbacks = new ArrayList<>();
    private @Nullable Instant respondedAt;
    /** The request thread's context, for the tasks and callbacks that run on other threads. */
    private volatile CapturedContext context = CapturedContext.NONE;
    private @Nullable RequestSnapshot snapshot;

    private volatile Duration timeLimit;
    /** Set by {@code stream()}: the response stays open while the tasks run. */
    private volatile boolean keepOpen;
    private volatile @Nullable Instant startedAt;

    /**
     * @param filterCallback runs after the exchange's own callbacks (the filter's hook)
     */
    Exchange(String id, Clock clock, CompletionCallback filterCallback) {
        this(id, clock, filterCallback, AbortPolicy.CANCEL, Duration.ZERO);
    }

    /**
     * @param abortPolicy what happens when the client goes away, until the servlet changes it
     * @param timeLimit the background work's limit, until the servlet or a task changes it
     */
    Exchange(String id, Clock clock, CompletionCallback filterCallback, AbortPolicy abortPolicy, Duration timeLimit) {
        this.id = id;
        this.timeline = new Timeline(clock);
        this.filterCallback = filterCallback;
        this.stop = new StopSignal(id, abortPolicy);
        this.guard = new Guard(id, lifecycle);
        this.timeLimit = timeLimit;
    }

    String id() {
        return id;
    }

    ExchangeState state() {
        return lifecycle.get();
    }

    ConnectionStatus status() {
        return stop.status();
    }

    StopSignal stop() {
        return stop;
    }

    Guard guard() {
        return guard;
    }

    Progress progress() {
        return progress;
    }

    // ---- registration, while the servlet runs ------------------------------------------------

    /** {@link io.github.afterresponse.AfterResponse#then}; returns this exchange. */
    Exchange then(Task task) {
        Objects.requireNonNull(task, "task");
        synchronized (lock) {
            checkServletRunning("register a task on");
            if (guard.isKeptOpen()) {
                throw new IllegalStateException("After Response: exchange " + id + " cannot take tasks because "
                        + "the servlet started its own asynchronous processing (startAsync)");
            }
            tasks.add(task);
        }
        return this;
    }

    /** {@link io.github.afterresponse.AfterResponse#onComplete}; returns this exchange. */
    Exchange onComplete(CompletionCallback callback) {
        Objects.requireNonNull(callback, "callback");
        synchronized (lock) {
            if (lifecycle.get() == ExchangeState.DONE) {
                throw new IllegalStateException("After Response: exchange " + id
                        + " is already DONE; its callbacks have run");
            }
            callbacks.add(callback);
        }
        return this;
    }

    /** {@link io.github.afterresponse.AfterResponse#abortPolicy}. */
    void abortPolicy(AbortPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        synchronized (lock) {
            checkServletRunning("change the abort policy of");
            stop.abortPolicy(policy);
        }
    }

    /** {@link io.github.afterresponse.AfterResponse#timeLimit}. */
    void timeLimit(Duration limit) {
        checkTimeLimit(limit);
        synchronized (lock) {
            checkServletRunning("change the time limit of");
            timeLimit = limit;
        }
    }

    static Duration checkTimeLimit(Duration limit) {
        Objects.requireNonNull(limit, "limit");
        if (limit.isNegative()) {
            throw new IllegalArgumentException("time limit must be zero (none) or positive, but was " + limit);
        }
        return limit;
    }

    /**
     * Whether the servlet may stream its response now; the streaming itself happens outside the
     * lock, since it writes to the client.
     *
     * @throws IllegalStateException unless the servlet runs, or if it went asynchronous on its own
     */
    void checkStreamAllowed() {
        synchronized (lock) {
            checkServletRunning("stream the response of");
            if (guard.isKeptOpen()) {
                throw new IllegalStateException("After Response: exchange " + id + " cannot stream its response "
                        + "because the servlet started its own asynchronous processing (startAsync)");
            }
        }
    }

    /** Throws unless {@code finish()} may send and end the response now. */
    void checkFinishAllowed() {
        synchronized (lock) {
            checkServletRunning("finish");
            if (guard.isKeptOpen()) {
                throw new IllegalStateException("After Response: exchange " + id + " cannot finish its response "
                        + "because the servlet started its own asynchronous processing (startAsync)");
            }
            if (keepOpen) {
                throw new IllegalStateException("After Response: exchange " + id + " cannot finish its response "
                        + "because stream() keeps it open for the tasks");
            }
        }
    }

    /** The servlet chose to stream: the response stays open while the tasks run. */
    void keepOpenForTasks() {
        keepOpen = true;
    }

    /** Whether the servlet chose to stream and keep the response open while the tasks run. */
    boolean keepsOpen() {
        return keepOpen;
    }

    private void checkServletRunning(String what) {
        ExchangeState current = lifecycle.get();
        if (!current.isLive() || current == ExchangeState.ACCEPTED) {
            throw new IllegalStateException("After Response: too late to " + what + " exchange " + id
                    + ", which is " + current + "; this is only possible while the servlet runs"
                    + (guard.isHeldForServlet() ? " (after finish(), on the servlet's own thread)" : ""));
        }
    }

    /** Whether any task was registered so far. */
    boolean hasTasks() {
        synchronized (lock) {
            return !tasks.isEmpty();
        }
    }

    // ---- the servlet's own asynchronous processing -------------------------------------------

    /**
     * Whether the servlet may still start its own asynchronous processing.
     *
     * @throws IllegalStateException if tasks were registered already
     */
    void checkOwnAsyncAllowed() {
        synchronized (lock) {
            if (!lifecycle.get().isLive()) {
                throw new IllegalStateException("After Response: exchange " + id + " is " + lifecycle.get()
                        + " (its response was ended by finish()); it cannot start asynchronous processing");
            }
            if (!tasks.isEmpty()) {
                throw new IllegalStateException("After Response: a servlet that registered tasks with "
                        + "AfterResponse.then cannot also start its own asynchronous processing (exchange " + id + ")");
            }
        }
    }

    /**
     * The servlet started its own asynchronous processing: the exchange ends when that ends, takes
     * no tasks, and its guard stays open.
     *
     * @throws IllegalStateException if tasks were registered already
     */
    void enterOwnAsync() {
        synchronized (lock) {
            checkOwnAsyncAllowed();
            guard.keepOpen();
        }
    }

    boolean isOwnAsync() {
        return guard.isKeptOpen();
    }

    // ---- the moves of the lifecycle ----------------------------------------------------------

    void enterForeground() {
        lifecycle.moveTo(ExchangeState.FOREGROUND);
    }

    /** The output outgrew the buffer, or the servlet chose to stream: FOREGROUND to STREAMING. */
    void enterStreaming() {
        if (lifecycle.get() == ExchangeState.FOREGROUND) {
            lifecycle.moveTo(ExchangeState.STREAMING);
        }
    }

    /** Refused before the servlet ran. */
    void reject() {
        lifecycle.moveTo(ExchangeState.REJECTED);
    }

    /**
     * The response is complete on the wire: moves to RESPONDED, after which no task can be added and
     * the guard refuses every call.
     *
     * @param snapshot the request copy the tasks will see, if it was taken; when tasks were
     *     registered too late for it, the caller takes one and hands it to {@link #snapshot}
     * @return the tasks to run, in registration order
     */
    List<Task> responded(@Nullable RequestSnapshot snapshot) {
        synchronized (lock) {
            lifecycle.moveTo(ExchangeState.RESPONDED);
            respondedAt = timeline.now();
            this.snapshot = snapshot;
            return List.copyOf(tasks);
        }
    }

    /**
     * The servlet returned and the response stays open for the tasks: the request and response are
     * closed to the servlet's code from here on, as after {@link #responded}.
     *
     * @return the tasks to run, in registration order
     */
    List<Task> servletReturnedStreaming(@Nullable RequestSnapshot snapshot) {
        synchronized (lock) {
            lifecycle.moveTo(ExchangeState.RUNNING);
            this.snapshot = snapshot;
            return List.copyOf(tasks);
        }
    }

    /** Whether the tasks still need their request copy (see {@link #responded}). */
    boolean needsSnapshot() {
        synchronized (lock) {
            return snapshot == null && !tasks.isEmpty();
        }
    }

    /** Hands over the request copy, taken outside the lock because it may read the request body. */
    void snapshot(RequestSnapshot snapshot) {
        synchronized (lock) {
            this.snapshot = snapshot;
        }
    }

    @Nullable RequestSnapshot snapshotOrNull() {
        synchronized (lock) {
            return snapshot;
        }
    }

    /** The background work begins on its thread. */
    void startRunning() {
        synchronized (lock) {
            if (lifecycle.get() == ExchangeState.RESPONDED) {
                lifecycle.moveTo(ExchangeState.RUNNING);
            }
            startedAt = timeline.now();
        }
    }

    /** A streamed response kept open for the tasks has ended. */
    void responseEnded() {
        synchronized (lock) {
            if (respondedAt == null) {
                respondedAt = timeline.now();
            }
        }
    }

    Duration timeLimit() {
        return timeLimit;
    }

    Instant acceptedAt() {
        return timeline.start();
    }

    @Nullable Instant startedAt() {
        return startedAt;
    }

    Instant now() {
        return timeline.now();
    }

    /** Keeps the request thread's context, taken while the servlet's request is live. */
    void context(CapturedContext captured) {
        this.context = captured;
    }

    /** The request thread's context; {@link CapturedContext#NONE} until taken. */
    CapturedContext context() {
        return context;
    }

    // ---- the end -----------------------------------------------------------------------------

    /**
     * Ends the exchange: moves to DONE and runs every callback once, in registration order, then the
     * filter's. A second call does nothing, so racing paths cannot run callbacks twice.
     *
     * @return whether this call ended the exchange
     */
    boolean finish(Outcome outcome, @Nullable Throwable failure) {
        Completion completion;
        List<CompletionCallback> toCall;
        synchronized (lock) {
            if (!lifecycle.canMoveTo(ExchangeState.DONE)) {
                return false;
            }
            completion = new Completion(id, stop.status(), outcome, failure, timeline.start(), respondedAt,
                    timeline.now());
            lifecycle.moveTo(ExchangeState.DONE);
            toCall = new ArrayList<>(callbacks);
        }
        toCall.add(filterCallback);
        for (CompletionCallback callback : toCall) {
            runCallback(callback, completion);
        }
        return true;
    }

    /** Runs one callback with the request's context restored on this thread, and closed right after. */
    private void runCallback(CompletionCallback callback, Completion completion) {
        try (CapturedContext.Restored restored = context.restore()) {
            callback.onComplete(completion);
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "After Response: a completion callback of exchange " + id
                    + " threw; the other callbacks still run", e);
        }
    }

    @Override
    public String toString() {
        return "Exchange[" + id + ", " + lifecycle.get() + ", status " + stop.status().value() + "]";
    }
}
