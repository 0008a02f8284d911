package io.github.afterresponse;

/**
 * The JMX view of one {@link AfterResponseFilter} (see {@link AfterResponseMonitor} for the meaning
 * of each figure). Registered in the platform MBean server while the filter runs, as
 * {@code io.github.afterresponse:type=AfterResponseFilter,context="<context path, or ROOT>",name="<filter name>"}
 * (the values quoted, as {@link javax.management.ObjectName#quote} writes them)
 * (with {@code ,instance=<n>} added when several filters would share that name, as embedded servers
 * in one JVM do). Switch it off with the init-param {@code jmx=false}.
 */
public interface AfterResponseMXBean {

    long getAccepted();

    long getRejected();

    int getRunning();

    int getQueued();

    long getCompleted();

    long getFailed();

    long getCancelled();

    long getAborted();

    long getTimedOut();

    long getShutDown();

    /**
     * One line per running exchange, oldest first, then per queued one, in the order they will run:
     * id, state, request, age, progress, status; at most {@value AfterResponseMonitor#DEFAULT_TASKS},
     * then one line saying about how many more there are.
     */
    String[] getTasks();

    /** The configuration in effect, as {@link AfterResponseConfig#toString()} writes it. */
    String getConfiguration();
}
