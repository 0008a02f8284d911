package io.github.afterresponse.internal;

/**
 * Gives background jobs a thread: the container's, through {@code AsyncContext.start}, or an
 * executor's. The scheduler decides when; this only decides where.
 */
interface WorkExecutor {

    /** Whether jobs need the exchange's {@code AsyncContext} to get a thread. */
    boolean needsAsync();

    /**
     * Whether a thread that finished a job runs the next waiting one itself, instead of asking for
     * a new thread: the container's pool can only be reached through a request's own
     * {@code AsyncContext}.
     */
    boolean handsOverThread();

    /**
     * Runs the job, which holds a slot, on a thread of this executor (through
     * {@link WorkScheduler#runIfUnclaimed}).
     *
     * @return false if the executor refused it: then the caller runs it, on its own thread, in its loop
     */
    boolean start(BackgroundJob job, WorkScheduler scheduler);

    /**
     * How many jobs this executor runs at once at most: a pool of the filter's own platform threads
     * has its size; virtual threads have no bound, and the size of an executor given or looked up
     * cannot be known (match {@code max-running} to it). The scheduler grants no more slots than
     * this, so that admitted
     * work waiting for a thread waits in its queue (reported queued, ended {@code SHUT_DOWN} by a
     * stop) and not in the executor's.
     */
    default int threads() {
        return Integer.MAX_VALUE;
    }

    /** Stops the threads this executor owns; those it was given are left alone. */
    void shutdown();

    /** For the log: what runs the work. */
    String describe();
}
