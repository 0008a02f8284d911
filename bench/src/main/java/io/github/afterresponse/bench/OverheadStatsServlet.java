package io.github.afterresponse.bench;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.List;

/**
 * {@code /stats} of {@link OverheadServer}: {@code key=value} lines with the container, each filter's
 * monitor counters and its servlet's task and callback counts ({@code task.accepted=...}), the
 * garbage collectors' totals since start and the heap in use.
 *
 * <p>{@code gc.pauseMs} sums the collection time of every {@link GarbageCollectorMXBean} but those
 * that time concurrent cycles ({@code ZGC Cycles}, {@code Shenandoah Cycles}): for G1 and Parallel
 * all beans count pauses (G1's {@code G1 Concurrent GC} counts its Remark and Cleanup pauses).
 */
final class OverheadStatsServlet extends HttpServlet {

    // Set before the container starts (paths) and once it has (its version, known only then).
    private transient volatile List<FilteredPath> paths = List.of();
    private volatile String container = "?";

    /** The filtered paths to report. */
    void report(List<FilteredPath> filteredPaths) {
        this.paths = List.copyOf(filteredPaths);
    }

    /** The container's name and version. */
    void container(String nameAndVersion) {
        this.container = nameAndVersion;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        PrintWriter out = response.getWriter();
        MonitorLines.line(out, "container=" + container);
        MonitorLines.line(out, "java=" + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        for (FilteredPath path : paths) {
            MonitorLines.write(out, path.name(), path.filter().monitor());
            MonitorLines.line(out, path.name() + ".runs=" + path.runs().sum());
            MonitorLines.line(out, path.name() + ".callbacks=" + path.callbacks().sum());
            MonitorLines.line(out, path.name() + ".config=" + path.filter().config());
        }
        long collections = 0;
        long pauseMs = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            String key = "gc." + gc.getName().replace(' ', '_');
            MonitorLines.line(out, key + ".collections=" + Math.max(0, gc.getCollectionCount()));
            MonitorLines.line(out, key + ".timeMs=" + Math.max(0, gc.getCollectionTime()));
            if (!gc.getName().endsWith("Cycles")) {
                collections += Math.max(0, gc.getCollectionCount());
                pauseMs += Math.max(0, gc.getCollectionTime());
            }
        }
        MonitorLines.line(out, "gc.collections=" + collections);
        MonitorLines.line(out, "gc.pauseMs=" + pauseMs);
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MonitorLines.line(out, "heap.usedBytes=" + heap.getUsed());
        MonitorLines.line(out, "heap.committedBytes=" + heap.getCommitted());
        MonitorLines.line(out, "heap.maxBytes=" + heap.getMax());
    }
}
