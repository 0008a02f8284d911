package io.github.afterresponse.testkit;

import java.util.Arrays;
import java.util.stream.Stream;

/**
 * The embedded servlet containers the tests run on. Each {@link #start(WebApp) start} binds a fresh server to
 * {@code 127.0.0.1} on an ephemeral port serving HTTP/1.1 and cleartext HTTP/2 with prior knowledge (h2c: the
 * {@code PRI * HTTP/2.0} preface on the same port).
 */
public enum Container {

    /** Jetty 12.1, ee10 {@code ServletContextHandler}; h2c via {@code HTTP2CServerConnectionFactory}. */
    JETTY("Jetty") {
        @Override
        public RunningServer start(WebApp app) throws ServerStartException {
            QuietLogging.init();
            return JettyServer.start(app);
        }
    },

    /** Tomcat 11 embedded; h2c via {@code Http2Protocol} as upgrade protocol (it also accepts the preface). */
    TOMCAT("Tomcat") {
        @Override
        public RunningServer start(WebApp app) throws ServerStartException {
            QuietLogging.init();
            return TomcatServer.start(app);
        }
    },

    /**
     * Undertow 2.3 with {@code UndertowOptions.ENABLE_HTTP2}: its HTTP/1.1 listener recognises the
     * {@code PRI * HTTP/2.0} preface and switches the connection to HTTP/2 ({@code HttpReadListener}).
     */
    UNDERTOW("Undertow") {
        @Override
        public RunningServer start(WebApp app) throws ServerStartException {
            QuietLogging.init();
            return UndertowServer.start(app);
        }
    };

    private final String displayName;

    Container(String displayName) {
        this.displayName = displayName;
    }

    /**
     * Starts a new server with the application deployed. All filters and servlets are initialised before this
     * returns.
     *
     * @throws ServerStartException if the server or the application failed to start (e.g. a filter's
     *         {@code init} threw: it is in the cause chain); the server is stopped by then
     */
    public abstract RunningServer start(WebApp app) throws ServerStartException;

    /** Whether the server accepts cleartext HTTP/2 with prior knowledge on its port. All three do. */
    public boolean supportsH2c() {
        return true;
    }

    /**
     * The container's name as people write it: {@code Jetty}, {@code Tomcat}, {@code Undertow}. It names each case of
     * {@link EveryContainer} and {@link EveryH2cContainer} in test reports and appears in messages;
     * {@link #name()} stays the constant's name.
     */
    @Override
    public String toString() {
        return displayName;
    }

    /** The containers that {@linkplain #supportsH2c() support h2c}; the source of {@link EveryH2cContainer}. */
    public static Stream<Container> h2cContainers() {
        return Arrays.stream(values()).filter(Container::supportsH2c);
    }
}
