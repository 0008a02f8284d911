package io.github.afterresponse.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/** Builds exchanges with one task for scheduler and executor tests. */
final class ExchangeTestSupport {

    private ExchangeTestSupport() {}

    /** An exchange with one task that does nothing, responded and submitted to the scheduler. */
    static Exchange submitOne(WorkScheduler scheduler) {
        Exchange exchange = new Exchange("s-1", Clock.systemUTC(), c -> { });
        exchange.enterForeground();
        exchange.then(task -> { });
        List<io.github.afterresponse.Task> tasks = exchange.responded(null);
        scheduler.submit(new BackgroundJob(exchange, tasks, null, null, StandardCharsets.UTF_8, scheduler, null));
        return exchange;
    }
}
