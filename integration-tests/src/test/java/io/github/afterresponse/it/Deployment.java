package io.github.afterresponse.it;

import io.github.afterresponse.AfterResponseFilter;
import io.github.afterresponse.AfterResponseMonitor;
import io.github.afterresponse.Completion;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.RawConnection;
import io.github.afterresponse.testkit.RawResponse;
import io.github.afterresponse.testkit.RunningServer;
import io.github.afterresponse.testkit.WebApp;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A web application behind {@link AfterResponseFilter} (mapped to {@code /*}, asyncSupported) on
 * one container, with every completion the filter's hook saw.
 */
final class Deployment implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    final WebApp app = WebApp.create();
    private final WebApp plain = WebApp.create();
    private final List<RunningServer> twins = new ArrayList<>();
    final List<Completion> completions = new CopyOnWriteArrayList<>();
    private final Container container;
    private RunningServer server;
    private AfterResponseFilter filter;

    /** The name the After Response filter is registered under. */
    static final String FILTER_NAME = "afterResponse";

    private final Map<String, String> initParams;
    private final List<Filter> outerFilters = new ArrayList<>();
    private Predicate<HttpServletRequest> notFiltered = request -> false;

    private Deployment(Container container, Map<String, String> initParams) {
        this.container = container;
        this.initParams = initParams;
    }

    static Deployment on(Container container) {
        return on(container, Map.of());
    }

    static Deployment on(Container container, Map<String, String> initParams) {
        return new Deployment(container, withDefaultExecutor(initParams));
    }

    /**
     * The executor every test uses unless it names one: the system property {@code it.executor}
     * ({@code container}, {@code dedicated}), so CI can run the whole suite on virtual threads
     * (Java 21+); the filter's default otherwise.
     */
    private static Map<String, String> withDefaultExecutor(Map<String, String> initParams) {
        String executor = System.getProperty("it.executor", "");
        if (executor.isBlank() || initParams.containsKey("executor")) {
            return initParams;
        }
        Map<String, String> withExecutor = new java.util.LinkedHashMap<>(initParams);
        withExecutor.put("executor", executor);
        return withExecutor;
    }

    /** Adds an asyncSupported servlet. */
    Deployment servlet(String path, Handler handler) {
        return servlet(path, handler::servlet, true);
    }

    /** Adds a servlet that does not support asynchronous processing. */
    Deployment blockingServlet(String path, Handler handler) {
        return servlet(path, handler::servlet, false);
    }

    /** Adds an asyncSupported servlet that reads multipart/form-data. */
    Deployment multipartServlet(String path, Handler handler) {
        app.multipartServlet(path, handler.servlet(), true, path);
        plain.multipartServlet(path, handler.servlet(), true, path);
        return this;
    }

    /** Adds a servlet; each server gets its own instance from {@code servlet}. */
    Deployment servlet(String path, Supplier<HttpServlet> servlet, boolean asyncSupported) {
        app.servlet(path, servlet.get(), asyncSupported, path);
        plain.servlet(path, servlet.get(), asyncSupported, path);
        return this;
    }

    /**
     * The same servlets on the same container without the filter, to compare what the container
     * itself answers.
     */
    RunningServer startWithoutFilter() throws Exception {
        RunningServer bare = container.start(plain);
        twins.add(bare);
        return bare;
    }

    /** Adds a filter mapped to {@code /*} in front of the After Response filter. */
    Deployment before(Filter filter) {
        outerFilters.add(filter);
        return this;
    }

    /** The filter's {@code shouldNotFilter}: these requests bypass the toolkit. */
    Deployment notFiltering(Predicate<HttpServletRequest> skip) {
        notFiltered = skip;
        return this;
    }

    Deployment start() throws Exception {
        for (int i = 0; i < outerFilters.size(); i++) {
            app.filter("outer-" + i, outerFilters.get(i), Map.of(), true, "/*");
        }
        filter = new AfterResponseFilter() {
            @Override
            protected void afterCompletion(Completion completion) {
                completions.add(completion);
            }

            @Override
            protected boolean shouldNotFilter(HttpServletRequest request) {
                return notFiltered.test(request);
            }
        };
        app.filter(FILTER_NAME, filter, initParams, true, "/*");
        server = container.start(app);
        return this;
    }

    /** The filter's live figures (valid while the server runs). */
    AfterResponseMonitor monitor() {
        return filter.monitor();
    }

    /** Stops the filter alone, as an application may before its container stops (the Spring Boot starter does). */
    void destroyFilter() {
        filter.destroy();
    }

    /** Stops the server (the filter's {@code destroy} runs); the completions stay readable. Idempotent. */
    void stop() {
        server.close();
    }

    int port() {
        return server.port();
    }

    RunningServer server() {
        return server;
    }

    /** A GET on a fresh connection, HTTP/1.1 with keep-alive, as browsers send it. */
    RawResponse get(String path) throws IOException {
        try (RawConnection connection = open()) {
            return connection.send(request("GET", path)).readResponse(TIMEOUT);
        }
    }

    RawConnection open() throws IOException {
        return RawConnection.open(port());
    }

    static String request(String method, String path, String... headers) {
        StringBuilder request = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    @Override
    public void close() throws Exception {
        for (RunningServer twin : twins) {
            twin.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
