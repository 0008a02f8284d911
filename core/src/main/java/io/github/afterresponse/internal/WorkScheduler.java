package io.github.afterresponse.internal;

import io.github.afterresponse.Outcome;
import io.github.afterresponse.internal.config.Durations;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Admission and slots for one filter's background work. A request is admitted while fewer than
 * {@code maxRunning + queueCapacity} exchanges are unfinished, and then keeps its place until it
 * ends, so work it registers is never dropped. At most {@code maxRunning} jobs run at once; the
 * others wait in arrival order. Decisions are made under the lock; jobs start outside it.
 */
final class WorkScheduler {

    private static final System.Logger LOG = Log.LOGGER;
    /** How long shutdown waits for interrupted work before reporting it ended. */
    private static final Duration AFTER_INTERRUPT = Duration.ofSeconds(5);

    private final int maxRunning;
    private final int capacity;
    private final WorkExecutor executor;
    private final TimeLimits timeLimits;

    private final Object lock = new Object();
    private int admitted;
    private final ArrayDeque<BackgroundJob> queue = new ArrayDeque<>();
    private final Set<BackgroundJob> running = new LinkedHashSet<>();
    /** Jobs running on a request thread lent by the request itself (see {@link #runHere}). */
    private final Set<BackgroundJob> lent = new LinkedHashSet<>();
    private volatile boolean closing;
    /**
     * Set once the shutdown grace is over (the running work has been sampled for its interrupt):
     * from then on nothing waits for new work or bounds it (the timer stops with the filter).
     */
    private boolean graceOver;

    WorkScheduler(int maxRunning, int queueCapacity, WorkExecutor executor, TimeLimits timeLimits) {
        // A pool of platform threads runs at most its threads at once; the other admitted exchanges
        // wait in the queue, where a stop finds them.
        this.maxRunning = Math.min(maxRunning, executor.threads());
        this.capacity = maxRunning + queueCapacity;
        this.executor = executor;
        this.timeLimits = timeLimits;
    }

    TimeLimits timeLimits() {
        return timeLimits;
    }

    WorkExecutor executor() {
        return executor;
    }

    boolean isClosing() {
        return closing;
    }

    /** Takes a place for a new exchange; false when full or shutting down (the request is refused). */
    boolean admit() {
        synchronized (lock) {
            if (closing || admitted >= capacity) {
                return false;
            }
            admitted++;
            return true;
        }
    }

    /** An admitted exchange has ended: its place is free. */
    void release() {
        synchronized (lock) {
            admitted--;
        }
    }

    /**
     * Runs the job now if a slot is free, or queues it; when shutting down, ends it at once. A job
     * the executor refuses runs on the calling thread.
     */
    void submit(BackgroundJob job) {
        boolean start = false;
        boolean queued = false;
        synchronized (lock) {
            if (!closing && running.size() < maxRunning) {
                running.add(job);
                start = true;
            } else if (!closing) {
                queue.add(job);
                queued = true;
            }
        }
        if (start) {
            job.slotGranted();
            if (!executor.start(job, this)) {
                runIfUnclaimed(job);
            }
        } else if (queued) {
            job.queued();
        } else {
            job.abandon();
        }
    }

    /**
     * Runs a job on the request thread that is held anyway (a servlet that does not support
     * asynchronous processing, or a failed {@code startAsync}): it takes no slot, since it takes no
     * thread from anyone, and it never goes on with other requests' queued work, which would keep
     * that request's connection. When shutting down, the job ends at once instead.
     */
    void runHere(BackgroundJob job) {
        boolean run;
        synchronized (lock) {
            run = !closing;
            if (run) {
                lent.add(job);
            }
        }
        if (!run) {
            job.abandon();
            return;
        }
        job.slotGranted();
        runIfUnclaimed(job);
    }

    /**
     * The job's work runs on a request thread that called {@code finish()}: like {@link #runHere}
     * it takes no running slot (the thread is the request's own) but is waited for and interrupted
     * by a shutdown; unlike it, the caller runs the work itself and ends with {@link #giveBack}.
     * Lent even while the filter stops: the request was admitted, and its response is already sent;
     * during the grace it is waited for and then interrupted like running work, and once the stop
     * grace is over it is interrupted at once.
     */
    void lend(BackgroundJob job) {
        boolean late;
        synchronized (lock) {
            late = graceOver;
            lent.add(job);
        }
        if (late) {
            // The filter has stopped and its timer with it: the rest is interrupted at once and
            // its tasks are skipped, as a job that never ran (SHUT_DOWN), instead of running on
            // with nothing to bound it.
            job.exchange().stop().shutDown();
        }
        job.slotGranted();
        job.claim();
    }

    /** The work of a lent job has ended. */
    void giveBack(BackgroundJob job) {
        synchronized (lock) {
            lent.remove(job);
            lock.notifyAll();
        }
    }

    /** Runs the job on this thread (as {@link #runClaimed}) unless another thread has claimed it. */
    void runIfUnclaimed(BackgroundJob job) {
        if (job.claim()) {
            runClaimed(job);
        }
    }

    /**
     * Runs a claimed job on this thread, then, one after another and never one inside the other,
     * the waiting jobs this thread is to run: those whose slot it frees when its executor hands
     * over its thread, and those the executor refused. An interrupt someone else sent the thread
     * meanwhile (a container stopping its pool, or the application) is held back from the
     * toolkit's own work and given back when the thread returns to its pool.
     */
    void runClaimed(BackgroundJob first) {
        boolean interruptedByOthers = false;
        BackgroundJob job = first;
        try {
            while (job != null) {
                job.run();
                // A callback, too, may have left an interrupt behind.
                interruptedByOthers |= job.wasInterruptedByOthers() | Thread.interrupted();
                job = ended(job, interruptedByOthers);
            }
        } finally {
            if (interruptedByOthers) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Frees the job's slot and gives it to the next waiting job; returns that job if this thread is
     * to run it. A thread someone else interrupted is not kept for more work where the next job
     * can have another of the container's threads (a response still open for it has its own
     * asynchronous context); otherwise it runs the job, since the interrupt may have been a task's
     * and work is never ended on a guess. A container that really stops destroys the filter, whose
     * shutdown bounds that work.
     */
    private @Nullable BackgroundJob ended(BackgroundJob job, boolean threadInterrupted) {
        BackgroundJob next;
        synchronized (lock) {
            if (lent.remove(job)) {
                lock.notifyAll();
                return null;
            }
            running.remove(job);
            next = closing || running.size() >= maxRunning ? null : queue.poll();
            if (next != null) {
                running.add(next);
            }
            lock.notifyAll();
        }
        if (next == null) {
            return null;
        }
        next.slotGranted();
        boolean anotherThreadWanted = threadInterrupted && next.async() != null;
        if (executor.handsOverThread() && !anotherThreadWanted) {
            return next.claim() ? next : null;
        }
        if (executor.start(next, this)) {
            return null;
        }
        return next.claim() ? next : null; // refused: run here, in the caller's loop
    }

    /** The jobs that run and those that wait, taken together under the lock. */
    record Jobs(List<BackgroundJob> running, List<BackgroundJob> queued) {
    }

    /**
     * Every running job (at most {@code maxRunning} of them, plus those on lent request threads)
     * and the first {@code max} waiting ones, in the order they will run.
     */
    Jobs jobs(int max) {
        synchronized (lock) {
            List<BackgroundJob> now = new ArrayList<>(running.size() + lent.size());
            now.addAll(running);
            now.addAll(lent);
            List<BackgroundJob> waiting = new ArrayList<>(Math.min(max, queue.size()));
            for (BackgroundJob job : queue) {
                if (waiting.size() == max) {
                    break;
                }
                waiting.add(job);
            }
            return new Jobs(now, waiting);
        }
    }

    int running() {
        synchronized (lock) {
            return running.size() + lent.size();
        }
    }

    int queued() {
        synchronized (lock) {
            return queue.size();
        }
    }

    /**
     * Stops taking work, ends the queued jobs at once, gives the running ones {@code grace} to end,
     * interrupts what remains, and after a further wait ends it anyway: every exchange gets its
     * callbacks, the ones cut short with {@code SHUT_DOWN}.
     */
    void shutdown(Duration grace) {
        List<BackgroundJob> waiting;
        synchronized (lock) {
            closing = true;
            waiting = new ArrayList<>(queue);
            queue.clear();
        }
        waiting.forEach(BackgroundJob::abandon);
        awaitIdle(grace);
        List<BackgroundJob> remaining;
        synchronized (lock) {
            // Sampled together with the flag: work lent after this is interrupted by lend itself.
            graceOver = true;
            remaining = runningJobsLocked();
        }
        if (!remaining.isEmpty()) {
            LOG.log(Level.WARNING, "After Response: {0} exchanges still run after the shutdown grace of {1}; "
                    + "interrupting them", remaining.size(), Durations.format(grace));
            remaining.forEach(job -> job.exchange().stop().shutDown());
            if (!awaitIdle(AFTER_INTERRUPT)) {
                for (BackgroundJob job : runningJobs()) {
                    LOG.log(Level.WARNING, "After Response: exchange {0} ignored its interrupt for {1}; it is "
                            + "reported SHUT_DOWN now and its thread is left to end on its own",
                            job.exchange().id(), Durations.format(AFTER_INTERRUPT));
                    job.abandon(); // a job that never got its thread
                    job.exchange().finish(Outcome.SHUT_DOWN, null);
                }
            }
        }
    }

    private List<BackgroundJob> runningJobs() {
        synchronized (lock) {
            return runningJobsLocked();
        }
    }

    private List<BackgroundJob> runningJobsLocked() {
        List<BackgroundJob> all = new ArrayList<>(running);
        all.addAll(lent);
        return all;
    }

    private boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!running.isEmpty() || !lent.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }
}
