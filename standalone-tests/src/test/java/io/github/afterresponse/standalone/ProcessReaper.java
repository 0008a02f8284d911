package io.github.afterresponse.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The last resort, so that no server process outlives the tests: a JVM shutdown hook kills every
 * server still registered (an interrupted run included), and, for a test JVM that was killed
 * outright (SIGKILL, where no hook runs), every server is also recorded in
 * {@code target/standalone/pids/} by PID and start time, and the next run stops the ones still
 * alive before it starts its own. Normal runs stop their servers themselves, by PID, and
 * unregister them.
 */
final class ProcessReaper {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final Path PIDS = Path.of("target", "standalone", "pids").toAbsolutePath();

    static {
        reapLeftovers();
        Runtime.getRuntime().addShutdownHook(new Thread(ProcessReaper::killAll, "standalone-server-reaper"));
    }

    private ProcessReaper() {
    }

    static void register(Process process) {
        LIVE.add(process);
        try {
            Files.createDirectories(PIDS);
            Files.writeString(PIDS.resolve(Long.toString(process.pid())),
                    process.info().startInstant().map(Instant::toString).orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record server PID " + process.pid(), e);
        }
    }

    static void unregister(Process process) {
        LIVE.remove(process);
        try {
            Files.deleteIfExists(PIDS.resolve(Long.toString(process.pid())));
        } catch (IOException e) {
            // The next run finds the file, sees that process gone (or another one), and drops it.
        }
    }

    /**
     * Stops the servers a killed earlier run left behind: a recorded PID whose process is alive
     * and started at the recorded instant (so a reused PID is never touched).
     */
    private static void reapLeftovers() {
        if (!Files.isDirectory(PIDS)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(PIDS)) {
            for (Path file : files) {
                String started = Files.readString(file).strip();
                Optional<ProcessHandle> handle = ProcessHandle.of(Long.parseLong(file.getFileName().toString()));
                handle.filter(ProcessHandle::isAlive)
                        .filter(h -> !started.isEmpty() && h.info().startInstant().map(Instant::toString)
                                .filter(started::equals).isPresent())
                        .ifPresent(ProcessReaper::stop);
                Files.deleteIfExists(file);
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read the server PIDs of an earlier run in " + PIDS, e);
        }
    }

    private static void stop(ProcessHandle leftover) {
        System.err.println("standalone-tests: stopping server PID " + leftover.pid() + " left by an earlier run");
        leftover.destroy();
        try {
            leftover.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            leftover.destroyForcibly();
        }
    }

    private static void killAll() {
        for (Process process : LIVE) {
            process.destroy();
        }
        for (Process process : LIVE) {
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        }
    }
}
