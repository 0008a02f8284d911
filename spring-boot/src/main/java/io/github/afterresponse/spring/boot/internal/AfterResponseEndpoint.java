package io.github.afterresponse.spring.boot.internal;

import io.github.afterresponse.AfterResponseMonitor;
import io.github.afterresponse.TaskInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The Actuator endpoint {@code afterresponse} ({@code /actuator/afterresponse} once exposed): per
 * registered filter, its counters and its running exchanges (oldest first), then the queued ones
 * in the order they will run, at most {@code after-response.endpoint.max-tasks} in all; {@code total}
 * and {@code omitted} say how many there are and how many were left out. A filter that has not
 * started yet, or has stopped, reports {@code started: false} and no figures.
 */
@Endpoint(id = "afterresponse")
public class AfterResponseEndpoint {

    private final RegisteredFilters filters;
    private final int maxTasks;

    public AfterResponseEndpoint(RegisteredFilters filters, int maxTasks) {
        this.filters = filters;
        this.maxTasks = maxTasks;
    }

    /** The report; read on the request thread of the Actuator request. */
    @ReadOperation
    public Report report() {
        Map<String, FilterReport> reports = new LinkedHashMap<>();
        for (RegisteredFilters.Registered registered : filters.all()) {
            AfterResponseMonitor monitor = registered.monitorOrNull();
            reports.put(registered.name(), monitor == null ? FilterReport.stopped(maxTasks) : FilterReport.of(monitor, maxTasks));
        }
        return new Report(reports);
    }

    /** Every filter's report, by filter name. */
    public record Report(Map<String, FilterReport> filters) {}

    /** One filter's figures; {@code total} = running + queued, {@code omitted} = total − tasks listed. */
    public record FilterReport(boolean started, long accepted, long rejected, long completed, long failed,
            long cancelled, long aborted, long timedOut, long shutDown, int running, int queued, int total,
            int maxTasks, int omitted, List<TaskReport> tasks) {

        static FilterReport stopped(int maxTasks) {
            return new FilterReport(false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, maxTasks, 0, List.of());
        }

        static FilterReport of(AfterResponseMonitor monitor, int maxTasks) {
            int running = monitor.running();
            int queued = monitor.queued();
            List<TaskReport> tasks = monitor.tasks(maxTasks).stream().map(TaskReport::of).toList();
            int total = running + queued;
            return new FilterReport(true, monitor.accepted(), monitor.rejected(), monitor.completed(), monitor.failed(),
                    monitor.cancelled(), monitor.aborted(), monitor.timedOut(), monitor.shutDown(), running, queued,
                    total, maxTasks, Math.max(0, total - tasks.size()), tasks);
        }
    }

    /**
     * One exchange: its id, state, whether it is queued, method and URI (no query), age in
     * milliseconds since it was accepted, progress ({@code done} of {@code total}, -1 if unknown) and
     * connection status (PHP's 0–3 and its name).
     */
    public record TaskReport(String id, String state, boolean queued, String method, String uri, long ageMillis,
            long done, long total, int status, String statusName) {

        static TaskReport of(TaskInfo info) {
            return new TaskReport(info.exchangeId(), info.state().name(), info.isQueued(), info.method(),
                    info.requestUri(), info.age().toMillis(), info.done(), info.total(), info.status().value(),
                    info.status().name().toLowerCase(Locale.ROOT));
        }
    }
}
