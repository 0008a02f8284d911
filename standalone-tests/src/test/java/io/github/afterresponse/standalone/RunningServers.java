package io.github.afterresponse.standalone;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The servers of one test class: each kind started once, on first use, and kept for the class;
 * a kind that failed to start fails each of its tests with the same cause, without another try.
 * {@link #close()} stops those still running (by PID), and prints how long each kind took.
 */
final class RunningServers implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RunningServers.class.getName());

    private final String label;
    private final Map<ServerKind, StandaloneServer> started = new EnumMap<>(ServerKind.class);
    private final Map<ServerKind, IOException> failed = new EnumMap<>(ServerKind.class);
    private final Map<ServerKind, Long> firstUse = new EnumMap<>(ServerKind.class);
    private final Map<ServerKind, Long> lastUse = new EnumMap<>(ServerKind.class);

    RunningServers(String label) {
        this.label = label;
    }

    /** The running server of this kind, started now if it is the first use. */
    synchronized StandaloneServer get(ServerKind kind) throws IOException {
        firstUse.putIfAbsent(kind, System.nanoTime());
        lastUse.put(kind, System.nanoTime());
        IOException failure = failed.get(kind);
        if (failure != null) {
            throw new IOException(kind + " failed to start earlier in this class", failure);
        }
        StandaloneServer server = started.get(kind);
        if (server == null) {
            try {
                server = StandaloneServer.start(kind, label);
            } catch (IOException e) {
                failed.put(kind, e);
                throw e;
            }
            started.put(kind, server);
        }
        return server;
    }

    /** Notes that a test of this kind ended, for the time reported per server. */
    synchronized void used(ServerKind kind) {
        lastUse.put(kind, System.nanoTime());
    }

    @Override
    public synchronized void close() {
        for (StandaloneServer server : started.values()) {
            server.close();
        }
        for (Map.Entry<ServerKind, Long> first : firstUse.entrySet()) {
            StandaloneServer server = started.get(first.getKey());
            LOG.log(Level.INFO, "{0} [{1}]: start {2} ms, start to last test {3} ms", first.getKey(), label,
                    server == null ? "failed" : Long.toString(server.startTime().toMillis()),
                    Duration.ofNanos(lastUse.get(first.getKey()) - first.getValue()).toMillis());
        }
        started.clear();
    }
}
