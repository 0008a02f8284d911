package io.github.afterresponse.bench;

/**
 * A servlet container started by {@link ServletContainerKind#start}: listening on 127.0.0.1, with the
 * {@link Route}s it was given registered in one root context.
 */
interface EmbeddedServer {

    /** The port it listens on. */
    int port();

    /** The container's name and version, for the results ({@code "Jetty 12.1.14"}). */
    String version();

    /** Stops it: the filters are destroyed (ending their exchanges), then the connector. */
    void stop() throws Exception;
}
