package io.github.afterresponse.internal;

import org.jspecify.annotations.Nullable;

/**
 * The thread running an exchange's tasks, for interrupting it, and only while it runs them: the
 * thread may belong to the container's pool and go on serving other requests afterwards, so an
 * interrupt of the toolkit's must never reach it then. Attach, detach and interrupt share one
 * lock, so once {@link #detach()} returns, no interrupt of this exchange can arrive any more.
 */
final class WorkerThread {

    private @Nullable Thread thread;
    private boolean interruptPending;
    /** Whether this exchange interrupted the thread it runs on. */
    private boolean delivered;
    /** Whether the thread had been interrupted by someone else when this exchange interrupted it. */
    private boolean othersFirst;

    /** The current thread starts running the tasks; a stop requested before that interrupts at once. */
    synchronized void attach() {
        thread = Thread.currentThread();
        if (interruptPending) {
            deliver(thread);
        }
    }

    /**
     * The tasks have ended: no more interrupts, and the thread's interrupt status is cleared, so
     * that the toolkit's own last writes and the callbacks are not cut short by it.
     *
     * @return whether the thread had been interrupted by someone other than this exchange (a
     *     container stopping its pool, or the application): the caller gives it back before the
     *     thread returns to its pool. Once this exchange has interrupted the thread itself, a later
     *     interrupt from someone else cannot be told from the task keeping the toolkit's, and
     *     counts as the toolkit's: an interrupt of the toolkit's must never reach the pool.
     */
    boolean detach() {
        boolean ours;
        boolean others;
        synchronized (this) {
            thread = null;
            ours = delivered;
            others = othersFirst;
        }
        boolean interrupted = Thread.interrupted();
        return others || interrupted && !ours;
    }

    synchronized void interrupt() {
        interruptPending = true;
        if (thread != null) {
            deliver(thread);
        }
    }

    private void deliver(Thread target) {
        if (!delivered && target.isInterrupted()) {
            othersFirst = true;
        }
        delivered = true;
        target.interrupt();
    }
}
