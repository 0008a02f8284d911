package io.github.afterresponse.bench;

import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty's request pool, counting the jobs handed to it: {@link #execute} (queued for any pool
 * thread: a dispatch, an {@code AsyncContext.start}, a completion) and {@link #tryExecute}
 * accepted (handed straight to a reserved thread, as the selector does when it lets another
 * thread go on selecting). Per request, the count says how many times a request's processing moved
 * from one thread to another through the pool.
 */
final class CountingThreadPool extends QueuedThreadPool {

    final LongAdder executed = new LongAdder();
    final LongAdder reserved = new LongAdder();

    CountingThreadPool(int maxThreads, int minThreads) {
        super(maxThreads, minThreads);
    }

    @Override
    public void execute(Runnable job) {
        executed.increment();
        super.execute(job);
    }

    @Override
    public boolean tryExecute(Runnable task) {
        boolean accepted = super.tryExecute(task);
        if (accepted) {
            reserved.increment();
        }
        return accepted;
    }
}
