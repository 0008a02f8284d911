package io.github.afterresponse.internal;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.Completion;
import io.github.afterresponse.CompletionCallback;
import io.github.afterresponse.ConnectionStatus;
import io.github.afterresponse.ExchangeState;
import io.github.afterresponse.Outcome;
import io.github.afterresponse.RequestSnapshot;
import io.github.afterresponse.Task;
import io.github.afterresponse.TaskContext;
import java.lang.System.Logger.Level;
import java.time.Clock;
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

    /**
     * @param filterCallback runs after the exchange's own callbacks (the filter's hook)
     */
    public Exchange(String taskId, Clock clock, CompletionCallback filterCallback) {
        this.taskId = taskId;
        this.timeline = new Timeline(clock);
        this.filterCallback = filterCallback;
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

    /**
     * Runs the tasks, then finishes the exchange. Called once, on the thread chosen for the
     * background work; never throws.
     */
    void runTasks(List<Task> toRun) {
        lifecycle.moveTo(ExchangeState.RUNNING);
        TaskContext context = new Context();
        for (Task task : toRun) {
            try {
                task.run(context);
            } catch (Throwable e) {
                LOG.log(Level.WARNING, "After Response: a task of exchange " + taskId + " failed; "
                        + "the remaining tasks are skipped", e);
                finish(Outcome.FAILED, e);
                return;
            }
        }
        finish(Outcome.COMPLETED, null);
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

    /** Adds the aborted flag: a write to the client failed. */
    void markAborted() {
        status.updateAndGet(ConnectionStatus::withAborted);
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

    private final class Context implements TaskContext {
        @Override
        public String taskId() {
            return taskId;
        }

        @Override
        public RequestSnapshot request() {
            synchronized (lock) {
                return Objects.requireNonNull(snapshot, "snapshot is taken before tasks run");
            }
        }

        @Override
        public ConnectionStatus status() {
            return status.get();
        }
    }
}
