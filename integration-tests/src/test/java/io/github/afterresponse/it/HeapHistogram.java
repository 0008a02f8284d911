package io.github.afterresponse.it;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * A histogram of the live objects in this JVM, by class, as {@code jcmd GC.class_histogram} prints
 * it; taking it runs a full collection first, so only reachable objects count. The embedded
 * containers run in the test's JVM, so their objects are in it.
 */
final class HeapHistogram {

    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    /** Instances and bytes of one class. */
    record Row(long instances, long bytes) {
    }

    private final Map<String, Row> rows;
    private final long totalBytes;

    private HeapHistogram(Map<String, Row> rows) {
        this.rows = rows;
        this.totalBytes = rows.values().stream().mapToLong(Row::bytes).sum();
    }

    /**
     * Takes the histogram of the live objects now (after a full GC) into a file, so that one taken
     * earlier is not itself in the heap when the next one is taken.
     */
    static void take(Path file) throws Exception {
        String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Files.writeString(file, text);
    }

    /** A histogram {@link #take taken} into a file. */
    static HeapHistogram read(Path file) throws IOException {
        String text = Files.readString(file);
        Map<String, Row> rows = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                rows.merge(row.group(3), new Row(Long.parseLong(row.group(1)), Long.parseLong(row.group(2))),
                        (a, b) -> new Row(a.instances() + b.instances(), a.bytes() + b.bytes()));
            }
        }
        return new HeapHistogram(rows);
    }

    long totalBytes() {
        return totalBytes;
    }

    /** Per class, what this histogram has more than {@code before}. */
    Map<String, Row> growthSince(HeapHistogram before) {
        Map<String, Row> growth = new HashMap<>();
        rows.forEach((name, row) -> {
            Row old = before.rows.getOrDefault(name, new Row(0, 0));
            growth.put(name, new Row(row.instances() - old.instances(), row.bytes() - old.bytes()));
        });
        return growth;
    }
}
