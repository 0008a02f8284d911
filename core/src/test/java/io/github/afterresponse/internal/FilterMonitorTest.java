package io.github.afterresponse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.Completion;
import io.github.afterresponse.TaskInfo;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the monitor lists: the running exchanges, oldest first, then the queued ones in the order
 * they will run, at most as many as asked for. Slots go in the order responses were sent, not in
 * the order requests were accepted (a slow servlet accepted first responds last).
 */
class FilterMonitorTest {

    private final List<Completion> completions = new CopyOnWriteArrayList<>();
    private WorkScheduler scheduler;

    @AfterEach
    void stopTimer() {
        if (scheduler != null) {
            scheduler.timeLimits().shutdown();
        }
    }

    private BackgroundJob job(String id, Instant acceptedAt) {
        Exchange exchange = new Exchange(id, Clock.fixed(acceptedAt, ZoneOffset.UTC), completions::add);
        exchange.enterForeground();
        exchange.then(task -> { });
        return new BackgroundJob(exchange, exchange.responded(null), null, null, StandardCharsets.UTF_8, scheduler);
    }

    @Test
    void runningExchangesComeOldestFirstWhateverTheOrderOfTheirSlots() {
        scheduler = new WorkScheduler(2, 2, new RecordingExecutor(), new TimeLimits("test"));
        FilterMonitor monitor = new FilterMonitor("test", scheduler);
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        BackgroundJob slowServlet = job("accepted-first", t0);
        BackgroundJob quickServlet = job("accepted-second", t0.plusSeconds(5));
        scheduler.submit(quickServlet); // responded first, gets the first slot
        scheduler.submit(slowServlet);  // responded later, second slot
        assertThat(scheduler.running()).isEqualTo(2);

        assertThat(monitor.tasks(1)).extracting(TaskInfo::exchangeId).containsExactly("accepted-first");
        assertThat(monitor.tasks()).extracting(TaskInfo::exchangeId)
                .containsExactly("accepted-first", "accepted-second");
    }

    @Test
    void queuedExchangesFollowInTheOrderTheyWillRun() {
        scheduler = new WorkScheduler(1, 3, new RecordingExecutor(), new TimeLimits("test"));
        FilterMonitor monitor = new FilterMonitor("test", scheduler);
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        scheduler.submit(job("running", t0.plusSeconds(5)));
        scheduler.submit(job("queued-first", t0.plusSeconds(9)));
        scheduler.submit(job("queued-second", t0.plusSeconds(2))); // accepted earlier, responded later

        assertThat(monitor.tasks(1)).extracting(TaskInfo::exchangeId).containsExactly("running");
        assertThat(monitor.tasks(3)).extracting(TaskInfo::exchangeId)
                .containsExactly("running", "queued-first", "queued-second");
        assertThat(monitor.tasks(3)).extracting(TaskInfo::isQueued).containsExactly(false, true, true);
    }

    @Test
    void exchangesAcceptedAtTheSameInstantKeepTheOrderOfTheirSlots() {
        scheduler = new WorkScheduler(6, 0, new RecordingExecutor(), new TimeLimits("test"));
        FilterMonitor monitor = new FilterMonitor("test", scheduler);
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 6; i++) {
            scheduler.submit(job("tied-" + i, t0));
        }
        assertThat(monitor.tasks(1)).extracting(TaskInfo::exchangeId).containsExactly("tied-0");
        assertThat(monitor.tasks(3)).extracting(TaskInfo::exchangeId).containsExactly("tied-0", "tied-1", "tied-2");
        assertThat(monitor.tasks(0)).isEmpty();
    }
}
