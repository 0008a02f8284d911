package io.github.afterresponse.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/** Builds exchanges with one task for scheduler and executor tests. */
final class ExchangeTestSupport {

    private ExchangeTestSupport() {}

    /** An exchange with one task that does nothing, responded and submitted to the scheduler. */
    static Exchange submitOne(WorkScheduler scheduler) {
        return submitOne(scheduler, () -> { });
    }

    /** Work for a job's task, which may wait. */
    interface Work {
        void run() throws Exception;
    }

    /** Submits one exchange whose task does {@code work}. */
    static Exchange submitOne(WorkScheduler scheduler, Work work) {
        Exchange exchange = new Exchange("s-1", Clock.systemUTC(), c -> { });
        exchange.enterForeground();
        exchange.then(task -> work.run());
        List<io.github.afterresponse.Task> tasks = exchange.responded(null);
        scheduler.submit(new BackgroundJob(exchange, tasks, null, null, StandardCharsets.UTF_8, scheduler));
        return exchange;
    }
}
