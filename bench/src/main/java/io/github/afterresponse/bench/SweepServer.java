package io.github.afterresponse.bench;

import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.AfterResponseFilter;
import io.github.afterresponse.ExecutorChoice;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The server {@code bench/background.sh} loads: embedded Jetty 12 (ee10) on 127.0.0.1 where each
 * path does W milliseconds of work (a sleep; W is the query parameter {@code w}, so one server serves
 * every W and the paths compare within one JVM) in a different way.
 *
 * <table>
 *   <caption>sweep paths</caption>
 *   <tr><th>path</th><th>what</th></tr>
 *   <tr><td>{@code /sync}</td><td>the servlet sleeps W in the request, then answers</td></tr>
 *   <tr><td>{@code /handrolled}</td><td>the servlet answers and hands the sleep to its own
 *       {@code Executors.newVirtualThreadPerTaskExecutor()}: no toolkit</td></tr>
 *   <tr><td>{@code /container}</td><td>behind {@link AfterResponseFilter} with {@code executor=container}
 *       (the default, {@code max-running} 8), {@code connection-close=false}: the servlet answers and
 *       registers the sleep as a task</td></tr>
 *   <tr><td>{@code /platform}</td><td>as {@code /container} with {@code executor=platform} (its
 *       defaults); only when the core knows that executor</td></tr>
 *   <tr><td>{@code /virtual}</td><td>as {@code /container} with {@code executor=virtual} (its
 *       defaults) — or, with a core that does not know it yet, {@code executor=dedicated},
 *       {@code max-running=10000}, which on Java 21+ is virtual threads too</td></tr>
 *   <tr><td>{@code /virtual-close}</td><td>as {@code /virtual} with {@code connection-close=true}
 *       (the default): a new TCP connection per request</td></tr>
 *   <tr><td>{@code /plain-close}</td><td>no filter, no work, {@code Connection: close}: the control
 *       for {@code /virtual-close}</td></tr>
 * </table>
 *
 * <p>Paths for explaining the container executor's tail latency, not in the sweep by default (all
 * with {@code connection-close=false} and {@code max-running=8}, like {@code /container}):
 * {@code /qtp} hands the tasks to Jetty's own request pool as a given executor
 * ({@code ExecutorChoice.of(server.getThreadPool())}), so the same threads run them but without
 * {@code AsyncContext.start}; {@code /fixed8} hands them to a fixed pool of 8 platform threads,
 * which is what {@code executor=dedicated} was on Java 17 in {@code docs/benchmarks.md}. Without the
 * filter: {@code /asyncstart} does what the container executor does by hand ({@code startAsync},
 * {@code AsyncContext.start}, and {@code complete()} when the started runnable begins), and
 * {@code /asyncstart-complete} calls {@code complete()} right after {@code AsyncContext.start}
 * instead, on the request thread.
 *
 * <p>{@code /stats} ({@link SweepStatsServlet}) reports each path's counters, each filter's
 * monitor, GC, heap, threads and Jetty's pool; {@code /stats?reset=1} clears the histograms.
 * Each filtered path has its own filter instance, so its monitor counts only its own requests.
 */
public final class SweepServer {

    /**
     * Whether the core knows {@code executor=virtual} and {@code executor=platform} (lead's change
     * for issue 10). Detected, so that the server switches by itself once the core has them; with an
     * older core {@code /virtual} falls back to {@code dedicated} and {@code /platform} is left out.
     */
    static final boolean CORE_HAS_VIRTUAL_AND_PLATFORM = coreAccepts("platform") && coreAccepts("virtual");

    /** The filter init-params of {@code /virtual} and {@code /virtual-close} (besides connection-close). */
    static Map<String, String> virtualParams(boolean legacy) {
        return legacy ? Map.of("executor", "dedicated", "max-running", "10000") : Map.of("executor", "virtual");
    }

    private final Server server;
    private final List<Route> routes;
    private final List<ExecutorService> owned;

    private SweepServer(Server server, List<Route> routes, List<ExecutorService> owned) {
        this.server = server;
        this.routes = routes;
        this.owned = owned;
    }

    /**
     * One path: its servlet's mode, what it counted, and its filter (null for the paths without one).
     *
     * @param sweep whether {@code background.sh} measures it by default
     */
    record Route(String path, SleepServlet.Mode mode, Probe probe, FilterHolder filter, boolean sweep) {

        String name() {
            return path.substring(1);
        }

        AfterResponseFilter filterInstance() {
            return filter == null ? null : (AfterResponseFilter) filter.getFilter();
        }
    }

    /**
     * Command-line options.
     *
     * @param port port on 127.0.0.1; 0 picks a free one
     * @param qtpMin Jetty's request pool: minimum threads (Jetty's default 8)
     * @param qtpMax maximum threads (Jetty's default 200)
     * @param qtpReserved reserved threads (Jetty's default -1: a heuristic from the CPU count)
     * @param traceGaps record the gap between two requests on one connection (costs a map update per request)
     * @param legacy use the fallback settings of {@code /virtual} even if the core knows {@code executor=virtual}
     */
    record Options(int port, int qtpMin, int qtpMax, int qtpReserved, boolean traceGaps, boolean legacy) {

        static final String USAGE = "options: --port=N --qtp-min=N --qtp-max=N --qtp-reserved=N --trace-gaps --legacy-executors";

        /** @throws IllegalArgumentException naming the bad option */
        static Options parse(String... args) {
            int port = 8080;
            int qtpMin = 8;
            int qtpMax = 200;
            int qtpReserved = -1;
            boolean traceGaps = false;
            boolean legacy = !CORE_HAS_VIRTUAL_AND_PLATFORM;
            for (String arg : args) {
                int equals = arg.indexOf('=');
                String name = equals < 0 ? arg : arg.substring(0, equals);
                String value = equals < 0 ? "" : arg.substring(equals + 1);
                switch (name) {
                    case "--port" -> port = number(name, value, 0, 65535);
                    case "--qtp-min" -> qtpMin = number(name, value, 1, 100_000);
                    case "--qtp-max" -> qtpMax = number(name, value, 1, 100_000);
                    case "--qtp-reserved" -> qtpReserved = number(name, value, -1, 100_000);
                    case "--trace-gaps" -> traceGaps = true;
                    case "--legacy-executors" -> legacy = true;
                    default -> throw new IllegalArgumentException("unknown option '" + arg + "'; " + USAGE);
                }
            }
            if (qtpMin > qtpMax) {
                throw new IllegalArgumentException("--qtp-min (" + qtpMin + ") must not exceed --qtp-max (" + qtpMax + ")");
            }
            return new Options(port, qtpMin, qtpMax, qtpReserved, traceGaps, legacy);
        }

        private static int number(String name, String value, int min, int max) {
            try {
                int n = Integer.parseInt(value);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", but was '" + value + "'");
        }
    }

    /** Starts the server. */
    public static SweepServer start(Options options) throws Exception {
        CountingThreadPool pool = new CountingThreadPool(options.qtpMax(), options.qtpMin());
        pool.setReservedThreads(options.qtpReserved());
        Server server = new Server(pool);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(options.port());
        server.addConnector(connector);

        List<ExecutorService> owned = new ArrayList<>();
        ExecutorService handRolled = VirtualThreads.newPerTaskExecutor();
        owned.add(handRolled);
        ExecutorService fixed8 = Executors.newFixedThreadPool(8);
        owned.add(fixed8);

        boolean trace = options.traceGaps();
        List<Route> routes = new ArrayList<>();
        routes.add(route("/sync", SleepServlet.Mode.SYNC, trace, null, true));
        routes.add(route("/handrolled", SleepServlet.Mode.HANDROLLED, trace, null, true));
        routes.add(route("/container", SleepServlet.Mode.TASK, trace,
                filter(keepAlive(Map.of("executor", "container"))), true));
        if (!options.legacy()) {
            routes.add(route("/platform", SleepServlet.Mode.TASK, trace,
                    filter(keepAlive(Map.of("executor", "platform"))), true));
        }
        routes.add(route("/virtual", SleepServlet.Mode.TASK, trace, filter(keepAlive(virtualParams(options.legacy()))), true));
        routes.add(route("/virtual-close", SleepServlet.Mode.TASK, trace, filter(virtualParams(options.legacy())), true));
        routes.add(route("/plain-close", SleepServlet.Mode.CLOSE, trace, null, true));
        // Investigation of the container executor's keep-alive p99 (not swept by default).
        routes.add(route("/qtp", SleepServlet.Mode.TASK, trace, given(pool), false));
        routes.add(route("/fixed8", SleepServlet.Mode.TASK, trace, given(fixed8), false));
        routes.add(route("/asyncstart", SleepServlet.Mode.ASYNC_START, trace, null, false));
        routes.add(route("/asyncstart-complete", SleepServlet.Mode.ASYNC_START_COMPLETE, trace, null, false));

        ServletContextHandler context = new ServletContextHandler();
        for (Route route : routes) {
            if (route.filter() != null) {
                route.filter().setName(route.name());
                context.addFilter(route.filter(), route.path(), EnumSet.of(DispatcherType.REQUEST));
            }
            context.addServlet(servlet(new SleepServlet(route.mode(), route.probe(), handRolled)), route.path());
        }
        context.addServlet(servlet(new SweepStatsServlet(routes, pool, options)), "/stats");
        server.setHandler(context);
        server.start();
        return new SweepServer(server, List.copyOf(routes), List.copyOf(owned));
    }

    private static Route route(String path, SleepServlet.Mode mode, boolean trace, FilterHolder filter, boolean sweep) {
        return new Route(path, mode, new Probe(path.substring(1), trace), filter, sweep);
    }

    private static Map<String, String> keepAlive(Map<String, String> initParameters) {
        Map<String, String> copy = new LinkedHashMap<>(initParameters);
        copy.put("connection-close", "false");
        return copy;
    }

    /** A filter configured from init-params, as in a {@code web.xml}. */
    private static FilterHolder filter(Map<String, String> initParameters) {
        FilterHolder filter = new FilterHolder(AfterResponseFilter.class);
        filter.setAsyncSupported(true);
        filter.setInitParameters(initParameters);
        return filter;
    }

    /** A filter on an executor of ours (programmatic only): keep-alive, at most 8 running, as {@code /container}. */
    private static FilterHolder given(java.util.concurrent.Executor executor) {
        AfterResponseConfig config = AfterResponseConfig.builder()
                .executor(ExecutorChoice.of(executor))
                .maxRunning(AfterResponseConfig.DEFAULT_MAX_RUNNING)
                .connectionClose(false)
                .build();
        FilterHolder filter = new FilterHolder(new AfterResponseFilter(config));
        filter.setAsyncSupported(true);
        return filter;
    }

    private static ServletHolder servlet(HttpServlet servlet) {
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(true);
        return holder;
    }

    private static boolean coreAccepts(String executor) {
        try {
            AfterResponseConfig.fromInitParameters(Map.of("executor", executor));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The port it listens on. */
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** The paths {@code background.sh} measures by default, in order. */
    List<String> sweepPaths() {
        return routes.stream().filter(Route::sweep).map(Route::path).toList();
    }

    List<String> otherPaths() {
        return routes.stream().filter(route -> !route.sweep()).map(Route::path).toList();
    }

    /** Stops Jetty (the filters end their exchanges), then the executors the server owns. */
    public void stop() throws Exception {
        try {
            server.stop();
        } finally {
            for (ExecutorService executor : owned) {
                executor.shutdownNow();
                executor.awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("sweep server: " + e.getMessage());
            System.exit(2);
            return;
        }
        SweepServer sweep = start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                sweep.stop();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "sweep-server-shutdown"));
        System.out.println("SweepServer listening on http://127.0.0.1:" + sweep.port() + "/ (Java "
                + Runtime.version() + ", " + options + ")");
        System.out.println("sweep paths: " + String.join(" ", sweep.sweepPaths()));
        System.out.println("other paths: " + String.join(" ", sweep.otherPaths()) + " /stats");
        System.out.flush();
        sweep.server.join();
    }
}
