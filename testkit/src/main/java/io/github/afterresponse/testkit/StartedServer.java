package io.github.afterresponse.testkit;

/** What every {@link RunningServer} knows the same way: its container, port and context path. */
abstract class StartedServer implements RunningServer {

    private final Container container;
    private final int port;
    private final String contextPath;

    StartedServer(Container container, int port, String contextPath) {
        this.container = container;
        this.port = port;
        this.contextPath = contextPath;
    }

    @Override
    public final Container container() {
        return container;
    }

    @Override
    public final int port() {
        return port;
    }

    @Override
    public final String contextPath() {
        return contextPath;
    }

    @Override
    public String toString() {
        return container + " on port " + port;
    }
}
