package io.github.afterresponse.internal;

import io.github.afterresponse.AfterResponseConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The time limits of one filter's background work ({@code set_time_limit}): one daemon timer thread
 * that, when a limit runs out, marks the exchange timed out and interrupts its worker. The
 * container's own async timeout is no use here: it answers 500 and never interrupts (DESIGN fact 6).
 */
final class TimeLimits {

    private final ScheduledThreadPoolExecutor timer;

    TimeLimits(String filterName) {
        timer = new ScheduledThreadPoolExecutor(1, work -> {
            Thread thread = new Thread(work, "after-response-" + filterName + "-timer");
            thread.setDaemon(true);
            thread.setContextClassLoader(null); // it runs only toolkit code; no web-app loader kept alive
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Starts the clock of one exchange's background work with the exchange's own limit. */
    Limit start(Exchange exchange) {
        Limit limit = new Limit(exchange);
        limit.set(exchange.timeLimit());
        return limit;
    }

    void shutdown() {
        timer.shutdownNow();
    }

    /** One exchange's limit: set, reset from inside a task, ended with the work. */
    final class Limit {
        private final Exchange exchange;
        private @Nullable ScheduledFuture<?> expiry;
        private @Nullable Instant deadline;
        private boolean expired;
        private boolean ended;

        private Limit(Exchange exchange) {
            this.exchange = exchange;
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
            if (expiry != null) {
                expiry.cancel(false);
                expiry = null;
            }
            if (limit.isZero()) {
                deadline = null;
                return;
            }
            deadline = exchange.now().plus(limit);
            try {
                expiry = timer.schedule(this::expire, limit.toNanos(), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
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

        private synchronized void expire() {
            if (!ended && !expired) {
                expired = true;
                exchange.timedOut();
            }
        }
    }
}
