package io.github.afterresponse.it;

import io.github.afterresponse.AfterResponseFilter;
import io.github.afterresponse.AfterResponseMonitor;
import io.github.afterresponse.Completion;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.RawHttpClient;
import io.github.afterresponse.testkit.RawResponse;
import io.github.afterresponse.testkit.RunningServer;
import io.github.afterresponse.testkit.WebApp;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A web application where {@link AfterResponseFilter} guards only part of the URL space: it is
 * mapped to {@code /work/*}, and servlets added with {@link #unfiltered} live outside it. For
 * showing that admission control only ever refuses requests that pass through the filter.
 */
final class AdmissionDeployment implements AutoCloseable {

    /** The URL pattern the filter is mapped to. */
    static final String FILTERED = "/work/*";

    final List<Completion> completions = new CopyOnWriteArrayList<>();
    private final WebApp app = WebApp.create();
    private final Container container;
    private final Map<String, String> initParams;
    private RunningServer server;
    private AfterResponseFilter filter;

    private AdmissionDeployment(Container container, Map<String, String> initParams) {
        this.container = container;
        this.initParams = initParams;
    }

    static AdmissionDeployment on(Container container, Map<String, String> initParams) {
        return new AdmissionDeployment(container, initParams);
    }

    /** Adds an asyncSupported servlet behind the filter; {@code path} must start with {@code /work/}. */
    AdmissionDeployment filtered(String path, Handler handler) {
        if (!path.startsWith("/work/")) {
            throw new IllegalArgumentException("filtered servlets live under /work/: " + path);
        }
        app.servlet(path, handler.servlet(), true, path);
        return this;
    }

    /** Adds an asyncSupported servlet the filter does not see; {@code path} must not be under {@code /work/}. */
    AdmissionDeployment unfiltered(String path, Handler handler) {
        if (path.startsWith("/work/")) {
            throw new IllegalArgumentException("unfiltered servlets live outside /work/: " + path);
        }
        app.servlet(path, handler.servlet(), true, path);
        return this;
    }

    AdmissionDeployment start() throws Exception {
        filter = new AfterResponseFilter() {
            @Override
            protected void afterCompletion(Completion completion) {
                completions.add(completion);
            }
        };
        app.filter(Deployment.FILTER_NAME, filter, initParams, true, FILTERED);
        server = container.start(app);
        return this;
    }

    /** The filter's live figures (valid while the server runs). */
    AfterResponseMonitor monitor() {
        return filter.monitor();
    }

    int port() {
        return server.port();
    }

    /** A GET on a fresh connection ({@code Connection: close}). */
    RawResponse get(String path) throws IOException {
        return RawHttpClient.get(port(), path);
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
