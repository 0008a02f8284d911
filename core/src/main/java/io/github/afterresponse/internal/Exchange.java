package io.github.afterresponse.internal;

import io.github.afterresponse.AbortPolicy;
import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.ClientAbortedException;
import io.github.afterresponse.Completion;
import io.github.afterresponse.CompletionCallback;
import io.github.afterresponse.ConnectionStatus;
import io.github.afterresponse.ExchangeState;
import io.github.afterresponse.Outcome;
import io.github.afterresponse.RequestSnapshot;
import io.github.afterresponse.Task;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * One request handled by the filter: its lifecycle, tasks, callbacks and status. Registration and
 * the moves that end it are decided under {@link #lock}; tasks and callbacks run outside it.
 */
public final class Exchange implements AfterResponse {

    private static final System.Logger LOG = Log.LOGGER;

    private final String taskId;
    private final Timeline timeline;
    private final CompletionCallback filterCallback;
    private final Lifecycle lifecycle = new Lifecycle();
    private final AtomicReference<ConnectionStatus> status = new AtomicReference<>(ConnectionStatus.NORMAL);

    private final Object lock = new Object();
    private final List<Task> tasks = new ArrayList<>();
    private final List<CompletionCallback> callbacks = new ArrayList<>();
    private volatile boolean ownAsync;
    private @Nullable Instant respondedAt;
    private @Nullable RequestSnapshot snapshot;

    private volatile AbortPolicy abortPolicy;
    private volatile Duration timeLimit;
    /** Set by {@link #stream()}: the response stays open while the tasks run. */
    private volatile boolean keepOpen;
    private @Nullable StreamSwitch streamSwitch;
    private final WorkerThread worker = new WorkerThread();
    /** The toolkit stopped the work: time limit, or a vanished client under the cancel policy. */
    private volatile boolean cutShort;
    /** The web application stopped the work. */
    private volatile boolean shutDown;
    private volatile @Nullable Instant startedAt;
    /** Done and total, replaced together so that a reader never sees one without the other. */
    private volatile long[] progress = {0, -1};

    /** Starts streaming the response now; provided by the response wrapper. */
    @FunctionalInterface
    interface StreamSwitch {
        void startStreaming() throws IOException;
    }

    /**
     * @param filterCallback runs after the exchange's own callbacks (the filter's hook)
     */
    public Exchange(String taskId, Clock clock, CompletionCallback filterCallback) {
        this(taskId, clock, filterCallback, AbortPolicy.CANCEL, Duration.ZERO);
    }

    /**
     * @param abortPolicy what happens when the client goes away, until the servlet changes it
     * @param timeLimit the background work's limit, until the servlet or a task changes it
     */
    Exchange(String taskId, Clock clock, CompletionCallback filterCallback, AbortPolicy abortPolicy,
            Duration timeLimit) {
        this.taskId = taskId;
        this.timeline = new Timeline(clock);
        this.filterCallback = filterCallback;
        this.abortPolicy = abortPolicy;
        this.timeLimit = timeLimit;
    }

    @Override
    public AfterResponse then(Task task) {
        Objects.requireNonNull(task, "task");
        synchronized (lock) {
            ExchangeState current = lifecycle.get();
            if (!current.isLive() || current == ExchangeState.ACCEPTED) {
                throw new IllegalStateException("After Response: too late to register a task on exchange " + taskId
                        + ", which is " + current + "; tasks can only be registered while the servlet runs");
            }
            if (ownAsync) {
                throw new IllegalStateException("After Response: exchange " + taskId + " cannot take tasks because "
                        + "the servlet started its own asynchronous processing (startAsync)");
            }
            tasks.add(task);
        }
        return this;
    }

    @Override
    public AfterResponse onComplete(CompletionCallback callback) {
        Objects.requireNonNull(callback, "callback");
        synchronized (lock) {
            if (lifecycle.get() == ExchangeState.DONE) {
                throw new IllegalStateException("After Response: exchange " + taskId
                        + " is already DONE; its callbacks have run");
            }
            callbacks.add(callback);
        }
        return this;
    }

    @Override
    public AfterResponse stream() {
        StreamSwitch starter;
        synchronized (lock) {
            checkServletRunning("stream the response");
            if (ownAsync) {
                throw new IllegalStateException("After Response: exchange " + taskId + " cannot stream its response "
                        + "because the servlet started its own asynchronous processing (startAsync)");
            }
            starter = Objects.requireNonNull(streamSwitch, "stream switch is set before the servlet runs");
        }
        try {
            starter.startStreaming(); // outside the lock: it writes to the client
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        keepOpen = true;
        return this;
    }

    @Override
    public AfterResponse abortPolicy(AbortPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        synchronized (lock) {
            checkServletRunning("change the abort policy");
            abortPolicy = policy;
        }
        return this;
    }

    @Override
    public AfterResponse timeLimit(Duration limit) {
        checkTimeLimit(limit);
        synchronized (lock) {
            checkServletRunning("change the time limit");
            timeLimit = limit;
        }
        return this;
    }

    static Duration checkTimeLimit(Duration limit) {
        Objects.requireNonNull(limit, "limit");
        if (limit.isNegative()) {
            throw new IllegalArgumentException("time limit must be zero (none) or positive, but was " + limit);
        }
        return limit;
    }

    private void checkServletRunning(String what) {
        ExchangeState current = lifecycle.get();
        if (!current.isLive() || current == ExchangeState.ACCEPTED) {
            throw new IllegalStateException("After Response: too late to " + what + " of exchange " + taskId
                    + ", which is " + current + "; this is only possible while the servlet runs");
        }
    }

    @Override
    public String taskId() {
        return taskId;
    }

    @Override
    public ExchangeState state() {
        return lifecycle.get();
    }

    @Override
    public ConnectionStatus status() {
        return status.get();
    }

    /** Whether the servlet may still use the request and response. */
    boolean isLive() {
        return lifecycle.get().isLive();
    }

    /** Whether any task was registered so far. */
    boolean hasTasks() {
        synchronized (lock) {
            return !tasks.isEmpty();
        }
    }

    void enterForeground() {
        lifecycle.moveTo(ExchangeState.FOREGROUND);
    }

    /** The output outgrew the buffer: FOREGROUND to STREAMING. */
    void enterStreaming() {
        lifecycle.moveTo(ExchangeState.STREAMING);
    }

    /**
     * Whether the servlet may still start its own asynchronous processing.
     *
     * @throws IllegalStateException if tasks were registered already
     */
    void checkOwnAsyncAllowed() {
        synchronized (lock) {
            if (!tasks.isEmpty()) {
                throw new IllegalStateException("After Response: a servlet that registered tasks with "
                        + "AfterResponse.then cannot also start its own asynchronous processing (exchange "
                        + taskId + ")");
            }
        }
    }

    /**
     * The servlet started its own asynchronous processing: the exchange ends when that ends, takes
     * no tasks, and its guards stay open, because the servlet's own listeners still use the request
     * in {@code onComplete}, and without tasks there is nothing that could outlive it.
     *
     * @throws IllegalStateException if tasks were registered already
     */
    void enterOwnAsync() {
        synchronized (lock) {
            checkOwnAsyncAllowed();
            ownAsync = true;
        }
    }

    boolean isOwnAsync() {
        return ownAsync;
    }

    /**
     * The response is complete on the wire: moves to RESPONDED, after which no task can be added and
     * the request and response guards refuse every call.
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

    void setStreamSwitch(StreamSwitch streamSwitch) {
        this.streamSwitch = streamSwitch;
    }

    /** Whether the servlet chose to stream and keep the response open while the tasks run. */
    boolean keepsOpen() {
        return keepOpen;
    }

    AbortPolicy abortPolicy() {
        return abortPolicy;
    }

    Duration timeLimit() {
        return timeLimit;
    }

    WorkerThread worker() {
        return worker;
    }

    /**
     * The servlet returned and the response stays open for the tasks: the request and response
     * are closed to the servlet's code from here on, as after {@link #responded}.
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

    /** Refused before the servlet ran. */
    void reject() {
        lifecycle.moveTo(ExchangeState.REJECTED);
    }

    @Nullable RequestSnapshot snapshotOrNull() {
        synchronized (lock) {
            return snapshot;
        }
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

    void progress(long done, long total) {
        if (done < 0 || total < -1 || (total >= 0 && done > total)) {
            throw new IllegalArgumentException("progress must be 0 <= done <= total (or total -1 when unknown), "
                    + "but was " + done + "/" + total);
        }
        progress = new long[] {done, total};
    }

    /** {done, total}; total is -1 when unknown. */
    long[] progress() {
        return progress;
    }

    // ---- stopping the work -----------------------------------------------------------------

    /** Whether the toolkit or the web application asked the work to stop. */
    boolean isStopRequested() {
        return cutShort || shutDown;
    }

    /** The time limit ran out: status gains TIMEOUT, the work is cut short and its thread interrupted. */
    void timedOut() {
        status.updateAndGet(ConnectionStatus::withTimeout);
        cutShort = true;
        worker.interrupt();
    }

    /** The web application stops: the work is cut short and its thread interrupted. */
    void shutDown() {
        shutDown = true;
        worker.interrupt();
    }

    /**
     * A write to the client failed, or the container reported the connection lost: status gains
     * ABORTED; under the cancel policy the work is cut short and the task's thread interrupted
     * (the servlet's own thread is never interrupted: it is the container's).
     */
    void clientGone(IOException cause) {
        ConnectionStatus before = status.getAndUpdate(ConnectionStatus::withAborted);
        if (!before.isAborted()) {
            LOG.log(Level.DEBUG, () -> "After Response: the client of exchange " + taskId + " went away: " + cause);
        }
        if (abortPolicy == AbortPolicy.CANCEL) {
            cutShort = true;
            worker.interrupt();
        }
    }

    /**
     * Under the cancel policy, once the client is gone, throws {@link ClientAbortedException}; under
     * the continue policy returns, and the caller drops its output.
     */
    void throwIfCancelled(@Nullable IOException cause) {
        if (status.get().isAborted() && abortPolicy == AbortPolicy.CANCEL) {
            throw new ClientAbortedException(taskId, cause != null ? cause
                    : new IOException("the client went away earlier"));
        }
    }

    /** How work that ended with {@code failure} (null: it returned) is reported. */
    Outcome outcomeOf(@Nullable Throwable failure) {
        if (shutDown) {
            return Outcome.SHUT_DOWN;
        }
        if (cutShort || failure instanceof ClientAbortedException) {
            return Outcome.CANCELLED;
        }
        return failure == null ? Outcome.COMPLETED : Outcome.FAILED;
    }

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
            completion = new Completion(taskId, status.get(), outcome, failure, timeline.start(), respondedAt,
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

    private void runCallback(CompletionCallback callback, Completion completion) {
        try {
            callback.onComplete(completion);
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "After Response: a completion callback of exchange " + taskId
                    + " threw; the other callbacks still run", e);
        }
    }

    /** Adds the timeout flag: the servlet's own asynchronous processing timed out. */
    void markTimedOut() {
        status.updateAndGet(ConnectionStatus::withTimeout);
    }

    /** Throws if the request may no longer be used. */
    void checkRequestLive() {
        if (!isLive() && !ownAsync) {
            throw new IllegalStateException("After Response: the request of exchange " + taskId
                    + " was handed back to the container when its response was sent (the exchange is now "
                    + lifecycle.get() + "), and it may already carry another client's request. In a task, use "
                    + "TaskContext.request(), an immutable snapshot, instead of the HttpServletRequest.");
        }
    }

    /** Throws if the response may no longer be used. */
    void checkResponseLive() {
        if (!isLive() && !ownAsync) {
            throw new IllegalStateException("After Response: the response of exchange " + taskId
                    + " has been sent and handed back to the container (the exchange is now " + lifecycle.get()
                    + "); nothing more can be written to this client, and the HttpServletResponse may already "
                    + "belong to another one.");
        }
    }

    @Override
    public String toString() {
        return "Exchange[" + taskId + ", " + lifecycle.get() + ", status " + status.get().value() + "]";
    }
}
