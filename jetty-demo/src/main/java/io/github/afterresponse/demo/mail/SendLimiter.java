package io.github.afterresponse.demo.mail;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * How fast all campaigns together may send: a steady rate (messages per second, spaced evenly)
 * and an optional cap of N messages in any sliding window (say 1000 per hour, as many providers
 * impose). One instance is shared by every campaign.
 */
public final class SendLimiter {

    private static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final long intervalNanos;
    private final int windowCount;
    private final long windowNanos;
    private final ArrayDeque<Long> sentInWindow = new ArrayDeque<>();
    private long nextFree = System.nanoTime();

    /**
     * @param perSecond messages per second, 0 for no limit
     * @param windowCount at most this many per {@code window}; 0 for no window
     */
    public SendLimiter(double perSecond, int windowCount, Duration window) {
        this.intervalNanos = perSecond <= 0 ? 0 : (long) (1_000_000_000L / perSecond);
        this.windowCount = windowCount;
        this.windowNanos = window.toNanos();
    }

    /**
     * Waits for the turn to send one message. Between checks of {@code stop} it waits at most
     * 100 ms, so that a pause, a cancel or a stop is seen while a long window is full.
     *
     * @return true to send now; false if {@code stop} said to stop first
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean acquire(BooleanSupplier stop) throws InterruptedException {
        while (true) {
            long wait;
            synchronized (this) {
                long now = System.nanoTime();
                if (windowCount > 0) {
                    while (!sentInWindow.isEmpty() && now - sentInWindow.peekFirst() >= windowNanos) {
                        sentInWindow.pollFirst();
                    }
                }
                long windowWait = windowCount > 0 && sentInWindow.size() >= windowCount
                        ? sentInWindow.peekFirst() + windowNanos - now : 0;
                long rateWait = nextFree - now;
                wait = Math.max(windowWait, rateWait);
                if (wait <= 0) {
                    nextFree = Math.max(nextFree, now) + intervalNanos;
                    if (windowCount > 0) {
                        sentInWindow.addLast(now);
                    }
                    return true;
                }
            }
            if (stop.getAsBoolean()) {
                return false;
            }
            LockSupport.parkNanos(this, Math.min(wait, CHECK_NANOS));
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for the send rate");
            }
        }
    }

    /** When the window is full: how long until it lets the next message through. */
    public synchronized Optional<Duration> windowFullFor() {
        if (windowCount == 0 || sentInWindow.size() < windowCount) {
            return Optional.empty();
        }
        long left = sentInWindow.peekFirst() + windowNanos - System.nanoTime();
        return left > 0 ? Optional.of(Duration.ofNanos(left)) : Optional.empty();
    }
}
