package io.github.afterresponse.standalone;

import io.github.afterresponse.testkit.RawHttpClient;
import io.github.afterresponse.testkit.RawResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One standalone server process with the WAR deployed: started in a fresh directory under
 * {@code target/standalone/}, on a free loopback port, its stdout and stderr in {@code server.log}
 * there; ready once the status page answers 200 (a bounded poll, failing at once if the process
 * dies). Stopped by PID: SIGTERM, then a forced kill after a bound. Closing it stops it.
 */
final class StandaloneServer implements AutoCloseable {

    /** How long a server may take to exit after SIGTERM before it is killed. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private static final System.Logger LOG = System.getLogger(StandaloneServer.class.getName());
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final ServerKind kind;
    private final ServerLauncher launcher;
    private final Process process;
    private final int port;
    private final Path log;
    private final Duration startTime;

    private StandaloneServer(ServerKind kind, ServerLauncher launcher, Process process, int port, Path log, Duration startTime) {
        this.kind = kind;
        this.launcher = launcher;
        this.process = process;
        this.port = port;
        this.log = log;
        this.startTime = startTime;
    }

    /**
     * Lays out a fresh server of this kind, starts it and waits until the WAR answers.
     *
     * @param label distinguishes several starts of one kind in one run (their directories)
     * @throws IOException if it cannot be laid out, does not start, or dies while starting; the
     *     process is stopped then, and the message holds the end of its log
     */
    static StandaloneServer start(ServerKind kind, String label) throws IOException {
        long begin = System.nanoTime();
        Path distributions = Path.of(System.getProperty("standalone.servers", "target/servers")).toAbsolutePath();
        Path dir = distributions.resolveSibling("standalone").resolve(kind.id() + "-" + label);
        deleteRecursively(dir);
        Files.createDirectories(dir);
        ServerLauncher launcher = kind.launcher();
        int port = FreePort.onLoopback();
        List<String> command = launcher.prepare(distributions, dir, port);
        Path log = dir.resolve("server.log");
        Files.writeString(log, String.join(" ", command) + System.lineSeparator());
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        ProcessReaper.register(process);
        StandaloneServer server = new StandaloneServer(kind, launcher, process, port, log, Duration.ZERO);
        try {
            server.awaitReady(launcher.startTimeout());
        } catch (IOException | RuntimeException e) {
            server.close();
            throw new IOException(kind + " did not become ready: " + e.getMessage() + "\n--- end of " + log + " ---\n"
                    + server.logTail(60), e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - begin);
        LOG.log(Level.INFO, "{0} (pid {1}) ready on 127.0.0.1:{2} in {3} ms; log {4}",
                kind, process.pid(), port, took.toMillis(), log);
        return new StandaloneServer(kind, launcher, process, port, log, took);
    }

    private void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the process exited with " + process.exitValue());
            }
            try {
                RawResponse response = RawHttpClient.get(port, path("/status.json"));
                if (response.statusCode() == 200) {
                    return;
                }
                last = "status " + response.statusCode();
            } catch (IOException e) {
                last = e.toString();
            }
            try {
                // Polling the readiness URL, not synchronising on time: the loop ends on the answer.
                process.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the server", e);
            }
        }
        throw new IOException("no 200 from " + path("/status.json") + " within " + timeout + " (last: " + last + ")");
    }

    ServerKind kind() {
        return kind;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** The time from laying the server out to its first 200. */
    Duration startTime() {
        return startTime;
    }

    /** The request path of a path inside the WAR: {@code /after-response-demo/status.json}. */
    String path(String inWar) {
        return launcher.contextPath() + inWar;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the server wrote so far. */
    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path logFile() {
        return log;
    }

    private String logTail(int lines) {
        List<String> all = logText().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /**
     * Sends SIGTERM and waits for the process to exit; kills it if it has not after {@code timeout}.
     *
     * @return whether it exited by itself within the timeout
     */
    boolean terminate(Duration timeout) {
        process.destroy(); // SIGTERM: the server's own shutdown hook stops it gracefully
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            LOG.log(Level.WARNING, "{0} (pid {1}) still running {2} after SIGTERM: killing it", kind, process.pid(), timeout);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            return false;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (!process.isAlive()) {
                ProcessReaper.unregister(process);
            }
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            terminate(STOP_TIMEOUT);
        } else {
            ProcessReaper.unregister(process);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }

    @Override
    public String toString() {
        return kind.toString();
    }
}
