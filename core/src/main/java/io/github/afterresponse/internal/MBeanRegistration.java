package io.github.afterresponse.internal;

import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.AfterResponseMXBean;
import io.github.afterresponse.AfterResponseMonitor;
import io.github.afterresponse.TaskInfo;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.jspecify.annotations.Nullable;

/** The filter's {@link AfterResponseMXBean} in the platform MBean server, from init to destroy. */
final class MBeanRegistration {

    private static final System.Logger LOG = Log.LOGGER;
    private static final int MAX_INSTANCES = 1000;

    private final @Nullable ObjectName name;

    private MBeanRegistration(@Nullable ObjectName name) {
        this.name = name;
    }

    /**
     * Registers the view; a failure is logged and leaves the filter working without it, since
     * monitoring must not stop a web application.
     */
    static MBeanRegistration register(String contextPath, String filterName, AfterResponseMonitor monitor,
            AfterResponseConfig config) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        String base = "io.github.afterresponse:type=AfterResponseFilter,context="
                + ObjectName.quote(contextPath.isEmpty() ? "ROOT" : contextPath) + ",name=" + ObjectName.quote(filterName);
        try {
            StandardMBean bean = new StandardMBean(new View(monitor, config), AfterResponseMXBean.class, true);
            for (int instance = 1; instance <= MAX_INSTANCES; instance++) {
                ObjectName name = new ObjectName(instance == 1 ? base : base + ",instance=" + instance);
                try {
                    server.registerMBean(bean, name);
                    return new MBeanRegistration(name);
                } catch (InstanceAlreadyExistsException e) {
                    // another filter of the same name in this JVM (embedded servers): try the next instance
                }
            }
            LOG.log(Level.WARNING, "After Response: no free JMX name for filter ''{0}''", filterName);
        } catch (JMException | RuntimeException e) {
            LOG.log(Level.WARNING, "After Response: could not register the JMX view of filter '" + filterName + "'", e);
        }
        return new MBeanRegistration(null);
    }

    static MBeanRegistration none() {
        return new MBeanRegistration(null);
    }

    void unregister() {
        if (name == null) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (JMException | RuntimeException e) {
            LOG.log(Level.DEBUG, "After Response: the JMX view " + name + " was gone already", e);
        }
    }

    /** The MXBean: the monitor's figures, read when asked. */
    private static final class View implements AfterResponseMXBean {
        private final AfterResponseMonitor monitor;
        private final String configuration;

        View(AfterResponseMonitor monitor, AfterResponseConfig config) {
            this.monitor = monitor;
            this.configuration = config.toString();
        }

        @Override public long getAccepted() { return monitor.accepted(); }
        @Override public long getRejected() { return monitor.rejected(); }
        @Override public int getRunning() { return monitor.running(); }
        @Override public int getQueued() { return monitor.queued(); }
        @Override public long getCompleted() { return monitor.completed(); }
        @Override public long getFailed() { return monitor.failed(); }
        @Override public long getCancelled() { return monitor.cancelled(); }
        @Override public long getAborted() { return monitor.aborted(); }
        @Override public long getTimedOut() { return monitor.timedOut(); }
        @Override public long getShutDown() { return monitor.shutDown(); }

        @Override
        public String[] getTasks() {
            List<String> lines = new ArrayList<>();
            monitor.tasks().forEach(task -> lines.add(task.toString()));
            if (lines.size() == AfterResponseMonitor.DEFAULT_TASKS) {
                // Read after the list: approximate when exchanges start or end meanwhile.
                long more = (long) monitor.running() + monitor.queued() - lines.size();
                if (more > 0) {
                    lines.add("... and " + more + " more");
                }
            }
            return lines.toArray(String[]::new);
        }

        @Override
        public String getConfiguration() {
            return configuration;
        }
    }
}
