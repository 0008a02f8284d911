package io.github.afterresponse.spring.boot.internal;

import io.github.afterresponse.AfterResponseMonitor;
import io.github.afterresponse.Completion;
import io.github.afterresponse.Outcome;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters of every registered After Response filter, each tagged {@code filter=<name>}:
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>what</th></tr>
 *   <tr><td>{@code after.response.exchanges.accepted}</td><td>counter</td><td>requests admitted</td></tr>
 *   <tr><td>{@code after.response.exchanges.rejected}</td><td>counter</td><td>requests refused with 503</td></tr>
 *   <tr><td>{@code after.response.exchanges.completed}, {@code .failed}, {@code .cancelled}, {@code .shut.down}</td>
 *       <td>counter</td><td>exchanges ended with that outcome</td></tr>
 *   <tr><td>{@code after.response.exchanges.aborted}, {@code .timed.out}</td><td>counter</td>
 *       <td>exchanges ended with the client gone / past their time limit, whatever the outcome</td></tr>
 *   <tr><td>{@code after.response.exchanges.running}, {@code .queued}</td><td>gauge</td>
 *       <td>exchanges whose work runs / waits for a slot now</td></tr>
 *   <tr><td>{@code after.response.background}</td><td>timer</td><td>each exchange's background time
 *       (response sent to callbacks), tagged {@code outcome} ({@code completed}, {@code failed},
 *       {@code cancelled}, {@code shut_down}) and {@code status} ({@code normal}, {@code aborted},
 *       {@code timeout}, {@code aborted_timeout}); refused requests are not timed. Only the
 *       auto-configured filter records it.</td></tr>
 * </table>
 *
 * <p>The counters and gauges read the filter's monitor; before the servlet context started the filter
 * they read 0 (gauges NaN), and after its stop the last figures it had.
 */
public final class AfterResponseMetrics implements MeterBinder {

    static final String PREFIX = "after.response.exchanges.";

    static final String BACKGROUND = "after.response.background";

    private final RegisteredFilters filters;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    /** Held here: Micrometer keeps only weak references to the objects its meters read. */
    private final List<Source> sources = new CopyOnWriteArrayList<>();

    public AfterResponseMetrics(RegisteredFilters filters) {
        this.filters = filters;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        registries.add(registry);
        for (RegisteredFilters.Registered registered : filters.all()) {
            Source source = new Source(registered);
            sources.add(source);
            String name = registered.name();
            counter(registry, "accepted", "Requests admitted by the filter", name, source, AfterResponseMonitor::accepted);
            counter(registry, "rejected", "Requests refused with 503 before their controller ran", name, source,
                    AfterResponseMonitor::rejected);
            counter(registry, "completed", "Exchanges whose background work completed", name, source,
                    AfterResponseMonitor::completed);
            counter(registry, "failed", "Exchanges that failed (the controller or a task threw)", name, source,
                    AfterResponseMonitor::failed);
            counter(registry, "cancelled", "Exchanges cancelled: client gone under abort-policy=cancel, or time limit",
                    name, source, AfterResponseMonitor::cancelled);
            counter(registry, "aborted", "Exchanges that ended with the client gone, whatever the outcome", name, source,
                    AfterResponseMonitor::aborted);
            counter(registry, "timed.out", "Exchanges that ended past their time limit, whatever the outcome", name,
                    source, AfterResponseMonitor::timedOut);
            counter(registry, "shut.down", "Exchanges cut short by the application's stop", name, source,
                    AfterResponseMonitor::shutDown);
            gauge(registry, "running", "Exchanges whose background work runs now", name, source,
                    AfterResponseMonitor::running);
            gauge(registry, "queued", "Exchanges whose background work waits for a free slot now", name, source,
                    AfterResponseMonitor::queued);
        }
    }

    /** Times one exchange of the filter {@code filterName}; on the thread that finished it. */
    void record(String filterName, Completion completion) {
        if (completion.outcome() == Outcome.REJECTED) {
            return;
        }
        for (MeterRegistry registry : registries) {
            Timer.builder(BACKGROUND)
                    .description("Background time of each exchange: from its response to its callbacks")
                    .tag("filter", filterName)
                    .tag("outcome", completion.outcome().name().toLowerCase(Locale.ROOT))
                    .tag("status", completion.status().name().toLowerCase(Locale.ROOT))
                    .register(registry)
                    .record(completion.backgroundTime());
        }
    }

    private static void counter(MeterRegistry registry, String name, String description, String filter, Source source,
            ToLongFunction<AfterResponseMonitor> figure) {
        FunctionCounter.builder(PREFIX + name, source, s -> s.read(figure))
                .description(description)
                // No base unit: Prometheus would append it (after_response_exchanges_accepted_exchanges_total).
                .tag("filter", filter)
                .register(registry);
    }

    private static void gauge(MeterRegistry registry, String name, String description, String filter, Source source,
            ToLongFunction<AfterResponseMonitor> figure) {
        ToDoubleFunction<Source> value = s -> s.gauge(figure);
        Gauge.builder(PREFIX + name, source, value)
                .description(description)
                // No base unit: Prometheus would append it (after_response_exchanges_accepted_exchanges_total).
                .tag("filter", filter)
                .register(registry);
    }

    /** The monitor of one filter, remembered once it exists, so that figures survive the filter's stop. */
    private static final class Source {
        private final RegisteredFilters.Registered registered;
        private volatile @Nullable AfterResponseMonitor monitor;
        /**
         * The monitors of the filter's earlier runs (a context stopped and started again starts it
         * anew, with counts from 0): their counts are added, so counters never go back.
         */
        private final List<AfterResponseMonitor> earlier = new CopyOnWriteArrayList<>();

        Source(RegisteredFilters.Registered registered) {
            this.registered = registered;
        }

        private synchronized @Nullable AfterResponseMonitor monitor() {
            AfterResponseMonitor current = registered.monitorOrNull();
            AfterResponseMonitor last = monitor;
            if (current != null && current != last) {
                if (last != null) {
                    earlier.add(last);
                }
                monitor = current;
            }
            return current != null ? current : last;
        }

        double read(ToLongFunction<AfterResponseMonitor> figure) {
            AfterResponseMonitor current = monitor();
            long total = current == null ? 0 : figure.applyAsLong(current);
            for (AfterResponseMonitor run : earlier) {
                total += figure.applyAsLong(run);
            }
            return total;
        }

        /** Gauges are the current run's, or NaN before the filter first started. */
        double gauge(ToLongFunction<AfterResponseMonitor> figure) {
            AfterResponseMonitor current = monitor();
            return current == null ? Double.NaN : figure.applyAsLong(current);
        }
    }
}
