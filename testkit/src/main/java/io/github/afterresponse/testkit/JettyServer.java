package io.github.afterresponse.testkit;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import java.util.EnumSet;
import java.util.EventListener;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.FilterMapping;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.ServletMapping;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.gzip.GzipHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Jetty 12.1 / ee10 implementation of {@link RunningServer}. */
final class JettyServer extends StartedServer {

    private static final long STOP_TIMEOUT_MS = 2_000;

    private final Server server;
    private final ServletContextHandler context;

    private JettyServer(Server server, ServletContextHandler context, int port, String contextPath) {
        super(Container.JETTY, port, contextPath);
        this.server = server;
        this.context = context;
    }

    static RunningServer start(WebApp app) throws ServerStartException {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("testkit-jetty");
        threads.setStopTimeout(STOP_TIMEOUT_MS);
        Server server = new Server(threads);
        server.setStopTimeout(STOP_TIMEOUT_MS);
        server.setStopAtShutdown(false);

        HttpConfiguration config = new HttpConfiguration();
        // One port for both: HTTP/1.1 and, Jetty: on the "PRI * HTTP/2.0" preface the HTTP/1.1 connection
        // hands over to the h2c factory (prior knowledge); "Upgrade: h2c" works too.
        ServerConnector connector = new ServerConnector(server,
                new HttpConnectionFactory(config), new HTTP2CServerConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath(app.contextPath().isEmpty() ? "/" : app.contextPath());
        ServletHandler handler = context.getServletHandler();
        for (WebApp.FilterSpec f : app.filters()) {
            // Jetty: the holder keeps the instance as given; filters are initialised when the context starts.
            FilterHolder holder = new FilterHolder(f.filter());
            holder.setName(f.name());
            holder.setInitParameters(f.initParams());
            holder.setAsyncSupported(f.asyncSupported());
            FilterMapping mapping = new FilterMapping();
            mapping.setFilterName(f.name());
            mapping.setPathSpecs(f.urlPatterns().toArray(String[]::new));
            mapping.setDispatcherTypes(EnumSet.of(DispatcherType.REQUEST));
            handler.addFilter(holder, mapping);
        }
        int order = 0;
        for (WebApp.ServletSpec s : app.servlets()) {
            ServletHolder holder = new ServletHolder(s.name(), s.servlet());
            holder.setAsyncSupported(s.asyncSupported());
            if (s.multipart()) {
                holder.getRegistration().setMultipartConfig(WebApp.multipartConfig());
            }
            holder.setInitOrder(++order);
            handler.addServlet(holder);
            ServletMapping mapping = new ServletMapping();
            mapping.setServletName(s.name());
            mapping.setPathSpecs(s.urlPatterns().toArray(String[]::new));
            handler.addServletMapping(mapping);
        }
        for (EventListener listener : app.listeners()) {
            context.addEventListener(listener);
        }
        for (Class<? extends ServletContainerInitializer> type : app.initializers()) {
            context.addServletContainerInitializer(WebApp.instantiate(type));
        }
        if (!app.errorPages().isEmpty()) {
            ErrorPageErrorHandler errors = new ErrorPageErrorHandler();
            app.errorPages().forEach(e -> errors.addErrorPage(e.status(), e.location()));
            context.setErrorHandler(errors);
        }
        app.contextParams().forEach(context::setInitParameter);
        if (app.isGzip()) {
            GzipHandler gzip = new GzipHandler();
            gzip.setHandler(context);
            server.setHandler(gzip);
        } else {
            server.setHandler(context);
        }

        try {
            server.start();
        } catch (Throwable e) {
            stopQuietly(server);
            throw new ServerStartException(Container.JETTY, e);
        }
        // Jetty: a context whose filter/servlet init failed may leave the server started but the context
        // unavailable (depending on the version); never hand out such a server.
        if (!context.isAvailable() || !context.isStarted()) {
            stopQuietly(server);
            throw new ServerStartException(Container.JETTY, "context is not available");
        }
        return new JettyServer(server, context, connector.getLocalPort(), app.contextPath());
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception ignored) {
            // best effort
        }
    }

    @Override
    public ServletContext servletContext() {
        return context.getServletContext();
    }

    @Override
    public void close() {
        stopQuietly(server);
    }

}
