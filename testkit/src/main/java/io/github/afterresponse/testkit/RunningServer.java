package io.github.afterresponse.testkit;

import jakarta.servlet.ServletContext;
import java.net.URI;

/**
 * A started embedded server serving one {@link WebApp} on {@code 127.0.0.1}. Close it (try-with-resources)
 * to stop the server; closing is graceful but bounded to a few seconds.
 */
public interface RunningServer extends AutoCloseable {

    /** The container this server runs on. */
    Container container();

    /** The ephemeral local port, serving HTTP/1.1 and (where {@link #supportsH2c()}) h2c prior knowledge. */
    int port();

    /** The context path of the deployed application, {@code ""} for the root context. */
    String contextPath();

    /**
     * An {@code http://127.0.0.1:port} URI for a path inside the application: the context path is
     * prepended, so {@code uri("/hello")} addresses the servlet mapped to {@code /hello}.
     */
    default URI uri(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + path);
        }
        return URI.create("http://127.0.0.1:" + port() + contextPath() + path);
    }

    /** Whether the port accepts cleartext HTTP/2 with prior knowledge (same as {@code container().supportsH2c()}). */
    default boolean supportsH2c() {
        return container().supportsH2c();
    }

    /** The deployed application's servlet context. */
    ServletContext servletContext();

    /** Stops the server: graceful, but bounded to a few seconds. Idempotent. */
    @Override
    void close();
}
