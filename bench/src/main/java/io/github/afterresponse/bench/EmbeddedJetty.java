package io.github.afterresponse.bench;

import jakarta.servlet.DispatcherType;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Jetty;

/** Jetty 12 (ee10) with its defaults: one HTTP/1.1 connector, the default {@code QueuedThreadPool}. */
final class EmbeddedJetty implements EmbeddedServer {

    private final Server server;

    private EmbeddedJetty(Server server) {
        this.server = server;
    }

    static EmbeddedServer start(List<Route> routes) throws Exception {
        Server server = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler context = new ServletContextHandler();
        for (Route route : routes) {
            if (route.filtered()) {
                FilterHolder filter = new FilterHolder(route.filter());
                filter.setName(route.name());
                filter.setAsyncSupported(true);
                filter.setInitParameters(route.initParameters());
                context.addFilter(filter, route.path(), EnumSet.of(DispatcherType.REQUEST));
            }
            ServletHolder servlet = new ServletHolder(route.name(), route.servlet());
            servlet.setAsyncSupported(true);
            servlet.setInitOrder(0); // initialised at start, not on the first request
            context.addServlet(servlet, route.path());
        }
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        if (!context.isAvailable()) { // a filter's init failed
            server.stop();
            throw new IllegalStateException("Jetty context did not start; see the log above");
        }
        return new EmbeddedJetty(server);
    }

    @Override
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    @Override
    public String version() {
        return "Jetty " + Jetty.VERSION;
    }

    @Override
    public void stop() throws Exception {
        server.stop();
    }
}
