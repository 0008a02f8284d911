package io.github.afterresponse.bench;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one path of the {@link SweepServer} counted: the background work it started, ran and
 * called back, how long each piece of work waited for its thread (the <em>hand-off</em>: from the
 * servlet registering it to its first line running), and, when tracing is on, the <em>gap</em>
 * between two requests on one kept-alive connection as the server sees it (from the servlet
 * returning for one request to the servlet being entered for the next, which covers sending the
 * response, anything the container does before it reads the next request, and the client's turn).
 */
final class Probe {

    private final String name;
    final LongAdder started = new LongAdder();
    final LongAdder runs = new LongAdder();
    final LongAdder callbacks = new LongAdder();
    final Histogram handOff = new Histogram();
    final Histogram gaps = new Histogram();
    /** Remote port of a kept-alive connection → when the servlet last returned on it; null: no tracing. */
    private final ConcurrentHashMap<Integer, Long> lastExit;

    Probe(String name, boolean traceGaps) {
        this.name = name;
        this.lastExit = traceGaps ? new ConcurrentHashMap<>() : null;
    }

    String name() {
        return name;
    }

    /** Background work not yet ended: started and not run (for the hand-rolled executor, which has no monitor). */
    long inFlight() {
        return started.sum() - runs.sum();
    }

    /** The servlet is entered for a request on the connection from {@code remotePort}. */
    void entered(int remotePort, long now) {
        if (lastExit != null) {
            Long previous = lastExit.get(remotePort);
            if (previous != null) {
                gaps.record(now - previous);
            }
        }
    }

    /** The servlet returns for a request on the connection from {@code remotePort}. */
    void exited(int remotePort) {
        if (lastExit != null) {
            lastExit.put(remotePort, System.nanoTime());
        }
    }

    boolean tracesGaps() {
        return lastExit != null;
    }

    /** Clears the histograms (not the counters), so that the next measured run starts from nothing. */
    void resetHistograms() {
        handOff.reset();
        gaps.reset();
        if (lastExit != null) {
            lastExit.clear(); // the next run's connections have other ports; stale entries would make huge gaps
        }
    }
}
