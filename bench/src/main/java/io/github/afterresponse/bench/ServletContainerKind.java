package io.github.afterresponse.bench;

import java.util.List;
import java.util.Locale;

/** The containers {@link OverheadServer} can run, each started by a class of its own. */
enum ServletContainerKind {

    JETTY {
        @Override
        EmbeddedServer start(List<Route> routes) throws Exception {
            return EmbeddedJetty.start(routes);
        }
    },
    TOMCAT {
        @Override
        EmbeddedServer start(List<Route> routes) throws Exception {
            return EmbeddedTomcat.start(routes);
        }
    },
    UNDERTOW {
        @Override
        EmbeddedServer start(List<Route> routes) throws Exception {
            return EmbeddedUndertow.start(routes);
        }
    };

    /** Starts this container on 127.0.0.1, a free port, with the routes in its root context. */
    abstract EmbeddedServer start(List<Route> routes) throws Exception;

    /** The name on the command line: {@code jetty}, {@code tomcat}, {@code undertow}. */
    String optionName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the value and the choices */
    static ServletContainerKind fromOption(String value) {
        for (ServletContainerKind kind : values()) {
            if (kind.optionName().equals(value)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("--container must be jetty, tomcat or undertow, but was '" + value + "'");
    }
}
