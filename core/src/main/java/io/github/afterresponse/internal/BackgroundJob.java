package io.github.afterresponse.internal;

import io.github.afterresponse.ClientAbortedException;
import io.github.afterresponse.Outcome;
import io.github.afterresponse.Task;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.Charset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The background work of one exchange: its tasks, run once on one thread, under the time limit,
 * then the exchange's end. It may hold the exchange's {@link AsyncContext}: to get a container
 * thread ({@code AsyncContext.start}), and, for a streamed response, to keep the response open
 * while the tasks write to it.
 *
 * <p>Exactly one thread runs the job: the one that {@link #claim()}s it. That is normally the
 * thread its executor gave it, but a container may complete the exchange by itself and drop the
 * started runnable: Jetty does after a {@code sendError}, whose error page it writes as soon as the
 * filter returns ("AsyncContext completed and/or Request lifecycle recycled"). Then
 * {@code onComplete} runs the job, so it is never lost.
 *
 * <p>{@code complete()} must be idempotent: Tomcat completes by itself after {@code onError}, and
 * an error and the worker can race.
 */
final class BackgroundJob implements AsyncListener {

    private static final System.Logger LOG = Log.LOGGER;

    private final Exchange exchange;
    private final List<Task> tasks;
    /** Let go once completed: the container recycles the request and response it leads to. */
    private volatile @Nullable AsyncContext async;
    private final @Nullable ClientChannel openResponse;
    private final Charset charset;
    private final WorkScheduler scheduler;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final AtomicBoolean completed = new AtomicBoolean();
    private volatile boolean slotGranted;
    /** Whether someone other than the toolkit interrupted the thread while the tasks ran. */
    private volatile boolean interruptedByOthers;
    private volatile boolean runsOnComplete;

    /**
     * @param async the exchange's asynchronous context, if one was started for this job
     * @param openResponse the response kept open for the tasks, or null when it was sent whole
     */
    BackgroundJob(Exchange exchange, List<Task> tasks, @Nullable AsyncContext async,
            @Nullable ClientChannel openResponse, Charset charset, WorkScheduler scheduler) {
        this.exchange = exchange;
        this.tasks = tasks;
        this.async = async;
        this.openResponse = openResponse;
        this.charset = charset;
        this.scheduler = scheduler;
    }

    Exchange exchange() {
        return exchange;
    }

    @Nullable AsyncContext async() {
        return async;
    }

    /**
     * Whether someone other than the toolkit (a container stopping its pool, or the application)
     * interrupted the thread while the tasks ran; the interrupt was held back from the toolkit's
     * own last writes and the callbacks, and is the thread's to get back.
     */
    boolean wasInterruptedByOthers() {
        return interruptedByOthers;
    }

    /** Takes the job; only the caller that gets true may run it. */
    boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    /** The scheduler gave the job a slot to run in. */
    void slotGranted() {
        slotGranted = true;
    }

    /** If the container completes the exchange before the started runnable ran, run the job then. */
    void runOnContainerComplete() {
        runsOnComplete = true;
    }

    /**
     * The job waits for a slot. A response sent whole is complete already: its exchange is given
     * back to the container now, so the connection and request do not wait with the job (a
     * graceful container stop waits for open asynchronous requests before it destroys filters).
     * The job will run on the thread of the job whose slot it takes; a streamed response stays
     * open for it.
     */
    void queued() {
        if (openResponse == null) {
            complete();
        }
    }

    /**
     * Runs the tasks and ends the exchange, on the calling thread, which has claimed the job and
     * holds a slot. Never throws.
     */
    void run() {
        try {
            exchange.startRunning();
            if (openResponse == null) {
                complete(); // the container finishes the response (and the connection) while the work runs
            }
            TimeLimits.Limit limit = scheduler.timeLimits().start(exchange);
            TaskOutput output = new TaskOutput(openResponse, charset);
            Throwable failure = runTasks(new JobContext(exchange, limit, output, scheduler::isClosing), limit);
            // Decided now: a client that resets after the last chunk cannot cancel finished work.
            Outcome outcome = exchange.stop().outcomeOf(failure);
            if (openResponse != null) {
                endResponse(output);
            }
            exchange.finish(outcome, failure);
        } catch (Throwable e) {
            LOG.log(Level.ERROR, "After Response: exchange " + exchange.id() + " could not end normally", e);
            exchange.finish(Outcome.FAILED, e);
        }
    }

    private @Nullable Throwable runTasks(JobContext context, TimeLimits.Limit limit) {
        WorkerThread worker = exchange.stop().worker();
        worker.attach();
        try {
            return runEach(context);
        } finally {
            limit.end(); // from here on the status is final
            interruptedByOthers |= worker.detach();
        }
    }

    /**
     * Runs the tasks in order until one throws or the work is stopped; returns the failure. Each
     * task runs with the request's context restored on this thread, and closed right after.
     */
    private @Nullable Throwable runEach(JobContext context) {
        CapturedContext captured = exchange.context();
        for (Task task : tasks) {
            if (exchange.stop().isStopRequested()) {
                return null; // the remaining tasks are skipped; the outcome says why
            }
            try (CapturedContext.Restored restored = captured.restore()) {
                task.run(context);
            } catch (Throwable e) {
                logFailure(e);
                return e;
            }
        }
        return null;
    }

    /**
     * The work of a servlet that called {@code finish()}, begun on its request thread: the rest of
     * the servlet method is its first part, under the time limit and interruptible by it and by a
     * shutdown. {@link #endHere} ends it when the servlet returns.
     */
    TimeLimits.Limit beginHere() {
        exchange.startRunning();
        TimeLimits.Limit limit = scheduler.timeLimits().start(exchange);
        exchange.stop().worker().attach();
        return limit;
    }

    /**
     * The servlet that called {@code finish()} returned, or threw {@code servletFailure}: runs the
     * tasks it registered before (unless it failed or was stopped), then ends the exchange, on the
     * request thread. Never throws; an interrupt the toolkit sent is cleared, one from someone
     * else is left on the thread.
     */
    void endHere(TimeLimits.Limit limit, @Nullable Throwable servletFailure) {
        WorkerThread worker = exchange.stop().worker();
        Throwable failure = servletFailure;
        try {
            if (failure != null) {
                logServletFailure(failure);
            } else {
                failure = runEach(new JobContext(exchange, limit, new TaskOutput(null, charset), scheduler::isClosing));
            }
        } catch (Throwable e) {
            LOG.log(Level.ERROR, "After Response: exchange " + exchange.id() + " could not end normally", e);
            failure = e;
        } finally {
            limit.end();
            interruptedByOthers |= worker.detach();
        }
        exchange.finish(exchange.stop().outcomeOf(failure), failure);
        if (interruptedByOthers) {
            Thread.currentThread().interrupt();
        }
    }

    private void logServletFailure(Throwable e) {
        if (exchange.stop().isStopRequested() || e instanceof ClientAbortedException) {
            LOG.log(Level.DEBUG, () -> "After Response: the servlet of exchange " + exchange.id()
                    + " ended after finish() as it was stopped: " + e);
        } else {
            LOG.log(Level.WARNING, "After Response: the servlet of exchange " + exchange.id() + " failed after "
                    + "finish(); the client had its response already, and the tasks are skipped", e);
        }
    }

    private void logFailure(Throwable e) {
        if (exchange.stop().isStopRequested() || e instanceof ClientAbortedException) {
            LOG.log(Level.DEBUG, () -> "After Response: a task of exchange " + exchange.id()
                    + " ended as it was stopped: " + e);
        } else {
            LOG.log(Level.WARNING, "After Response: a task of exchange " + exchange.id() + " failed; "
                    + "the remaining tasks are skipped", e);
        }
    }

    /** Ends the response kept open for the tasks: what the writer holds, the last chunk, completion. */
    private void endResponse(TaskOutput output) {
        try {
            output.flushWriter();
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, () -> "After Response: the last output of exchange " + exchange.id()
                    + " could not be sent: " + e);
        }
        openResponse.close();
        exchange.responseEnded();
        complete();
    }

    /**
     * Ends a job that never ran because the web application stops: it has no slot, or its executor
     * will not run it. Nothing happens if another thread has claimed it.
     */
    void abandon() {
        if (!claim()) {
            return;
        }
        exchange.stop().shutDown();
        if (openResponse != null) {
            openResponse.close();
            exchange.responseEnded();
        }
        complete();
        exchange.finish(Outcome.SHUT_DOWN, null);
    }

    private void complete() {
        AsyncContext context = async;
        if (context != null && completed.compareAndSet(false, true)) {
            async = null;
            try {
                context.complete();
            } catch (IllegalStateException e) {
                LOG.log(Level.DEBUG, "After Response: the container had completed the exchange already", e);
            } catch (RuntimeException e) {
                // Undertow throws RejectedExecutionException (wrapped) once its worker shuts down;
                // the work must still run and its callbacks still fire.
                LOG.log(Level.WARNING, "After Response: the container could not complete the exchange", e);
            }
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
        if (completed.compareAndSet(false, true)) {
            containerEnded(new IOException("the container ended the response before the tasks did"));
        }
        if (runsOnComplete && slotGranted && claim()) {
            LOG.log(Level.DEBUG, "After Response: the container completed the exchange before the background "
                    + "work started; it runs on the completing thread");
            scheduler.runClaimed(this);
        }
    }

    @Override
    public void onError(AsyncEvent event) {
        // Tomcat completes the exchange by itself after onError, and a task's write racing with
        // that completion failed with a NullPointerException inside Tomcat, or touched a recycled
        // response.
        if (openResponse != null) {
            Throwable error = event.getThrowable();
            containerEnded(error instanceof IOException io ? io : new IOException(error));
        }
        complete();
    }

    /**
     * The container ended, or is ending, a response still open for the tasks: the client cannot
     * get more, and the response may soon serve another request. The channel is closed first,
     * waiting for a write under way.
     */
    private void containerEnded(IOException cause) {
        if (openResponse != null) {
            openResponse.detach();
            exchange.stop().clientGone(cause);
        }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        complete(); // not expected: the timeout is switched off
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // Not restarted by the toolkit.
    }
}
