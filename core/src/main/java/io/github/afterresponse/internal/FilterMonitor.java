package io.github.afterresponse.internal;

import io.github.afterresponse.AfterResponseMonitor;
import io.github.afterresponse.Completion;
import io.github.afterresponse.RequestSnapshot;
import io.github.afterresponse.TaskInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.LongAdder;

/** The counters of one filter, and its scheduler's view of the work queued and running. */
final class FilterMonitor implements AfterResponseMonitor {

    private final String filterName;
    private final WorkScheduler scheduler;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder cancelled = new LongAdder();
    private final LongAdder aborted = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private final LongAdder shutDown = new LongAdder();

    FilterMonitor(String filterName, WorkScheduler scheduler) {
        this.filterName = filterName;
        this.scheduler = scheduler;
    }

    void countAccepted() {
        accepted.increment();
    }

    /** Counts how an exchange ended; a refusal counts as rejected only. */
    void ended(Completion completion) {
        switch (completion.outcome()) {
            case COMPLETED -> completed.increment();
            case FAILED -> failed.increment();
            case CANCELLED -> cancelled.increment();
            case REJECTED -> rejected.increment();
            case SHUT_DOWN -> shutDown.increment();
        }
        if (completion.status().isAborted()) {
            aborted.increment();
        }
        if (completion.status().isTimedOut()) {
            timedOut.increment();
        }
    }

    @Override
    public String filterName() {
        return filterName;
    }

    @Override
    public long accepted() {
        return accepted.sum();
    }

    @Override
    public long rejected() {
        return rejected.sum();
    }

    @Override
    public int running() {
        return scheduler.running();
    }

    @Override
    public int queued() {
        return scheduler.queued();
    }

    @Override
    public long completed() {
        return completed.sum();
    }

    @Override
    public long failed() {
        return failed.sum();
    }

    @Override
    public long cancelled() {
        return cancelled.sum();
    }

    @Override
    public long aborted() {
        return aborted.sum();
    }

    @Override
    public long timedOut() {
        return timedOut.sum();
    }

    @Override
    public long shutDown() {
        return shutDown.sum();
    }

    @Override
    public List<TaskInfo> tasks() {
        return tasks(DEFAULT_TASKS);
    }

    @Override
    public List<TaskInfo> tasks(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max must be 0 or more, but was " + max);
        }
        WorkScheduler.Jobs jobs = scheduler.jobs(max);
        // The oldest max of the running jobs, without describing or sorting all of them: with
        // virtual threads, 100,000 may run. Ties keep the scheduler's order (running, then lent).
        List<BackgroundJob> running = jobs.running();
        Comparator<Integer> byAge = Comparator.comparing((Integer i) -> running.get(i).exchange().acceptedAt())
                .thenComparing(Comparator.naturalOrder());
        PriorityQueue<Integer> oldest = new PriorityQueue<>(byAge.reversed());
        for (int i = 0; i < running.size(); i++) {
            oldest.add(i);
            if (oldest.size() > max) {
                oldest.poll();
            }
        }
        List<Integer> indexes = new ArrayList<>(oldest);
        indexes.sort(byAge);
        List<BackgroundJob> chosen = new ArrayList<>(indexes.size());
        indexes.forEach(i -> chosen.add(running.get(i)));
        List<TaskInfo> tasks = new ArrayList<>(Math.min(max, chosen.size() + jobs.queued().size()));
        chosen.forEach(job -> tasks.add(describe(job, false)));
        for (BackgroundJob job : jobs.queued()) {
            if (tasks.size() == max) {
                break;
            }
            tasks.add(describe(job, true));
        }
        return tasks;
    }

    private static TaskInfo describe(BackgroundJob job, boolean queued) {
        Exchange exchange = job.exchange();
        RequestSnapshot request = exchange.snapshotOrNull();
        Instant now = exchange.now();
        long[] progress = exchange.progress().get();
        return new TaskInfo(exchange.id(), exchange.state(), queued,
                request == null ? "?" : request.method(), request == null ? "?" : request.requestUri(),
                exchange.acceptedAt(), exchange.startedAt(), Duration.between(exchange.acceptedAt(), now),
                progress[0], progress[1], exchange.status());
    }

    @Override
    public String toString() {
        return "AfterResponseMonitor[" + filterName + ": accepted " + accepted() + ", rejected " + rejected()
                + ", running " + running() + ", queued " + queued() + ", completed " + completed() + ", failed "
                + failed() + ", cancelled " + cancelled() + ", aborted " + aborted() + ", timed out " + timedOut()
                + ", shut down " + shutDown() + "]";
    }
}
