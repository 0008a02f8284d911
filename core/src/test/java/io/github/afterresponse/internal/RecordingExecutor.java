package io.github.afterresponse.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records the jobs it is asked to start; the test runs them when it chooses. Handing over its
 * thread, it stands for the container's pool: a thread that ends a job runs the next one.
 */
final class RecordingExecutor implements WorkExecutor {

    final List<BackgroundJob> started = new CopyOnWriteArrayList<>();
    private final boolean handsOverThread;

    RecordingExecutor() {
        this(false);
    }

    RecordingExecutor(boolean handsOverThread) {
        this.handsOverThread = handsOverThread;
    }

    @Override
    public boolean needsAsync() {
        return false;
    }

    @Override
    public boolean handsOverThread() {
        return handsOverThread;
    }

    @Override
    public boolean start(BackgroundJob job, WorkScheduler scheduler) {
        started.add(job);
        return true;
    }

    @Override
    public void shutdown() {
    }

    @Override
    public String describe() {
        return "a recording executor";
    }
}
