package io.github.afterresponse.demo.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of this JVM, in total and by group of threads (named by what they do), between two
 * snapshots. Threads that ended in between are missing from the groups; their CPU, with GC and
 * the JIT compilers', is what {@link #OTHER} holds: the process total minus the groups.
 */
public final class ThreadCpu {

    public static final String SENDERS = "mailer senders (message, SMTP client, H2 writes)";
    public static final String SMTP_SERVER = "SMTP server threads";
    public static final String JETTY = "Jetty (requests, the campaign's task thread)";
    public static final String CLIENT = "benchmark's HTTP client (polls)";
    public static final String OTHER = "GC, JIT, other and ended threads";
    public static final String[] GROUPS = {SENDERS, SMTP_SERVER, JETTY, CLIENT, OTHER};

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final long processNanos;
    private final Map<Long, Long> byThread;
    private final Map<Long, String> names;

    private ThreadCpu(long processNanos, Map<Long, Long> byThread, Map<Long, String> names) {
        this.processNanos = processNanos;
        this.byThread = byThread;
        this.names = names;
    }

    public static ThreadCpu now() {
        Map<Long, Long> byThread = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = THREADS.getThreadCpuTime(info.getThreadId());
            if (cpu >= 0) {
                byThread.put(info.getThreadId(), cpu);
                names.put(info.getThreadId(), info.getThreadName());
            }
        }
        return new ThreadCpu(processCpuNanos(), byThread, names);
    }

    /** User + system CPU of the whole process. */
    public static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    public long processNanos() {
        return processNanos;
    }

    /** CPU nanoseconds by group from {@code earlier} to this snapshot, in {@link #GROUPS} order. */
    public Map<String, Long> since(ThreadCpu earlier) {
        Map<String, Long> groups = new LinkedHashMap<>();
        for (String group : GROUPS) {
            groups.put(group, 0L);
        }
        long grouped = 0;
        for (Map.Entry<Long, Long> thread : byThread.entrySet()) {
            long used = thread.getValue() - earlier.byThread.getOrDefault(thread.getKey(), 0L);
            String group = group(names.get(thread.getKey()));
            if (group != null) {
                groups.merge(group, used, Long::sum);
                grouped += used;
            }
        }
        groups.put(OTHER, Math.max(0, processNanos - earlier.processNanos - grouped));
        return groups;
    }

    private static String group(String name) {
        if (name.startsWith("mailer-sender-")) {
            return SENDERS;
        }
        if (name.startsWith("smtp")) { // GreenMail's "smtp:127.0.0.1:port<-...", the sink's "smtp-sink-N"
            return SMTP_SERVER;
        }
        if (name.startsWith("qtp")) {
            return JETTY;
        }
        if (name.startsWith("HttpClient")) {
            return CLIENT;
        }
        return null;
    }
}
