package io.github.afterresponse.internal;

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

    WorkScheduler(int maxRunning, int queueCapacity, WorkExecutor executor, TimeLimits timeLimits) {
        this.maxRunning = maxRunning;
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

    /** Runs the job on this thread (as {@link #runClaimed}) unless another thread has claimed it. */
    void runIfUnclaimed(BackgroundJob job) {
        if (job.claim()) {
            runClaimed(job);
        }
    }

    /**
     * Runs a claimed job on this thread, then, one after another and never one inside the other,
     * the waiting jobs this thread is to run: those whose slot it frees when its executor hands
     * over its thread, and those the executor refused.
     */
    void runClaimed(BackgroundJob first) {
        BackgroundJob job = first;
        while (job != null) {
            job.run();
            job = ended(job);
        }
    }

    /**
     * Frees the job's slot and gives it to the next waiting job; returns that job if this thread is
     * to run it. A thread that someone else interrupted (a container stopping its pool) is not kept
     * for more work: the next job asks the executor for another thread, and if there is none to be
     * had it goes back to the head of the queue, for the next job that ends or the shutdown, which
     * ends it SHUT_DOWN. It is never ended on a guess: the interrupt may have been a task's.
     */
    private @Nullable BackgroundJob ended(BackgroundJob job) {
        boolean threadStopping = Thread.currentThread().isInterrupted();
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
        if (executor.handsOverThread() && !threadStopping) {
            return next.claim() ? next : null;
        }
        if (executor.start(next, this)) {
            return null;
        }
        if (threadStopping) {
            requeue(next);
            return null;
        }
        return next.claim() ? next : null; // refused: run here, in the caller's loop
    }

    /** Gives a job that could get no thread its place back, at the head of the queue. */
    private void requeue(BackgroundJob job) {
        boolean abandon;
        synchronized (lock) {
            running.remove(job);
            abandon = closing; // the shutdown has taken the queue already
            if (!abandon) {
                queue.addFirst(job);
            }
            lock.notifyAll();
        }
        if (abandon) {
            job.abandon();
        }
    }

    /** The jobs that run and those that wait, taken together under the lock. */
    record Jobs(List<BackgroundJob> running, List<BackgroundJob> queued) {
    }

    /** At most {@code max} of the running jobs and {@code max} of the waiting ones, in their order. */
    Jobs jobs(int max) {
        synchronized (lock) {
            List<BackgroundJob> now = new ArrayList<>(Math.min(max, running.size() + lent.size()));
            for (BackgroundJob job : running) {
                if (now.size() == max) {
                    break;
                }
                now.add(job);
            }
            for (BackgroundJob job : lent) {
                if (now.size() == max) {
                    break;
                }
                now.add(job);
            }
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
        if (!awaitIdle(grace)) {
            List<BackgroundJob> remaining = runningJobs();
            LOG.log(Level.WARNING, "After Response: {0} exchanges still run after the shutdown grace of {1}; "
                    + "interrupting them", remaining.size(), Durations.format(grace));
            remaining.forEach(job -> job.exchange().stop().shutDown());
            if (!awaitIdle(AFTER_INTERRUPT)) {
                for (BackgroundJob job : runningJobs()) {
                    LOG.log(Level.WARNING, "After Response: exchange {0} ignored its interrupt for {1}; it is "
                            + "reported SHUT_DOWN now and its thread is left to end on its own",
                            job.exchange().id(), Durations.format(AFTER_INTERRUPT));
                    job.abandon(); // a job that never got its thread
                    job.exchange().finish(io.github.afterresponse.Outcome.SHUT_DOWN, null);
                }
            }
        }
    }

    private List<BackgroundJob> runningJobs() {
        synchronized (lock) {
            List<BackgroundJob> all = new ArrayList<>(running);
            all.addAll(lent);
            return all;
        }
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
