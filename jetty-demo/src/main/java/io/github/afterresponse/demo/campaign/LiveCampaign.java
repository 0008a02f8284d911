package io.github.afterresponse.demo.campaign;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A campaign that has an exchange (queued or sending) in this process: what people asked of it
 * and its counts as they change. Written by the sending threads, read by status requests.
 */
final class LiveCampaign {

    /** What stops a run before its last recipient. */
    enum Stop {
        PAUSE, AUTO_PAUSE, CANCEL
    }

    private record Sample(long nanos, int done) {
    }

    final long id;
    private volatile int total;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger failuresInARow = new AtomicInteger();
    private volatile Stop stop;
    private volatile String stopReason;
    /** Whether a sender has stopped for {@link #stop}: from then on the run is ending and a pause stays. */
    private boolean stopActedOn;
    private volatile boolean ran;
    private volatile CampaignRun.Ending ending;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    LiveCampaign(long id) {
        this.id = id;
    }

    /** The run began: counts as stored. */
    void began(int total, int sent, int failed) {
        this.total = total;
        this.sent.set(sent);
        this.failed.set(failed);
        this.ran = true;
        sample();
    }

    boolean ran() {
        return ran;
    }

    /** How the run ended, from its task to its completion callback. */
    void ending(CampaignRun.Ending ending) {
        this.ending = ending;
    }

    CampaignRun.Ending ending() {
        return ending;
    }

    void sent() {
        sent.incrementAndGet();
        failuresInARow.set(0);
        sample();
    }

    /** One more failure; returns how many in a row. */
    int failed() {
        failed.incrementAndGet();
        sample();
        return failuresInARow.incrementAndGet();
    }

    int sentCount() {
        return sent.get();
    }

    int failedCount() {
        return failed.get();
    }

    int total() {
        return total;
    }

    /** Asks the run to stop at the next recipient; a cancel wins over a pause. */
    synchronized void request(Stop what, String reason) {
        if (stop != Stop.CANCEL) {
            stop = what;
            stopReason = reason;
        }
    }

    /**
     * Whether the run is to stop, asked by a sender before each recipient. Once it answers yes the
     * stop is acted on: {@link #unpause} can no longer take it back, since the sender it stopped is
     * gone and the run may already be ending.
     */
    synchronized boolean stopping() {
        if (stop != null) {
            stopActedOn = true;
        }
        return stop != null;
    }

    /** Takes back a pause no sender has acted on yet; false if there was none, a cancel, or too late. */
    synchronized boolean unpause() {
        if (!stopActedOn && (stop == Stop.PAUSE || stop == Stop.AUTO_PAUSE)) {
            stop = null;
            stopReason = null;
            failuresInARow.set(0);
            return true;
        }
        return false;
    }

    Optional<Stop> stop() {
        return Optional.ofNullable(stop);
    }

    Optional<String> stopReason() {
        return Optional.ofNullable(stopReason);
    }

    /** Messages per second over the last five seconds or so. */
    synchronized double rate() {
        Sample first = samples.peekFirst();
        long nanos = first == null ? 0 : System.nanoTime() - first.nanos;
        return nanos < 500_000_000L ? 0 : (sent.get() + failed.get() - first.done) * 1e9 / nanos;
    }

    /** Time left at the current rate, if it is sending. */
    Optional<Duration> eta() {
        double rate = rate();
        int left = total - sent.get() - failed.get();
        return rate <= 0 || left <= 0 ? Optional.empty() : Optional.of(Duration.ofMillis((long) (left / rate * 1000)));
    }

    /** Keeps a sample every 200 ms, for the last five seconds. */
    private synchronized void sample() {
        long now = System.nanoTime();
        Sample last = samples.peekLast();
        if (last == null || now - last.nanos >= 200_000_000L) {
            samples.addLast(new Sample(now, sent.get() + failed.get()));
        }
        while (samples.size() > 1 && now - samples.peekFirst().nanos > 5_000_000_000L) {
            samples.pollFirst();
        }
    }
}
