package io.github.afterresponse.bench;

import io.undertow.Undertow;
import io.undertow.Version;
import io.undertow.server.HttpHandler;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.api.FilterInfo;
import io.undertow.servlet.api.ServletInfo;
import io.undertow.servlet.util.ImmediateInstanceFactory;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Undertow 2.3 servlet with its defaults: one HTTP/1.1 listener, {@code max(2, CPUs)} I/O threads and
 * 8 worker threads per I/O thread (16 on this 2-CPU machine), which run the servlets.
 */
final class EmbeddedUndertow implements EmbeddedServer {

    private final Undertow undertow;
    private final DeploymentManager manager;

    private EmbeddedUndertow(Undertow undertow, DeploymentManager manager) {
        this.undertow = undertow;
        this.manager = manager;
    }

    static EmbeddedServer start(List<Route> routes) throws Exception {
        DeploymentInfo info = Servlets.deployment()
                .setClassLoader(EmbeddedUndertow.class.getClassLoader())
                .setContextPath("/")
                .setDeploymentName("bench.war")
                // Filters are otherwise created on first use; this way an init failure fails start().
                .setEagerFilterInit(true);
        for (Route route : routes) {
            if (route.filtered()) {
                FilterInfo filter = new FilterInfo(route.name(), route.filter().getClass(),
                        new ImmediateInstanceFactory<Filter>(route.filter()));
                route.initParameters().forEach(filter::addInitParam);
                filter.setAsyncSupported(true);
                info.addFilter(filter);
                info.addFilterUrlMapping(route.name(), route.path(), DispatcherType.REQUEST);
            }
            ServletInfo servlet = new ServletInfo(route.name(), route.servlet().getClass(),
                    new ImmediateInstanceFactory<Servlet>(route.servlet()));
            servlet.setAsyncSupported(true);
            servlet.addMapping(route.path());
            info.addServlet(servlet);
        }
        DeploymentManager manager = Servlets.newContainer().addDeployment(info);
        manager.deploy();
        HttpHandler handler = manager.start();
        for (Route route : routes) {
            manager.getDeployment().getServlets().getManagedServlet(route.name()).forceInit();
        }
        Undertow undertow = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setHandler(handler)
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            manager.stop();
            manager.undeploy();
            throw e;
        }
        return new EmbeddedUndertow(undertow, manager);
    }

    @Override
    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public String version() {
        return "Undertow " + Version.getVersionString();
    }

    @Override
    public void stop() throws Exception {
        // The deployment first: the filters end their exchanges while the worker threads still run.
        try {
            manager.stop();
            manager.undeploy();
        } finally {
            undertow.stop();
        }
    }
}
