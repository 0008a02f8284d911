package io.github.afterresponse.testkit;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http2.Http2Protocol;
import org.apache.juli.logging.Log;
import org.apache.tomcat.util.descriptor.web.ErrorPage;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** Tomcat 11 embedded implementation of {@link RunningServer}. */
final class TomcatServer extends StartedServer {

    private final Tomcat tomcat;
    private final StandardContext context;
    private final Path baseDir;

    private TomcatServer(Tomcat tomcat, StandardContext context, Path baseDir, int port, String contextPath) {
        super(Container.TOMCAT, port, contextPath);
        this.tomcat = tomcat;
        this.context = context;
        this.baseDir = baseDir;
    }

    static RunningServer start(WebApp app) throws ServerStartException {
        Path baseDir;
        try {
            baseDir = Files.createTempDirectory("testkit-tomcat-");
            Files.createDirectories(baseDir.resolve("webapps"));
            Files.createDirectories(baseDir.resolve("docroot"));
        } catch (IOException e) {
            throw new ServerStartException(Container.TOMCAT, e);
        }
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());

        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        // Bounded stop: do not wait the default 5 s for request threads still busy in a servlet.
        connector.setProperty("executorTerminationTimeoutMillis", "2000");
        // Tomcat: with Http2Protocol as upgrade protocol the HTTP/1.1 processor also recognises the
        // "PRI * HTTP/2.0" preface (prior knowledge), not only "Upgrade: h2c".
        connector.addUpgradeProtocol(new Http2Protocol());
        if (app.isGzip()) {
            connector.setProperty("compression", "on");
            connector.setProperty("compressionMinSize", "256");
        }
        tomcat.setConnector(connector);
        tomcat.getHost().setAutoDeploy(false);

        CapturingContext context = new CapturingContext();
        context.setName(app.contextPath());
        context.setPath(app.contextPath());
        context.setDocBase(baseDir.resolve("docroot").toString());
        context.addLifecycleListener(new Tomcat.FixContextListener());
        // Tomcat: without this a load-on-startup servlet whose init throws is only logged.
        context.setFailCtxIfServletStartFails(Boolean.TRUE);
        // Tomcat: the leak checks on stop need --add-opens and otherwise warn on every stop; the application
        // classes come from the test class path, so there is nothing to clean up.
        context.setClearReferencesThreadLocals(false);
        context.setClearReferencesRmiTargets(false);

        for (WebApp.FilterSpec f : app.filters()) {
            FilterDef def = new FilterDef();
            def.setFilterName(f.name());
            def.setFilter(f.filter());
            def.setFilterClass(f.filter().getClass().getName());
            def.setAsyncSupported(Boolean.toString(f.asyncSupported()));
            f.initParams().forEach(def::addInitParameter);
            context.addFilterDef(def);
            FilterMap map = new FilterMap();
            map.setFilterName(f.name());
            f.urlPatterns().forEach(map::addURLPattern);
            map.setDispatcher(DispatcherType.REQUEST.name());
            context.addFilterMap(map);
        }
        int order = 0;
        for (WebApp.ServletSpec s : app.servlets()) {
            Wrapper wrapper = Tomcat.addServlet(context, s.name(), s.servlet());
            wrapper.setAsyncSupported(s.asyncSupported());
            if (s.multipart()) {
                wrapper.setMultipartConfigElement(WebApp.multipartConfig());
            }
            wrapper.setLoadOnStartup(++order);
            for (String pattern : s.urlPatterns()) {
                context.addServletMapping(pattern, s.name());
            }
        }
        if (!app.listeners().isEmpty()) {
            // Tomcat: listener instances added directly to the Context get a restricted ServletContext;
            // adding them from a ServletContainerInitializer makes them ordinary programmatic listeners.
            context.addServletContainerInitializer((classes, sc) -> app.listeners().forEach(sc::addListener), null);
        }
        app.contextParams().forEach(context::addParameter);
        for (Class<? extends ServletContainerInitializer> type : app.initializers()) {
            ServletContainerInitializer initializer = WebApp.instantiate(type);
            // Tomcat logs an initializer's failure on its class logger, not the context's: keep it here.
            context.addServletContainerInitializer((classes, servletContext) -> {
                try {
                    initializer.onStartup(classes, servletContext);
                } catch (ServletException | RuntimeException e) {
                    context.failures.add(e);
                    throw e;
                }
            }, Set.of());
        }
        for (WebApp.ErrorPageSpec e : app.errorPages()) {
            ErrorPage page = new ErrorPage();
            page.setErrorCode(e.status());
            page.setLocation(e.location());
            context.addErrorPage(page);
        }
        tomcat.getHost().addChild(context);

        TomcatServer server = new TomcatServer(tomcat, context, baseDir, -1, app.contextPath());
        try {
            tomcat.start();
        } catch (Throwable e) {
            context.started();
            server.close();
            throw new ServerStartException(Container.TOMCAT, e);
        }
        // Tomcat: Tomcat.start() does not throw when the context fails (filter/servlet/listener init threw):
        // the context logs the exception, marks itself FAILED and stops. The exception is only passed to the
        // context's logger, which CapturingContext intercepts.
        context.started();
        if (context.getState() != LifecycleState.STARTED || connector.getState() != LifecycleState.STARTED) {
            server.close();
            List<Throwable> failures = context.failures;
            if (failures.isEmpty()) {
                throw new ServerStartException(Container.TOMCAT,
                        "context state " + context.getState() + ", connector state " + connector.getState());
            }
            ServerStartException ex = new ServerStartException(Container.TOMCAT, failures.get(0));
            failures.stream().skip(1).forEach(ex::addSuppressed);
            throw ex;
        }
        return new TomcatServer(tomcat, context, baseDir, connector.getLocalPort(), app.contextPath());
    }

    @Override
    public ServletContext servletContext() {
        return context.getServletContext();
    }

    @Override
    public void close() {
        try {
            if (tomcat.getServer().getState().isAvailable()) {
                tomcat.stop();
            }
        } catch (Exception ignored) {
            // best effort
        }
        try {
            if (tomcat.getServer().getState() != LifecycleState.DESTROYED) {
                tomcat.destroy();
            }
        } catch (Exception ignored) {
            // best effort
        }
        deleteRecursively(baseDir);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temp directory; best effort
        }
    }

    /**
     * A StandardContext whose logger records the throwables of error/fatal messages while starting, i.e. the
     * start-up failures (StandardContext.filterStart/loadOnStartup/listenerStart log them and carry on).
     */
    private static final class CapturingContext extends StandardContext {

        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        private final AtomicBoolean starting = new AtomicBoolean(true);
        private volatile Log capturingLog;

        @Override
        public Log getLogger() {
            Log log = capturingLog;
            if (log == null) {
                log = new CapturingLog(super.getLogger(), failures, starting);
                capturingLog = log;
            }
            return log;
        }

        /** Ends capturing. */
        void started() {
            starting.set(false);
        }
    }

    /**
     * Delegates everything. While starting, remembers throwables logged at error or fatal level and logs them
     * without stack trace (the ServerStartException carries it).
     */
    private record CapturingLog(Log delegate, List<Throwable> failures, AtomicBoolean starting) implements Log {

        @Override
        public boolean isDebugEnabled() {
            return delegate.isDebugEnabled();
        }

        @Override
        public boolean isErrorEnabled() {
            return delegate.isErrorEnabled();
        }

        @Override
        public boolean isFatalEnabled() {
            return delegate.isFatalEnabled();
        }

        @Override
        public boolean isInfoEnabled() {
            return delegate.isInfoEnabled();
        }

        @Override
        public boolean isTraceEnabled() {
            return delegate.isTraceEnabled();
        }

        @Override
        public boolean isWarnEnabled() {
            return delegate.isWarnEnabled();
        }

        @Override
        public void trace(Object message) {
            delegate.trace(message);
        }

        @Override
        public void trace(Object message, Throwable t) {
            delegate.trace(message, t);
        }

        @Override
        public void debug(Object message) {
            delegate.debug(message);
        }

        @Override
        public void debug(Object message, Throwable t) {
            delegate.debug(message, t);
        }

        @Override
        public void info(Object message) {
            delegate.info(message);
        }

        @Override
        public void info(Object message, Throwable t) {
            delegate.info(message, t);
        }

        @Override
        public void warn(Object message) {
            delegate.warn(message);
        }

        @Override
        public void warn(Object message, Throwable t) {
            delegate.warn(message, t);
        }

        @Override
        public void error(Object message) {
            delegate.error(message);
        }

        @Override
        public void error(Object message, Throwable t) {
            if (t != null && starting.get()) {
                failures.add(t);
                delegate.error(message + ": " + t);
            } else {
                delegate.error(message, t);
            }
        }

        @Override
        public void fatal(Object message) {
            delegate.fatal(message);
        }

        @Override
        public void fatal(Object message, Throwable t) {
            if (t != null && starting.get()) {
                failures.add(t);
                delegate.fatal(message + ": " + t);
            } else {
                delegate.fatal(message, t);
            }
        }
    }
}
