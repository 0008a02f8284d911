package io.github.afterresponse.bench;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.util.Map;
import java.util.Objects;

/**
 * One exact path of the benchmark server: a servlet instance, and optionally a filter instance of its
 * own in front of it, with the filter's init-params. Both are registered {@code asyncSupported}, the
 * filter for the {@code REQUEST} dispatch of this path only.
 *
 * @param path the exact URL pattern, {@code /plain}
 * @param servlet the servlet, registered under the name {@link #name()}
 * @param filter the filter, or {@code null} for none
 * @param initParameters the filter's init-params (empty without a filter)
 */
record Route(String path, HttpServlet servlet, Filter filter, Map<String, String> initParameters) {

    Route {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(servlet, "servlet");
        initParameters = Map.copyOf(initParameters);
    }

    /** A path without a filter. */
    static Route plain(String path, HttpServlet servlet) {
        return new Route(path, servlet, null, Map.of());
    }

    /** The name of its servlet and filter: the path without its slash. */
    String name() {
        return path.substring(1);
    }

    boolean filtered() {
        return filter != null;
    }
}
