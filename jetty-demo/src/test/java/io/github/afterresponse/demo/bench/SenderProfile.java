package io.github.afterresponse.demo.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the sending threads' time goes, from a JFR recording of one campaign, without a timer in
 * the mailer: exact durations of their socket reads (waiting for the SMTP server's replies) and
 * writes, file writes and forces (H2 storing commits), monitor and lock waits; and CPU samples
 * (every 10 ms) attributed to the mailer's method they ran under.
 */
public final class SenderProfile implements AutoCloseable {

    private static final String SENDER = "mailer-sender-";
    private static final String DEMO = "io.github.afterresponse.demo.";

    private final Recording recording = new Recording();
    private final Path file;

    private SenderProfile(Path file) {
        this.file = file;
    }

    /** Starts recording. */
    public static SenderProfile start(Path file) {
        SenderProfile profile = new SenderProfile(file);
        Recording r = profile.recording;
        r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
        // Every socket and file operation, without a stack trace (which would cost more than the
        // operation): their thread says enough. Waits for locks from 0.1 ms, with one, to name the
        // place: shorter ones (every idle thread of every pool parks) would cost more than they say.
        for (String event : List.of("jdk.SocketRead", "jdk.SocketWrite", "jdk.FileWrite", "jdk.FileForce")) {
            r.enable(event).withThreshold(Duration.ZERO).withoutStackTrace();
        }
        for (String event : List.of("jdk.JavaMonitorEnter", "jdk.ThreadPark")) {
            r.enable(event).withThreshold(Duration.ofNanos(100_000)).withStackTrace();
        }
        r.start();
        return profile;
    }

    /**
     * Stops recording and summarises it as Markdown.
     *
     * @param senderWallNanos the sending threads' wall time together (threads × run time)
     * @param messages messages the campaign sent
     */
    public String stopAndSummarise(long senderWallNanos, long messages) throws IOException {
        recording.stop();
        recording.dump(file);
        Map<String, long[]> waits = new LinkedHashMap<>(); // category -> {nanos, count}
        Map<String, Integer> cpu = new TreeMap<>();
        int cpuSamples = 0;
        long allFileForces = 0;
        long allFileWrites = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            String type = event.getEventType().getName();
            if (type.equals("jdk.FileForce")) {
                allFileForces++;
            }
            if (type.equals("jdk.FileWrite")) {
                allFileWrites++;
            }
            RecordedThread thread = type.equals("jdk.ExecutionSample") ? event.getThread("sampledThread") : event.getThread();
            if (thread == null || thread.getJavaName() == null || !thread.getJavaName().startsWith(SENDER)) {
                continue;
            }
            switch (type) {
                case "jdk.ExecutionSample" -> {
                    cpu.merge(underMailerMethod(event), 1, Integer::sum);
                    cpuSamples++;
                }
                case "jdk.SocketRead" -> add(waits, "socket reads: waiting for the SMTP server's replies", event);
                case "jdk.SocketWrite" -> add(waits, "socket writes: commands and message to the SMTP server", event);
                case "jdk.FileWrite" -> add(waits, "file writes (H2 storing commits)", event);
                case "jdk.FileForce" -> add(waits, "file forces (fsync)", event);
                case "jdk.JavaMonitorEnter" -> add(waits, "blocked on monitor " + className(event, "monitorClass")
                        + " (in " + underMailerMethod(event) + ")", event);
                case "jdk.ThreadPark" -> add(waits, "parked on " + className(event, "parkedClass")
                        + " (in " + underMailerMethod(event) + ")", event);
                default -> {
                }
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("| sending threads' wall time | ms | share | events | µs per message |\n|---|---:|---:|---:|---:|\n");
        long accounted = 0;
        List<Map.Entry<String, long[]>> sorted = waits.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).toList();
        for (Map.Entry<String, long[]> wait : sorted) {
            long nanos = wait.getValue()[0];
            if (nanos * 1000 < senderWallNanos) {
                continue; // under 0.1 %: left in the rest
            }
            accounted += nanos;
            out.append(row(wait.getKey(), nanos, senderWallNanos, wait.getValue()[1], messages));
        }
        out.append(row("the rest: running or waiting for a CPU", Math.max(0, senderWallNanos - accounted),
                senderWallNanos, -1, messages));
        out.append("\nWhole process during the run: ").append(allFileWrites).append(" file writes, ")
                .append(allFileForces).append(" file forces (fsync) for ").append(messages).append(" messages.\n\n");
        out.append("| CPU samples of the sending threads, under | samples | share |\n|---|---:|---:|\n");
        int samples = cpuSamples;
        cpu.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
                .filter(e -> e.getValue() * 200 >= samples)
                .forEach(e -> out.append(String.format(Locale.ROOT, "| %s | %d | %.0f %% |%n", e.getKey(), e.getValue(),
                        100.0 * e.getValue() / samples)));
        out.append(String.format(Locale.ROOT, "| (all) | %d | 100 %% |%n", samples));
        return out.toString();
    }

    private static String row(String what, long nanos, long total, long count, long messages) {
        return String.format(Locale.ROOT, "| %s | %.0f | %.1f %% | %s | %.0f |%n", what, nanos / 1e6, 100.0 * nanos / total,
                count < 0 ? "" : Long.toString(count), nanos / 1e3 / messages);
    }

    private static void add(Map<String, long[]> waits, String category, RecordedEvent event) {
        long[] sum = waits.computeIfAbsent(category, k -> new long[2]);
        sum[0] += event.getDuration().toNanos();
        sum[1]++;
    }

    private static String className(RecordedEvent event, String field) {
        jdk.jfr.consumer.RecordedClass type = event.getClass(field);
        return type == null ? "?" : type.getName().replaceAll("^.*\\.", "");
    }

    /** The innermost method of the mailer (not of a library, not JDBC plumbing) on the event's stack. */
    private static String underMailerMethod(RecordedEvent event) {
        if (event.getStackTrace() == null) {
            return "(no stack)";
        }
        for (RecordedFrame frame : event.getStackTrace().getFrames()) {
            String type = frame.getMethod().getType().getName();
            // Jdbc and lambdas are plumbing: the method that called them says more.
            if (type.startsWith(DEMO) && !type.startsWith(DEMO + "bench.") && !type.startsWith(DEMO + "store.Jdbc")
                    && !type.contains("$$Lambda") && !frame.getMethod().getName().startsWith("lambda$")) {
                return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
            }
        }
        return "(outside the mailer)";
    }

    @Override
    public void close() throws IOException {
        recording.close();
        Files.deleteIfExists(file);
    }
}
