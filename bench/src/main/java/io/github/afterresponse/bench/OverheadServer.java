package io.github.afterresponse.bench;

import io.github.afterresponse.AfterResponseConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The server {@code bench/overhead.sh} loads: ONE servlet container of the three (embedded Jetty 12
 * ee10, Tomcat 11, Undertow 2.3) on 127.0.0.1, with the same 200-byte servlet ({@link BodyServlet})
 * mapped several ways, so that wrk can compare them on that container within one run.
 *
 * <table>
 *   <caption>paths</caption>
 *   <tr><th>path</th><th>what</th></tr>
 *   <tr><td>{@code /plain}</td><td>the servlet alone</td></tr>
 *   <tr><td>{@code /plain-close}</td><td>the servlet alone, setting {@code Connection: close}: a new
 *       TCP connection per request without the filter, the control for {@code /filtered-close} and
 *       {@code /task}</td></tr>
 *   <tr><td>{@code /filtered}</td><td>behind filter {@code filtered}; no task</td></tr>
 *   <tr><td>{@code /filtered-close}</td><td>the servlet of {@code /plain-close} (setting
 *       {@code Connection: close}) behind filter {@code filtered-close}; no task: the filter's cost
 *       when every request comes on a new connection</td></tr>
 *   <tr><td>{@code /task}</td><td>behind filter {@code task}: a task and an {@code onComplete}
 *       callback that each increment a counter; the filter's default {@code connection-close=true}</td></tr>
 *   <tr><td>{@code /task-keepalive}</td><td>as {@code /task}, behind filter {@code task-keepalive}
 *       with {@code connection-close=false}</td></tr>
 *   <tr><td>{@code /stats}</td><td>{@link OverheadStatsServlet}: counters, GC totals, heap</td></tr>
 * </table>
 *
 * <p>Usage: {@code java -cp after-response-bench.jar io.github.afterresponse.bench.OverheadServer
 * --container=jetty|tomcat|undertow [--INIT-PARAM=VALUE...]}: every other {@code --name=value}
 * becomes an init-param of all four filters ({@code --executor=dedicated}, {@code --max-running=1000}),
 * checked as the filter checks it. It listens on a free port and prints it on one line,
 * {@code OverheadServer listening on http://127.0.0.1:PORT/ ...}. It stops on SIGTERM.
 */
public final class OverheadServer {

    /** The containers' loggers (JUL: Tomcat's JULI; Undertow and XNIO through JBoss Logging) down to WARNING. */
    private static final List<Logger> QUIET = List.of(
            Logger.getLogger("org.apache.catalina"),
            Logger.getLogger("org.apache.coyote"),
            Logger.getLogger("org.apache.tomcat"),
            Logger.getLogger("io.undertow"),
            Logger.getLogger("org.xnio"),
            Logger.getLogger("org.jboss"));

    private OverheadServer() {
    }

    /**
     * Command-line options.
     *
     * @param container the container to start
     * @param initParameters the filters' init-params
     */
    record Options(ServletContainerKind container, Map<String, String> initParameters) {

        /** @throws IllegalArgumentException naming the bad option and its value */
        static Options parse(String... args) {
            ServletContainerKind container = null;
            Map<String, String> initParameters = new LinkedHashMap<>();
            for (String arg : args) {
                int equals = arg.indexOf('=');
                if (!arg.startsWith("--") || equals < 3) {
                    throw new IllegalArgumentException("options are --container=jetty|tomcat|undertow and "
                            + "--INIT-PARAM=VALUE, but got '" + arg + "'");
                }
                String name = arg.substring(2, equals);
                String value = arg.substring(equals + 1);
                switch (name) {
                    case "container" -> container = ServletContainerKind.fromOption(value);
                    case "connection-close" -> throw new IllegalArgumentException(
                            "--connection-close is fixed per path (/task: true, /task-keepalive: false)");
                    default -> initParameters.put(name, value);
                }
            }
            if (container == null) {
                throw new IllegalArgumentException("--container=jetty|tomcat|undertow is required");
            }
            AfterResponseConfig.fromInitParameters(initParameters); // throws naming the init-param
            return new Options(container, Map.copyOf(initParameters));
        }
    }

    /** The routes, each filtered path with a filter instance of its own, and {@code /stats}. */
    static List<Route> routes(OverheadStatsServlet stats, Map<String, String> initParameters) {
        FilteredPath filtered = new FilteredPath("filtered", initParameters);
        FilteredPath filteredClose = new FilteredPath("filtered-close", initParameters);
        FilteredPath task = new FilteredPath("task", initParameters);
        Map<String, String> keepAlive = new LinkedHashMap<>(initParameters);
        keepAlive.put("connection-close", "false");
        FilteredPath taskKeepAlive = new FilteredPath("task-keepalive", keepAlive);
        List<Route> routes = new ArrayList<>();
        routes.add(Route.plain("/plain", BodyServlet.plain()));
        routes.add(Route.plain("/plain-close", BodyServlet.close()));
        routes.add(filtered.route(BodyServlet.plain()));
        routes.add(filteredClose.route(BodyServlet.close()));
        routes.add(task.route(BodyServlet.task(task)));
        routes.add(taskKeepAlive.route(BodyServlet.task(taskKeepAlive)));
        stats.report(List.of(filtered, filteredClose, task, taskKeepAlive));
        routes.add(Route.plain("/stats", stats));
        return routes;
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("overhead server: " + e.getMessage());
            System.exit(2);
            return;
        }
        quietLogging();
        OverheadStatsServlet stats = new OverheadStatsServlet();
        EmbeddedServer server = options.container().start(routes(stats, options.initParameters()));
        stats.container(server.version());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "overhead-server-shutdown"));
        System.out.println("OverheadServer listening on http://127.0.0.1:" + server.port() + "/ with " + server.version()
                + " on Java " + Runtime.version() + ", filter init-params " + options.initParameters()
                + "; paths /plain /plain-close /filtered /filtered-close /task /task-keepalive /stats");
        System.out.flush();
        stopped.await();
    }

    /** No request logs exist on any of the three by default; this silences their start-up INFO lines. */
    private static void quietLogging() {
        // Before any Undertow class loads: JBoss Logging would otherwise pick SLF4J (Jetty's provider).
        System.setProperty("org.jboss.logging.provider", System.getProperty("org.jboss.logging.provider", "jdk"));
        // jetty-slf4j-impl reads its levels from system properties too.
        System.setProperty("org.eclipse.jetty.LEVEL", System.getProperty("org.eclipse.jetty.LEVEL", "WARN"));
        for (Logger logger : QUIET) {
            if (logger.getLevel() == null) {
                logger.setLevel(Level.WARNING);
            }
        }
    }
}
