package io.github.afterresponse;

import jakarta.servlet.ServletContext;
import java.util.List;
import java.util.Optional;

/**
 * Live figures of one {@link AfterResponseFilter}: counters since it started, the exchanges whose
 * work is queued or running, and each one's age and progress. The same figures are registered in
 * JMX as an {@link AfterResponseMXBean}.
 *
 * <p>Get it from the filter ({@link AfterResponseFilter#monitor()}) or, from anywhere in the web
 * application, through the servlet context ({@link #of(ServletContext, String)}). All methods are
 * thread-safe and cheap; counters are read one at a time, so a sum of several may be off by the
 * exchanges that ended in between.
 */
public interface AfterResponseMonitor {

    /** The servlet-context attribute under which the filter named {@code filterName} publishes its monitor. */
    static String attributeName(String filterName) {
        return AfterResponseMonitor.class.getName() + "." + filterName;
    }

    /**
     * The monitor of the After Response filter named {@code filterName} in this context.
     *
     * @throws IllegalStateException if no such filter has started in this context
     */
    static AfterResponseMonitor of(ServletContext context, String filterName) {
        return find(context, filterName).orElseThrow(() -> new IllegalStateException("After Response: no "
                + "AfterResponseFilter named '" + filterName + "' has started in this servlet context"));
    }

    /** The monitor of the After Response filter named {@code filterName}, if it has started. */
    static Optional<AfterResponseMonitor> find(ServletContext context, String filterName) {
        Object monitor = context.getAttribute(attributeName(filterName));
        return monitor instanceof AfterResponseMonitor found ? Optional.of(found) : Optional.empty();
    }

    /** The filter's name. */
    String filterName();

    /** Requests admitted (not refused) since the filter started. */
    long accepted();

    /** Requests refused with 503 since the filter started: admission limit reached or shutting down. */
    long rejected();

    /** Exchanges whose background work runs now. */
    int running();

    /** Exchanges whose background work waits for a free slot now. */
    int queued();

    /** Exchanges ended {@link Outcome#COMPLETED}. */
    long completed();

    /** Exchanges ended {@link Outcome#FAILED}. */
    long failed();

    /** Exchanges ended {@link Outcome#CANCELLED} (client gone under the cancel policy, or time limit). */
    long cancelled();

    /** Exchanges ended with their client gone ({@link ConnectionStatus#isAborted()}), whatever the outcome. */
    long aborted();

    /** Exchanges ended past their time limit ({@link ConnectionStatus#isTimedOut()}), whatever the outcome. */
    long timedOut();

    /** Exchanges ended {@link Outcome#SHUT_DOWN}: cut short because the web application stopped. */
    long shutDown();

    /** How many exchanges {@link #tasks()} lists at most. */
    int DEFAULT_TASKS = 100;

    /**
     * The exchanges whose work runs, oldest first, then those waiting for a slot, in the order they
     * will run: {@value #DEFAULT_TASKS} at most ({@link #tasks(int)}); {@link #running()} and
     * {@link #queued()} say how many there are in all.
     */
    List<TaskInfo> tasks();

    /**
     * The exchanges whose work runs, oldest first, then those waiting for a slot, in the order they
     * will run: {@code max} at most. The cost is bounded by {@code max} and the running exchanges
     * ({@code max-running}, plus those on the request thread of a servlet without asynchronous
     * support), not by the length of the queue.
     *
     * @throws IllegalArgumentException if {@code max} is negative
     */
    List<TaskInfo> tasks(int max);
}
