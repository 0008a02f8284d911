package io.github.afterresponse.testkit;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.servlet.Servlets;
import io.undertow.server.handlers.encoding.ContentEncodingRepository;
import io.undertow.server.handlers.encoding.EncodingHandler;
import io.undertow.server.handlers.encoding.GzipEncodingProvider;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.api.ErrorPage;
import io.undertow.servlet.api.FilterInfo;
import io.undertow.servlet.api.ListenerInfo;
import io.undertow.servlet.api.ServletContainerInitializerInfo;
import io.undertow.servlet.api.ServletInfo;
import io.undertow.servlet.util.ImmediateInstanceFactory;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import java.net.InetSocketAddress;
import java.util.EventListener;
import java.util.Set;

/** Undertow 2.3 implementation of {@link RunningServer}. */
final class UndertowServer extends StartedServer {

    private final Undertow undertow;
    private final DeploymentManager manager;

    private UndertowServer(Undertow undertow, DeploymentManager manager, int port, String contextPath) {
        super(Container.UNDERTOW, port, contextPath);
        this.undertow = undertow;
        this.manager = manager;
    }

    static RunningServer start(WebApp app) throws ServerStartException {
        DeploymentInfo info = Servlets.deployment()
                .setClassLoader(UndertowServer.class.getClassLoader())
                .setContextPath(app.contextPath().isEmpty() ? "/" : app.contextPath())
                .setDeploymentName("testkit" + app.contextPath() + ".war")
                // Undertow: filters are created lazily on first use unless eager filter init is on; with it,
                // DeploymentManager.start() initialises them and throws what their init threw.
                .setEagerFilterInit(true);
        for (WebApp.FilterSpec f : app.filters()) {
            FilterInfo filter = new FilterInfo(f.name(), f.filter().getClass(), new ImmediateInstanceFactory<>(f.filter()));
            f.initParams().forEach(filter::addInitParam);
            filter.setAsyncSupported(f.asyncSupported());
            info.addFilter(filter);
            for (String pattern : f.urlPatterns()) {
                info.addFilterUrlMapping(f.name(), pattern, DispatcherType.REQUEST);
            }
        }
        for (WebApp.ServletSpec s : app.servlets()) {
            // Undertow: no load-on-startup here, because DeploymentManager.start() only logs a servlet's init
            // failure; the servlets are initialised below with forceInit(), which throws.
            ServletInfo servlet = new ServletInfo(s.name(), s.servlet().getClass(), new ImmediateInstanceFactory<>(s.servlet()));
            servlet.setAsyncSupported(s.asyncSupported());
            if (s.multipart()) {
                servlet.setMultipartConfig(WebApp.multipartConfig());
            }
            servlet.addMappings(s.urlPatterns());
            info.addServlet(servlet);
        }
        for (EventListener listener : app.listeners()) {
            info.addListener(new ListenerInfo(listener.getClass(), new ImmediateInstanceFactory<>(listener)));
        }
        app.contextParams().forEach(info::addInitParameter);
        for (Class<? extends ServletContainerInitializer> type : app.initializers()) {
            // Undertow discovers no initializers: this is the one line a user adds to the deployment.
            info.addServletContainerInitializer(new ServletContainerInitializerInfo(type, Set.of()));
        }
        for (WebApp.ErrorPageSpec e : app.errorPages()) {
            info.addErrorPage(new ErrorPage(e.location(), e.status()));
        }

        DeploymentManager manager = Servlets.newContainer().addDeployment(info);
        HttpHandler handler;
        try {
            manager.deploy();
            handler = manager.start();
            for (WebApp.ServletSpec s : app.servlets()) {
                manager.getDeployment().getServlets().getManagedServlet(s.name()).forceInit();
            }
        } catch (Throwable e) {
            undeployQuietly(manager);
            throw new ServerStartException(Container.UNDERTOW, e);
        }

        if (app.isGzip()) {
            handler = new EncodingHandler(new ContentEncodingRepository()
                    .addEncodingHandler("gzip", new GzipEncodingProvider(), 50)).setNext(handler);
        }
        Undertow undertow = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setIoThreads(2)
                .setWorkerThreads(32)
                // Undertow: ENABLE_HTTP2 turns on both "Upgrade: h2c" and prior knowledge (the HTTP/1.1 read
                // listener switches to HTTP/2 when it parses the "PRI * HTTP/2.0" preface).
                .setServerOption(UndertowOptions.ENABLE_HTTP2, true)
                // Bounded stop: wait at most this long for busy worker threads, then interrupt them.
                .setServerOption(UndertowOptions.SHUTDOWN_TIMEOUT, 2_000)
                .setHandler(app.contextPath().isEmpty() ? handler : Handlers.path().addPrefixPath(app.contextPath(), handler))
                .build();
        try {
            undertow.start();
        } catch (Throwable e) {
            stopQuietly(undertow);
            undeployQuietly(manager);
            throw new ServerStartException(Container.UNDERTOW, e);
        }
        InetSocketAddress address = (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
        return new UndertowServer(undertow, manager, address.getPort(), app.contextPath());
    }

    private static void stopQuietly(Undertow undertow) {
        try {
            undertow.stop();
        } catch (RuntimeException ignored) {
            // best effort
        }
    }

    private static void undeployQuietly(DeploymentManager manager) {
        try {
            if (manager.getState() == DeploymentManager.State.STARTED) {
                manager.stop();
            }
        } catch (Exception ignored) {
            // best effort
        }
        try {
            manager.undeploy();
        } catch (RuntimeException ignored) {
            // best effort
        }
    }

    @Override
    public ServletContext servletContext() {
        return manager.getDeployment().getServletContext();
    }

    @Override
    public synchronized void close() {
        // The deployment first, as a full server (WildFly) does: filters are destroyed while the
        // worker threads still run, so work on them can finish in the filter's grace period.
        undeployQuietly(manager);
        stopQuietly(undertow);
    }

}
