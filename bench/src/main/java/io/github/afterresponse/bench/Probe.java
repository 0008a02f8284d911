package io.github.afterresponse.bench;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one path of the {@link SweepServer} counted: the background work it started, ran and
 * called back, and how long each piece of work waited for its thread (the <em>hand-off</em>: from
 * the servlet registering it to its first line running).
 *
 * <p>With tracing on ({@code --trace-gaps}), also per kept-alive connection (told apart by the
 * client's port): the <em>gap</em> between two requests as the server sees it, from the servlet
 * returning for one request to the servlet entered for the next (sending the response, whatever
 * the container does before it reads the next request, and the client's turn); and whether the
 * next request was entered before or after the previous request's work had begun
 * ({@link #overtook} / {@link #followed}) with, when after, how long after ({@link #afterWork}).
 * If the next request never enters before the previous work has begun, the connection waits
 * for the hand-off.
 */
final class Probe {

    /** One kept-alive connection's last request (HTTP/1.1 without pipelining: one at a time). */
    static final class Connection {
        volatile long sequence;
        volatile long exitNanos;
        /** Sequence number of the last request whose work has begun, and when. */
        volatile long workSequence = -1;
        volatile long workNanos;
        /** The thread that served the connection's last request (its id). */
        volatile long threadId = -1;
    }

    private final String name;
    final LongAdder started = new LongAdder();
    final LongAdder runs = new LongAdder();
    final LongAdder callbacks = new LongAdder();
    final Histogram handOff = new Histogram();
    final Histogram gaps = new Histogram();
    final Histogram afterWork = new Histogram();
    /** How long {@code AsyncContext.complete()} took on the started runnable's thread ({@code /asyncstart}). */
    final Histogram completeCall = new Histogram();
    final LongAdder overtook = new LongAdder();
    final LongAdder followed = new LongAdder();
    /** Requests whose stack was looked at (1 in {@link #SAMPLE}), and of those, how many ran inside earlier work. */
    final LongAdder sampled = new LongAdder();
    final LongAdder insideWork = new LongAdder();
    /** Requests served by the same thread as the previous request on their connection. */
    final LongAdder sameThread = new LongAdder();
    static final int SAMPLE = 64;
    /** Remote port → connection; null: no tracing. */
    private final ConcurrentHashMap<Integer, Connection> connections;

    Probe(String name, boolean traceGaps) {
        this.name = name;
        this.connections = traceGaps ? new ConcurrentHashMap<>() : null;
    }

    String name() {
        return name;
    }

    /** Background work not yet ended: started and not run (for the paths without a filter's monitor). */
    long inFlight() {
        return started.sum() - runs.sum();
    }

    boolean tracesGaps() {
        return connections != null;
    }

    /**
     * The servlet is entered for a request on the connection from {@code remotePort}: records the
     * gap since the previous request on it, and whether that request's work had begun.
     *
     * @return the connection, whose {@link Connection#sequence} is now this request's; null when not tracing
     */
    Connection entered(int remotePort, long now) {
        if (connections == null) {
            return null;
        }
        Connection connection = connections.computeIfAbsent(remotePort, port -> new Connection());
        long previous = connection.sequence;
        if (previous > 0) {
            gaps.record(now - connection.exitNanos);
            if (connection.workSequence >= previous) {
                followed.increment();
                afterWork.record(now - connection.workNanos);
            } else if (started.sum() > 0) {
                overtook.increment();
            }
        }
        long thread = Thread.currentThread().getId(); // threadId() is Java 19+
        if (previous > 0 && connection.threadId == thread) {
            sameThread.increment();
        }
        connection.threadId = thread;
        connection.sequence = previous + 1;
        if (connection.sequence % SAMPLE == 0) {
            sampled.increment();
            if (insideWork()) {
                insideWork.increment();
            }
        }
        return connection;
    }

    /**
     * Whether this request is served by a thread that is inside the background work of an earlier
     * one: inside the toolkit's job (which completes the asynchronous context before the tasks run)
     * or inside a runnable given to {@code AsyncContext.start}. That is, whether the container went
     * on with the connection's next request within {@code AsyncContext.complete()}.
     */
    private static boolean insideWork() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(frame ->
                frame.getClassName().equals("io.github.afterresponse.internal.BackgroundJob")
                        || frame.getClassName().equals("org.eclipse.jetty.ee10.servlet.AsyncContextState")));
    }

    /** The work of request {@code sequence} on {@code connection} begins (null connection: not tracing). */
    static void workBegins(Connection connection, long sequence, long now) {
        if (connection != null) {
            connection.workNanos = now;
            connection.workSequence = sequence;
        }
    }

    /** The servlet returns for the request on {@code connection}. */
    static void exited(Connection connection) {
        if (connection != null) {
            connection.exitNanos = System.nanoTime();
        }
    }

    /** Clears the histograms and trace counters (not the work counters) before a measured run. */
    void resetHistograms() {
        handOff.reset();
        gaps.reset();
        afterWork.reset();
        completeCall.reset();
        overtook.reset();
        followed.reset();
        sampled.reset();
        insideWork.reset();
        sameThread.reset();
        if (connections != null) {
            connections.clear(); // the next run's connections have other ports
        }
    }
}
