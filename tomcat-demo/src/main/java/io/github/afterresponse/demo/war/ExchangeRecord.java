package io.github.afterresponse.demo.war;

import io.github.afterresponse.Completion;
import java.time.Instant;
import java.util.Optional;

/**
 * What the demo knows of one exchange: recorded when its servlet starts, when its work starts, and
 * by each callback that runs. Thread-safe: the servlet, the worker and the callbacks run on
 * different threads.
 */
public final class ExchangeRecord {

    private final String exchangeId;
    private final String style;
    private final String path;
    private final Instant seenAt;
    private final String requestThread;
    private String work = "";
    private String filter = "";
    private String workThread;
    private Instant workStartedAt;
    private Completion completion;
    private int callbacksRun;

    ExchangeRecord(String exchangeId, String style, String path, Instant seenAt, String requestThread) {
        this.exchangeId = exchangeId;
        this.style = style;
        this.path = path;
        this.seenAt = seenAt;
        this.requestThread = requestThread;
    }

    /** Notes what the work is, as {@link SimulatedWork#describe()} says. */
    public synchronized ExchangeRecord work(String description) {
        this.work = description;
        return this;
    }

    /** Notes that the work starts now on the calling thread. */
    public synchronized void workStarted() {
        workThread = Thread.currentThread().getName();
        workStartedAt = Instant.now();
    }

    /** Notes that a callback ran for this exchange; the first one fixes the completion. */
    synchronized void callbackRan(Completion done) {
        if (completion == null) {
            completion = done;
        }
        callbacksRun++;
    }

    /** Notes the filter whose {@code afterCompletion} saw the exchange. */
    synchronized void filter(String filterName) {
        this.filter = filterName;
    }

    /** The exchange's id. */
    public String exchangeId() {
        return exchangeId;
    }

    /** {@code annotated}, {@code legacy}, {@code programmatic}, or {@code filter-only} for one no servlet recorded. */
    public String style() {
        return style;
    }

    /** The request URI. */
    public String path() {
        return path;
    }

    /** When the servlet (or the filter, for {@code filter-only}) recorded it. */
    public Instant seenAt() {
        return seenAt;
    }

    /** The thread that ran the servlet. */
    public String requestThread() {
        return requestThread;
    }

    /** What the work is. */
    public synchronized String work() {
        return work;
    }

    /** The filter whose hook saw the exchange, or empty when it had none. */
    public synchronized String filter() {
        return filter;
    }

    /** The thread the work ran on, once it started. */
    public synchronized Optional<String> workThread() {
        return Optional.ofNullable(workThread);
    }

    /** When the work started. */
    public synchronized Optional<Instant> workStartedAt() {
        return Optional.ofNullable(workStartedAt);
    }

    /** How the exchange ended, once a callback said so. */
    public synchronized Optional<Completion> completion() {
        return Optional.ofNullable(completion);
    }

    /** How many callbacks (the servlet's and the filter hook) have run. */
    public synchronized int callbacksRun() {
        return callbacksRun;
    }
}
