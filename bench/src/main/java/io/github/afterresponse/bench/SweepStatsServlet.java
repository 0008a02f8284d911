package io.github.afterresponse.bench;

import io.github.afterresponse.AfterResponseFilter;
import io.github.afterresponse.AfterResponseMonitor;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * {@code /stats} of the {@link SweepServer}: {@code key=value} lines that {@code background.sh}
 * reads before and after each run.
 *
 * <ul>
 *   <li>{@code path.<name>.*}: work started, run and called back on each path, and the hand-off
 *       (registration to first line of the work) and, with {@code --trace-gaps}, the gap between two
 *       requests on one connection: count, p50, p99, p99.9 and max in microseconds;</li>
 *   <li>{@code filter.<name>.*}: each filter's {@link AfterResponseMonitor} counters and its configuration;</li>
 *   <li>{@code gc.<collector>.count} and {@code .timeMs} per {@link GarbageCollectorMXBean}, and
 *       their sums {@code gc.count} and {@code gc.timeMs} (with G1 on Java 20+ the three beans —
 *       young, old, and "Concurrent GC" for the remark and cleanup pauses — all count pause time);</li>
 *   <li>{@code heap.*}, {@code threads.*} (platform threads only: the JVM does not count virtual
 *       ones), {@code qtp.*} (Jetty's request pool, with the jobs handed to it so far:
 *       {@link CountingThreadPool});</li>
 *   <li>{@code busy}: background work not ended yet, over every path — queued or running in a filter,
 *       or not run yet on the hand-rolled executor; the script waits for 0 between runs.</li>
 * </ul>
 *
 * <p>{@code ?reset=1} first clears every path's histograms and the peak thread count.
 */
final class SweepStatsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient List<SweepServer.Route> routes;
    private final transient CountingThreadPool pool;
    private final transient SweepServer.Options options;

    SweepStatsServlet(List<SweepServer.Route> routes, CountingThreadPool pool, SweepServer.Options options) {
        this.routes = routes;
        this.pool = pool;
        this.options = options;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if ("reset=1".equals(request.getQueryString())) {
            routes.forEach(route -> route.probe().resetHistograms());
            threads.resetPeakThreadCount();
        }
        response.setContentType("text/plain;charset=UTF-8");
        PrintWriter out = response.getWriter();
        out.println("java.version=" + Runtime.version());
        out.println("java.vm=" + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        out.println("cpus=" + Runtime.getRuntime().availableProcessors());
        out.println("options=" + options);
        out.println("sweep.paths=" + String.join(" ", routes.stream().filter(SweepServer.Route::sweep)
                .map(SweepServer.Route::path).toList()));
        long busy = 0;
        for (SweepServer.Route route : routes) {
            Probe probe = route.probe();
            String prefix = "path." + route.name();
            out.println(prefix + ".started=" + probe.started.sum());
            out.println(prefix + ".runs=" + probe.runs.sum());
            out.println(prefix + ".callbacks=" + probe.callbacks.sum());
            histogram(out, prefix + ".handoff", probe.handOff);
            if (route.mode() == SleepServlet.Mode.ASYNC_START) {
                histogram(out, prefix + ".complete", probe.completeCall);
            }
            if (probe.tracesGaps()) {
                histogram(out, prefix + ".gap", probe.gaps);
                histogram(out, prefix + ".afterWork", probe.afterWork);
                out.println(prefix + ".overtook=" + probe.overtook.sum());
                out.println(prefix + ".followed=" + probe.followed.sum());
                out.println(prefix + ".sampled=" + probe.sampled.sum());
                out.println(prefix + ".insideWork=" + probe.insideWork.sum());
                out.println(prefix + ".sameThread=" + probe.sameThread.sum());
            }
            AfterResponseFilter filter = route.filterInstance();
            if (filter != null) {
                AfterResponseMonitor monitor = filter.monitor();
                MonitorLines.write(out, "filter." + route.name(), monitor);
                out.println("filter." + route.name() + ".config=" + filter.config());
                busy += monitor.running() + monitor.queued();
            } else if (route.mode() == SleepServlet.Mode.HANDROLLED || route.mode() == SleepServlet.Mode.ASYNC_START) {
                busy += probe.inFlight();
            } else if (route.mode() == SleepServlet.Mode.ASYNC_START_COMPLETE) {
                // Not in busy: Jetty drops a started runnable whose context was completed first.
                out.println(prefix + ".lost=" + probe.inFlight());
            }
        }
        out.println("busy=" + busy);
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            String key = "gc." + gc.getName().replace(' ', '_');
            out.println(key + ".count=" + gc.getCollectionCount());
            out.println(key + ".timeMs=" + gc.getCollectionTime());
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        out.println("gc.count=" + gcCount);
        out.println("gc.timeMs=" + gcMillis);
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        out.println("heap.usedBytes=" + heap.getUsed());
        out.println("heap.committedBytes=" + heap.getCommitted());
        out.println("heap.maxBytes=" + heap.getMax());
        out.println("threads.live=" + threads.getThreadCount());
        out.println("threads.peak=" + threads.getPeakThreadCount());
        out.println("qtp.threads=" + pool.getThreads());
        out.println("qtp.idle=" + pool.getIdleThreads());
        out.println("qtp.busy=" + pool.getBusyThreads());
        out.println("qtp.queue=" + pool.getQueueSize());
        out.println("qtp.min=" + pool.getMinThreads());
        out.println("qtp.max=" + pool.getMaxThreads());
        out.println("qtp.reservedMax=" + pool.getMaxReservedThreads());
        out.println("qtp.reservedAvailable=" + pool.getAvailableReservedThreads());
        out.println("qtp.executed=" + pool.executed.sum());
        out.println("qtp.reservedExecuted=" + pool.reserved.sum());
    }

    private static void histogram(PrintWriter out, String prefix, Histogram histogram) {
        out.println(prefix + ".count=" + histogram.count());
        out.println(prefix + ".p50us=" + micros(histogram.percentile(50)));
        out.println(prefix + ".p99us=" + micros(histogram.percentile(99)));
        out.println(prefix + ".p999us=" + micros(histogram.percentile(99.9)));
        out.println(prefix + ".maxus=" + micros(histogram.max()));
    }

    private static String micros(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1000.0);
    }
}
