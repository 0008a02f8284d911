package io.github.afterresponse.bench;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.AfterResponseFilter;
import io.github.afterresponse.AfterResponseMonitor;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The scale test's server (bench/scale.sh): how many background tasks one JVM holds at once, and
 * what each in-flight exchange keeps on the heap. Embedded Jetty 12 on 127.0.0.1 with one servlet
 * behind {@link AfterResponseFilter} (keep-alive responses, {@code connection-close=false}):
 *
 * <table>
 *   <caption>Paths</caption>
 *   <tr><th>path</th><th>what</th></tr>
 *   <tr><td>{@code /work}</td><td>answers 3 bytes at once and registers one task, which reads one
 *       value of its request snapshot and then waits on the gate; a completion callback counts it.
 *       With {@code --capture=true} the task also captures the servlet's request and response
 *       objects (it does not use them): what an exchange keeps when a task holds on to them.</td></tr>
 *   <tr><td>{@code /arm}</td><td>closes a new gate: tasks registered from now on wait</td></tr>
 *   <tr><td>{@code /release}</td><td>opens the gate: every waiting task ends</td></tr>
 *   <tr><td>{@code /stats}</td><td>{@code name=value} lines: the filter's monitor, tasks started and
 *       callbacks run, heap used, threads, GC totals; {@code ?gc=true} runs {@code System.gc()}
 *       first, so heap used is what is live</td></tr>
 * </table>
 *
 * <p>The gate starts open, so a warm-up round's tasks end at once. Nothing but the filter and this
 * class touches the heap per request, so a class histogram taken with every task waiting, minus
 * one taken before, divided by the tasks, is what one in-flight exchange keeps.
 */
public final class ScaleServer {

    private final Server server;
    private final FilterHolder filter;
    private final LongAdder runs = new LongAdder();
    private final LongAdder callbacks = new LongAdder();
    /** Tasks wait on the gate that was current when their request came; starts open. */
    private volatile CountDownLatch gate = new CountDownLatch(0);

    private ScaleServer(Options options) {
        server = new Server(new InetSocketAddress("127.0.0.1", options.port()));
        // Idle kept-alive connections stay open across the pauses of the test (histograms, full GCs).
        for (var connector : server.getConnectors()) {
            ((ServerConnector) connector).setIdleTimeout(600_000);
        }
        ServletContextHandler context = new ServletContextHandler();
        filter = new FilterHolder(AfterResponseFilter.class);
        filter.setName("scale");
        filter.setAsyncSupported(true);
        filter.setInitParameters(options.initParameters());
        context.addFilter(filter, "/work", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(holder(new WorkServlet(this, options.capture())), "/work");
        context.addServlet(holder(new ControlServlet(this)), "/arm");
        context.addServlet(holder(new ControlServlet(this)), "/release");
        context.addServlet(holder(new StatsServlet(this)), "/stats");
        server.setHandler(context);
    }

    private static ServletHolder holder(HttpServlet servlet) {
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(true);
        return holder;
    }

    /**
     * Command-line options.
     *
     * @param port port on 127.0.0.1; 0 picks a free one
     * @param initParameters the filter's init-params; {@code connection-close} is always false
     * @param capture whether the task captures the servlet's request and response
     */
    record Options(int port, Map<String, String> initParameters, boolean capture) {

        /**
         * Reads {@code --port=N}, {@code --executor=E}, {@code --max-running=N},
         * {@code --queue-capacity=N}, {@code --init.NAME=VALUE} (any other init-param, such as
         * {@code --init.threads=N}) and {@code --capture=true|false}; checks the init-params as the
         * filter will.
         *
         * @throws IllegalArgumentException naming the bad option or init-param
         */
        static Options parse(String... args) {
            int port = 0;
            boolean capture = false;
            Map<String, String> initParameters = new LinkedHashMap<>();
            for (String arg : args) {
                int equals = arg.indexOf('=');
                String name = equals < 0 ? arg : arg.substring(0, equals);
                String value = equals < 0 ? "" : arg.substring(equals + 1);
                if (name.startsWith("--init.") && name.length() > "--init.".length()) {
                    initParameters.put(name.substring("--init.".length()), value);
                    continue;
                }
                switch (name) {
                    case "--port" -> port = Integer.parseInt(value);
                    case "--executor", "--max-running", "--queue-capacity" -> initParameters.put(name.substring(2), value);
                    case "--capture" -> {
                        if (!value.equals("true") && !value.equals("false")) {
                            throw new IllegalArgumentException("--capture must be true or false, but was '" + value + "'");
                        }
                        capture = Boolean.parseBoolean(value);
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + arg + "'; the options are "
                            + "--port=N, --executor=E, --max-running=N, --queue-capacity=N, --init.NAME=VALUE, "
                            + "--capture=true|false");
                }
            }
            initParameters.put("connection-close", "false");
            AfterResponseConfig.fromInitParameters(initParameters); // throws naming the init-param
            return new Options(port, Map.copyOf(initParameters), capture);
        }
    }

    AfterResponseMonitor monitor() {
        return ((AfterResponseFilter) filter.getFilter()).monitor();
    }

    int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** The servlet of {@code /work}: 3 bytes now, one waiting task afterwards. */
    private static final class WorkServlet extends HttpServlet {

        private static final byte[] BODY = "ok\n".getBytes(StandardCharsets.US_ASCII);

        private final transient ScaleServer scale;
        private final boolean capture;

        WorkServlet(ScaleServer scale, boolean capture) {
            this.scale = scale;
            this.capture = capture;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getOutputStream().write(BODY);
            // Each task captures only what it needs: the gate and two counters (shared by all).
            CountDownLatch waitFor = scale.gate;
            LongAdder started = scale.runs;
            AfterResponse exchange = AfterResponse.of(req);
            if (capture) {
                // A task that holds on to the guarded request and response, as careless code does;
                // it never uses them (comparing references calls nothing on them).
                exchange.then(task -> {
                    started.increment();
                    String method = task.request().method();
                    waitFor.await();
                    if (method.isEmpty() || req == (Object) resp) {
                        throw new IllegalStateException("unreachable");
                    }
                });
            } else {
                exchange.then(task -> {
                    started.increment();
                    String method = task.request().method();
                    waitFor.await();
                    if (method.isEmpty()) {
                        throw new IllegalStateException("unreachable");
                    }
                });
            }
            LongAdder ended = scale.callbacks;
            exchange.onComplete(done -> ended.increment());
        }
    }

    /** {@code /arm} closes a new gate, {@code /release} opens the current one. */
    private static final class ControlServlet extends HttpServlet {

        private final transient ScaleServer scale;

        ControlServlet(ScaleServer scale) {
            this.scale = scale;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            if (req.getServletPath().equals("/arm")) {
                scale.gate = new CountDownLatch(1);
            } else {
                scale.gate.countDown();
            }
            resp.setContentType("text/plain");
            resp.getWriter().println("ok");
        }
    }

    /** {@code name=value} lines; {@code ?gc=true} collects first. */
    private static final class StatsServlet extends HttpServlet {

        private final transient ScaleServer scale;

        StatsServlet(ScaleServer scale) {
            this.scale = scale;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            if ("true".equals(req.getParameter("gc"))) {
                System.gc();
            }
            resp.setContentType("text/plain;charset=UTF-8");
            PrintWriter out = resp.getWriter();
            AfterResponseMonitor monitor = scale.monitor();
            out.println("accepted=" + monitor.accepted());
            out.println("rejected=" + monitor.rejected());
            out.println("completed=" + monitor.completed());
            out.println("failed=" + monitor.failed());
            out.println("cancelled=" + monitor.cancelled());
            out.println("shutDown=" + monitor.shutDown());
            out.println("running=" + monitor.running());
            out.println("queued=" + monitor.queued());
            out.println("runs=" + scale.runs.sum());
            out.println("callbacks=" + scale.callbacks.sum());
            out.println("heapUsed=" + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            out.println("heapMax=" + Runtime.getRuntime().maxMemory());
            // Platform threads only: virtual threads are not counted by the ThreadMXBean.
            out.println("threads=" + ManagementFactory.getThreadMXBean().getThreadCount());
            long gcCount = 0;
            long gcMillis = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                gcCount += Math.max(0, gc.getCollectionCount());
                gcMillis += Math.max(0, gc.getCollectionTime());
            }
            out.println("gcCount=" + gcCount);
            out.println("gcMillis=" + gcMillis);
            out.println("pid=" + ProcessHandle.current().pid());
            out.println("java=" + Runtime.version());
            out.println("config=" + ((AfterResponseFilter) scale.filter.getFilter()).config());
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("scale server: " + e.getMessage());
            System.exit(2);
            return;
        }
        ScaleServer scale = new ScaleServer(options);
        scale.server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            scale.gate.countDown(); // let waiting tasks end rather than be cut short
            try {
                scale.server.stop();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "scale-server-shutdown"));
        System.out.println("ScaleServer listening on http://127.0.0.1:" + scale.port() + "/ (pid "
                + ProcessHandle.current().pid() + ", Java " + Runtime.version() + ") with filter init-params "
                + options.initParameters() + ", capture=" + options.capture());
        System.out.flush();
        scale.server.join();
    }
}
