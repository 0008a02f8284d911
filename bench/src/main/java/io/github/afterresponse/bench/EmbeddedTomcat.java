package io.github.afterresponse.bench;

import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.util.ServerInfo;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * Tomcat 11 embedded with its defaults: one NIO HTTP/1.1 connector (200 request threads at most), a
 * root {@code StandardContext} whose servlets and filters are registered programmatically (no
 * {@code web.xml}, no annotation scanning, no access log).
 *
 * <p>Left at its default on purpose, as users get it: {@code maxKeepAliveRequests=100}, so Tomcat
 * closes a kept connection after 100 requests (about 0.01 TCP connects per request on the keep-alive
 * paths, alike for all of them).
 */
final class EmbeddedTomcat implements EmbeddedServer {

    private final Tomcat tomcat;
    private final Connector connector;
    private final Path baseDir;

    private EmbeddedTomcat(Tomcat tomcat, Connector connector, Path baseDir) {
        this.tomcat = tomcat;
        this.connector = connector;
        this.baseDir = baseDir;
    }

    static EmbeddedServer start(List<Route> routes) throws Exception {
        // Tomcat wants a base directory (work/, the context's docBase); a temporary one, deleted on stop.
        Path baseDir = Files.createTempDirectory("bench-tomcat-");
        Path docBase = Files.createDirectories(baseDir.resolve("docroot"));
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        tomcat.getHost().setAutoDeploy(false);

        StandardContext context = new StandardContext();
        context.setName("");
        context.setPath("");
        context.setDocBase(docBase.toString());
        // Without ContextConfig (no web.xml): marks the context configured.
        context.addLifecycleListener(new Tomcat.FixContextListener());
        // The leak checks on stop need --add-opens and would warn; nothing to clean up here.
        context.setClearReferencesThreadLocals(false);
        context.setClearReferencesRmiTargets(false);
        for (Route route : routes) {
            if (route.filtered()) {
                FilterDef def = new FilterDef();
                def.setFilterName(route.name());
                def.setFilter(route.filter());
                def.setFilterClass(route.filter().getClass().getName());
                def.setAsyncSupported("true");
                route.initParameters().forEach(def::addInitParameter);
                context.addFilterDef(def);
                FilterMap map = new FilterMap();
                map.setFilterName(route.name());
                map.addURLPattern(route.path());
                map.setDispatcher(DispatcherType.REQUEST.name());
                context.addFilterMap(map);
            }
            Wrapper wrapper = Tomcat.addServlet(context, route.name(), route.servlet());
            wrapper.setAsyncSupported(true);
            wrapper.setLoadOnStartup(1);
            context.addServletMapping(route.path(), route.name());
        }
        tomcat.getHost().addChild(context);
        EmbeddedTomcat server = new EmbeddedTomcat(tomcat, connector, baseDir);
        try {
            tomcat.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        // Tomcat.start() does not throw when a filter's init fails: the context logs it and stops.
        if (context.getState() != LifecycleState.STARTED || connector.getState() != LifecycleState.STARTED) {
            server.stop();
            throw new IllegalStateException("Tomcat context " + context.getState() + ", connector "
                    + connector.getState() + "; see the log above");
        }
        return server;
    }

    @Override
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public String version() {
        return ServerInfo.getServerInfo().replace("Apache Tomcat/", "Tomcat ");
    }

    @Override
    public void stop() throws Exception {
        try {
            if (tomcat.getServer().getState().isAvailable()) {
                tomcat.stop();
            }
            if (tomcat.getServer().getState() != LifecycleState.DESTROYED) {
                tomcat.destroy();
            }
        } finally {
            deleteRecursively(baseDir);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
