package io.github.afterresponse.bench;

import io.github.afterresponse.AfterResponseMonitor;
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
        line(out, "container=" + container);
        line(out, "java=" + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        for (FilteredPath path : paths) {
            monitor(out, path.name(), path.filter().monitor());
            line(out, path.name() + ".runs=" + path.runs().sum());
            line(out, path.name() + ".callbacks=" + path.callbacks().sum());
            line(out, path.name() + ".config=" + path.filter().config());
        }
        long collections = 0;
        long pauseMs = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            String key = "gc." + gc.getName().replace(' ', '_');
            line(out, key + ".collections=" + Math.max(0, gc.getCollectionCount()));
            line(out, key + ".timeMs=" + Math.max(0, gc.getCollectionTime()));
            if (!gc.getName().endsWith("Cycles")) {
                collections += Math.max(0, gc.getCollectionCount());
                pauseMs += Math.max(0, gc.getCollectionTime());
            }
        }
        line(out, "gc.collections=" + collections);
        line(out, "gc.pauseMs=" + pauseMs);
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        line(out, "heap.usedBytes=" + heap.getUsed());
        line(out, "heap.committedBytes=" + heap.getCommitted());
        line(out, "heap.maxBytes=" + heap.getMax());
    }

    /** One line ending in LF: Undertow's writer ends {@code println} with CRLF. */
    private static void line(PrintWriter out, String text) {
        out.print(text);
        out.print('\n');
    }

    private static void monitor(PrintWriter out, String prefix, AfterResponseMonitor monitor) {
        line(out, prefix + ".accepted=" + monitor.accepted());
        line(out, prefix + ".rejected=" + monitor.rejected());
        line(out, prefix + ".completed=" + monitor.completed());
        line(out, prefix + ".failed=" + monitor.failed());
        line(out, prefix + ".cancelled=" + monitor.cancelled());
        line(out, prefix + ".aborted=" + monitor.aborted());
        line(out, prefix + ".timedOut=" + monitor.timedOut());
        line(out, prefix + ".shutDown=" + monitor.shutDown());
        line(out, prefix + ".running=" + monitor.running());
        line(out, prefix + ".queued=" + monitor.queued());
    }
}
