package io.github.afterresponse.internal;

import io.github.afterresponse.AfterResponseConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The time limits of one filter's background work ({@code set_time_limit}): one daemon timer thread
 * that, when a limit runs out, marks the exchange timed out and interrupts its worker. The
 * container's own async timeout is no use here: it is 30 s on every container, answers 500 and
 * never interrupts the worker, and Tomcat fires it about once a second.
 */
final class TimeLimits {

    private final ScheduledExecutorService timer;

    TimeLimits(String filterName) {
        this(newTimer(filterName));
    }

    /** With the given timer, which this then owns; for tests that decide when an expiry runs. */
    TimeLimits(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    private static ScheduledExecutorService newTimer(String filterName) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, work -> {
            Thread thread = new Thread(work, "after-response-" + filterName + "-timer");
            thread.setDaemon(true);
            thread.setContextClassLoader(null); // it runs only toolkit code; no web-app loader kept alive
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return timer;
    }

    /** Starts the clock of one exchange's background work with the exchange's own limit. */
    Limit start(Exchange exchange) {
        Limit limit = new Limit(exchange.stop(), exchange::now);
        limit.set(exchange.timeLimit());
        return limit;
    }

    void shutdown() {
        timer.shutdownNow();
    }

    /** A clock reading, the exchange's own. */
    @FunctionalInterface
    interface Now {
        Instant now();
    }

    /**
     * One exchange's limit: set, reset from inside a task, ended with the work. Each setting is a
     * generation: an expiry only counts for the generation it was scheduled for, so a reset wins
     * over an expiry that was already running when the reset cancelled it.
     */
    final class Limit {
        private final StopSignal stop;
        private final Now clock;
        private @Nullable ScheduledFuture<?> expiry;
        private @Nullable Instant deadline;
        private long generation;
        private boolean expired;
        private boolean ended;

        private Limit(StopSignal stop, Now clock) {
            this.stop = stop;
            this.clock = clock;
        }

        /** Counts {@code limit} from now; zero removes it. Nothing changes once it has run out or ended. */
        synchronized void set(Duration requested) {
            // Longer than the largest setting is as good as none, and would overflow in nanoseconds
            // (ChronoUnit.FOREVER is a common way to say "no limit").
            Duration limit = requested.compareTo(AfterResponseConfig.MAX_TIME_LIMIT) > 0
                    ? AfterResponseConfig.MAX_TIME_LIMIT : requested;
            if (expired || ended) {
                return;
            }
            generation++;
            if (expiry != null) {
                expiry.cancel(false); // an expiry already under way is stopped by the generation
                expiry = null;
            }
            if (limit.isZero()) {
                deadline = null;
                return;
            }
            deadline = clock.now().plus(limit);
            long scheduled = generation;
            try {
                expiry = timer.schedule(() -> expire(scheduled), limit.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // The filter is being destroyed; shutdown stops the work instead.
            }
        }

        synchronized @Nullable Instant deadline() {
            return deadline;
        }

        /**
         * The work ended: the limit can no longer run out, so a status read after this is final.
         * Called before the outcome is decided.
         */
        synchronized void end() {
            ended = true;
            if (expiry != null) {
                expiry.cancel(false);
            }
        }

        /**
         * Decided and done under the limit's lock, so that a concurrent {@link #set} either comes
         * first (and this expiry no longer counts) or finds the limit run out: never both.
         */
        private synchronized void expire(long scheduled) {
            if (scheduled == generation && !ended && !expired) {
                expired = true;
                stop.timedOut();
            }
        }
    }
}
