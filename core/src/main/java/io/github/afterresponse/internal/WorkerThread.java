package io.github.afterresponse.internal;

import org.jspecify.annotations.Nullable;

/**
 * The thread running an exchange's tasks, for interrupting it, and only while it runs them: the
 * thread may belong to the container's pool and go on serving other requests afterwards, so an
 * interrupt must never reach it then. Attach, detach and interrupt share one lock, so once
 * {@link #detach()} returns, no interrupt of this exchange can arrive any more.
 */
final class WorkerThread {

    private @Nullable Thread thread;
    private boolean interruptPending;

    /** The current thread starts running the tasks; a stop requested before that interrupts at once. */
    synchronized void attach() {
        thread = Thread.currentThread();
        if (interruptPending) {
            thread.interrupt();
        }
    }

    /**
     * The tasks have ended: no more interrupts, and the one that may have arrived is cleared, so
     * the thread goes back to its pool as it came.
     */
    void detach() {
        synchronized (this) {
            thread = null;
        }
        Thread.interrupted();
    }

    synchronized void interrupt() {
        interruptPending = true;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
