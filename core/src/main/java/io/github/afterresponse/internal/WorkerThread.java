package io.github.afterresponse.internal;

import org.jspecify.annotations.Nullable;

/**
 * The thread running an exchange's tasks, for interrupting it, and only while it runs them: the
 * thread may belong to the container's pool and go on serving other requests afterwards, so an
 * interrupt of the toolkit's must never reach it then. Attach, detach and interrupt share one
 * lock, so once {@link #detach()} returns, no interrupt of this exchange can arrive any more.
 * An interrupt from anyone else (a container stopping its pool) is left on the thread.
 */
final class WorkerThread {

    private @Nullable Thread thread;
    private boolean interruptPending;
    /** Whether this exchange interrupted the thread it runs on. */
    private boolean delivered;

    /** The current thread starts running the tasks; a stop requested before that interrupts at once. */
    synchronized void attach() {
        thread = Thread.currentThread();
        if (interruptPending) {
            delivered = true;
            thread.interrupt();
        }
    }

    /**
     * The tasks have ended: no more interrupts, and the one this exchange delivered is cleared, so
     * the thread goes back to its pool as it came. A thread this exchange never interrupted keeps
     * its interrupt status: it is someone else's to act on.
     */
    void detach() {
        boolean ours;
        synchronized (this) {
            thread = null;
            ours = delivered;
        }
        if (ours) {
            Thread.interrupted();
        }
    }

    synchronized void interrupt() {
        interruptPending = true;
        if (thread != null) {
            delivered = true;
            thread.interrupt();
        }
    }
}
