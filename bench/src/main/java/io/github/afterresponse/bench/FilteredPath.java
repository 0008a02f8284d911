package io.github.afterresponse.bench;

import io.github.afterresponse.AfterResponseFilter;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * A path behind a filter instance of its own, and what the tasks and callbacks its servlet registers
 * counted, so that {@code /stats} can check the filter's figures exactly.
 *
 * @param name the path without its slash; also the filter's and the servlet's name
 * @param filter the filter instance (its monitor counts this path's requests only)
 * @param initParameters its init-params
 * @param runs task runs
 * @param callbacks {@code onComplete} callbacks
 */
record FilteredPath(String name, AfterResponseFilter filter, Map<String, String> initParameters,
        LongAdder runs, LongAdder callbacks) {

    FilteredPath(String name, Map<String, String> initParameters) {
        this(name, new AfterResponseFilter(), Map.copyOf(initParameters), new LongAdder(), new LongAdder());
    }

    /** The route of this path to the given servlet. */
    Route route(BodyServlet servlet) {
        return new Route("/" + name, servlet, filter, initParameters);
    }
}
