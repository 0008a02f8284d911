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
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The server {@code bench/run-wrk.sh} loads: embedded Jetty 12 on 127.0.0.1 with one small servlet
 * mapped several ways, so that wrk can compare them within one run.
 *
 * <table>
 *   <caption>paths</caption>
 *   <tr><th>path</th><th>what</th></tr>
 *   <tr><td>{@code /plain}</td><td>the servlet alone: a 200-byte text</td></tr>
 *   <tr><td>{@code /plain-close}</td><td>the servlet alone, answering with {@code Connection: close}:
 *       what a new TCP connection per request costs without the filter</td></tr>
 *   <tr><td>{@code /filtered}</td><td>the servlet behind the filter named {@code filtered}; no task</td></tr>
 *   <tr><td>{@code /task}</td><td>the servlet behind the filter named {@code task}; registers a task that
 *       increments a counter, and a callback that increments another</td></tr>
 *   <tr><td>{@code /task-keepalive}</td><td>as {@code /task}, behind its own filter
 *       {@code task-keepalive} with {@code connection-close=false}: the connection is kept</td></tr>
 *   <tr><td>{@code /task-stream}</td><td>as {@code /task}, but calls {@code stream()}: chunked, no
 *       {@code Connection: close}, the response ends when the task has run</td></tr>
 *   <tr><td>{@code /stats}</td><td>not filtered: {@code key=value} lines with both filters' monitor
 *       counters and the task and callback counters</td></tr>
 * </table>
 *
 * <p>One filter instance per filtered path, all with the same init-params (apart from
 * {@code connection-close} on {@code /task-keepalive}), so that
 * {@code /stats} can check each one's figures exactly: every exchange the filter accepted ran its
 * task and its callback.
 */
public final class LoadServer {

    /** The body every path but {@code /stats} answers: 200 bytes of ASCII. */
    static final byte[] BODY = body(200);

    private final Server server;

    private LoadServer(Server server) {
        this.server = server;
    }

    /** One filter instance, and what the tasks and callbacks of its servlet counted. */
    private record Endpoint(String name, FilterHolder filter, LongAdder runs, LongAdder callbacks) {

        Endpoint(String name, Map<String, String> initParameters) {
            this(name, LoadServer.filter(name, initParameters), new LongAdder(), new LongAdder());
        }

        AfterResponseMonitor monitor() {
            return ((AfterResponseFilter) filter.getFilter()).monitor();
        }
    }

    /**
     * Command-line options.
     *
     * @param port port on 127.0.0.1; 0 picks a free one
     * @param initParameters the filters' init-params ({@code executor}, {@code max-running},
     *     {@code queue-capacity}); absent ones take the filter's defaults
     */
    record Options(int port, Map<String, String> initParameters) {

        /**
         * Reads {@code --port=N}, {@code --executor=container|dedicated}, {@code --max-running=N} and
         * {@code --queue-capacity=N}; checks the init-params as the filter will.
         *
         * @throws IllegalArgumentException naming the bad option and its value
         */
        static Options parse(String... args) {
            int port = 8080;
            Map<String, String> initParameters = new LinkedHashMap<>();
            for (String arg : args) {
                int equals = arg.indexOf('=');
                String name = equals < 0 ? arg : arg.substring(0, equals);
                String value = equals < 0 ? "" : arg.substring(equals + 1);
                switch (name) {
                    case "--port" -> port = port(value);
                    case "--executor" -> {
                        if (!value.equals("container") && !value.equals("dedicated")) {
                            throw new IllegalArgumentException("--executor must be container or dedicated, but was '" + value + "'");
                        }
                        initParameters.put("executor", value);
                    }
                    case "--max-running", "--queue-capacity" -> initParameters.put(name.substring(2), value);
                    default -> throw new IllegalArgumentException("unknown option '" + arg + "'; the options are --port=N, "
                            + "--executor=container|dedicated, --max-running=N and --queue-capacity=N");
                }
            }
            AfterResponseConfig.fromInitParameters(initParameters); // throws naming the init-param
            return new Options(port, Map.copyOf(initParameters));
        }

        private static int port(String value) {
            try {
                int port = Integer.parseInt(value);
                if (port >= 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("--port must be between 0 and 65535, but was '" + value + "'");
        }
    }

    /** Starts the server. */
    public static LoadServer start(Options options) throws Exception {
        Server server = new Server(new InetSocketAddress("127.0.0.1", options.port()));
        ServletContextHandler context = new ServletContextHandler();
        Endpoint filtered = new Endpoint("filtered", options.initParameters());
        Endpoint task = new Endpoint("task", options.initParameters());
        Map<String, String> keepAlive = new LinkedHashMap<>(options.initParameters());
        keepAlive.put("connection-close", "false");
        Endpoint taskKeepAlive = new Endpoint("task-keepalive", keepAlive);
        Endpoint stream = new Endpoint("task-stream", options.initParameters());
        List<Endpoint> endpoints = List.of(filtered, task, taskKeepAlive, stream);
        for (Endpoint endpoint : endpoints) {
            context.addFilter(endpoint.filter(), "/" + endpoint.name(), EnumSet.of(DispatcherType.REQUEST));
        }
        context.addServlet(servlet(new TextServlet(Mode.PLAIN, null)), "/plain");
        context.addServlet(servlet(new TextServlet(Mode.CLOSE, null)), "/plain-close");
        context.addServlet(servlet(new TextServlet(Mode.PLAIN, filtered)), "/filtered");
        context.addServlet(servlet(new TextServlet(Mode.TASK, task)), "/task");
        context.addServlet(servlet(new TextServlet(Mode.TASK, taskKeepAlive)), "/task-keepalive");
        context.addServlet(servlet(new TextServlet(Mode.STREAM, stream)), "/task-stream");
        context.addServlet(servlet(new StatsServlet(endpoints)), "/stats");
        server.setHandler(context);
        server.start();
        return new LoadServer(server);
    }

    private static FilterHolder filter(String name, Map<String, String> initParameters) {
        FilterHolder filter = new FilterHolder(AfterResponseFilter.class);
        filter.setName(name);
        filter.setAsyncSupported(true);
        filter.setInitParameters(initParameters);
        return filter;
    }

    private static ServletHolder servlet(HttpServlet servlet) {
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(true);
        return holder;
    }

    /** The port it listens on. */
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** Stops the server; the filters end their exchanges (see {@link AfterResponseFilter#destroy()}). */
    public void stop() throws Exception {
        server.stop();
    }

    private enum Mode { PLAIN, CLOSE, TASK, STREAM }

    /** The 200-byte text, optionally with {@code Connection: close} or a task. */
    private static final class TextServlet extends HttpServlet {

        private final Mode mode;
        private final transient Endpoint endpoint; // null for the paths without the filter

        TextServlet(Mode mode, Endpoint endpoint) {
            this.mode = mode;
            this.endpoint = endpoint;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            if (mode != Mode.STREAM) {
                // A streamed response is chunked; a Content-Length would end it with the servlet.
                response.setContentLength(BODY.length);
            }
            if (mode == Mode.CLOSE) {
                response.setHeader("Connection", "close");
            }
            response.getOutputStream().write(BODY);
            if (mode == Mode.TASK || mode == Mode.STREAM) {
                Endpoint counted = Objects.requireNonNull(endpoint);
                AfterResponse exchange = AfterResponse.of(request)
                        .then(task -> counted.runs().increment())
                        .onComplete(done -> counted.callbacks().increment());
                if (mode == Mode.STREAM) {
                    exchange.stream();
                }
            }
        }
    }

    /** {@code name.key=value} lines: each filter's monitor counters, and its servlet's task and callback counts. */
    private static final class StatsServlet extends HttpServlet {

        private final transient List<Endpoint> endpoints;

        StatsServlet(List<Endpoint> endpoints) {
            this.endpoints = endpoints;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain;charset=UTF-8");
            PrintWriter out = response.getWriter();
            for (Endpoint endpoint : endpoints) {
                MonitorLines.write(out, endpoint.name(), endpoint.monitor());
                out.println(endpoint.name() + ".runs=" + endpoint.runs().sum());
                out.println(endpoint.name() + ".callbacks=" + endpoint.callbacks().sum());
            }
            out.println("config=" + ((AfterResponseFilter) endpoints.get(0).filter().getFilter()).config());
        }
    }

    private static byte[] body(int length) {
        StringBuilder text = new StringBuilder(length);
        String line = "After Response load benchmark: the same 200 bytes on every path. ";
        while (text.length() < length - 1) {
            text.append(line);
        }
        text.setLength(length - 1);
        text.append('\n');
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("load server: " + e.getMessage());
            System.exit(2);
            return;
        }
        LoadServer loadServer = start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                loadServer.stop();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "load-server-shutdown"));
        System.out.println("LoadServer listening on http://127.0.0.1:" + loadServer.port() + "/ with filter init-params "
                + options.initParameters() + "; paths /plain /plain-close /filtered /task /task-keepalive /task-stream /stats");
        System.out.flush();
        loadServer.server.join();
    }
}
