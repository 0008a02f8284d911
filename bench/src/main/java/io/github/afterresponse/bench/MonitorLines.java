package io.github.afterresponse.bench;

import io.github.afterresponse.AfterResponseMonitor;
import java.io.PrintWriter;

/**
 * A filter's monitor counters as {@code prefix.key=value} lines, for the benchmark servers'
 * {@code /stats} paths, which the scripts read by key. Lines end in LF whatever the container
 * (Undertow's writer ends {@code println} with CRLF).
 */
final class MonitorLines {

    private MonitorLines() {}

    static void write(PrintWriter out, String prefix, AfterResponseMonitor monitor) {
        line(out, prefix + ".accepted=" + monitor.accepted());
        line(out, prefix + ".rejected=" + monitor.rejected());
        line(out, prefix + ".completed=" + monitor.completed());
        line(out, prefix + ".failed=" + monitor.failed());
        line(out, prefix + ".cancelled=" + monitor.cancelled());
        line(out, prefix + ".aborted=" + monitor.aborted());
        line(out, prefix + ".timedOut=" + monitor.timedOut());
        line(out, prefix + ".shutDown=" + monitor.shutDown());
        line(out, prefix + ".running=" + monitor.running());
        line(out, prefix + ".queued=" + monitor.queued());
    }

    /** One line ending in LF. */
    static void line(PrintWriter out, String text) {
        out.print(text);
        out.print('\n');
    }
}
