package io.github.afterresponse.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runnable jar ({@code target/after-response-jetty-demo.jar}) as a child process of the test,
 * with the {@code java} of {@code java.home}. Its output (stderr merged into stdout) is read on a
 * thread of its own, kept line by line, and echoed to the test's output with a prefix.
 *
 * <p>It is stopped by its handle only: {@link #terminate} sends SIGTERM through {@link
 * ProcessHandle#destroy()} and {@link #kill} SIGKILL through {@link
 * ProcessHandle#destroyForcibly()}. {@link Process#destroy()} would also close the pipe, and the
 * last lines the process writes while it stops would be lost. {@link #close} kills what still runs.
 */
final class MailerProcess implements AutoCloseable {

    static final Path JAR = Path.of("target/after-response-jetty-demo.jar");
    private static final Pattern URL = Pattern.compile("Bulk mailer: (http://127\\.0\\.0\\.1:(\\d+)/)");

    private final String name;
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final CompletableFuture<URI> url = new CompletableFuture<>();
    private final Thread reader;

    private MailerProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.reader = new Thread(this::read, name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code java -jar} with these arguments; does not wait for anything. */
    static MailerProcess start(String name, String... arguments) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " must exist (built by the package phase), but does not");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new MailerProcess(name, process);
    }

    /** Waits for the start-up line and returns the base URL it names. */
    URI awaitUrl(Duration atMost) throws Exception {
        try {
            return url.get(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(name + " did not print its URL within " + atMost + "; its output:\n" + output(), e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause().getMessage(), e.getCause());
        }
    }

    /** Sends SIGTERM and waits for the exit; returns how long the process took to exit. */
    Duration terminate(Duration atMost) throws InterruptedException {
        long start = System.nanoTime();
        process.toHandle().destroy();
        return awaitExit(start, atMost, "SIGTERM");
    }

    /** Sends SIGKILL and waits for the exit; returns how long that took. */
    Duration kill(Duration atMost) throws InterruptedException {
        long start = System.nanoTime();
        process.toHandle().destroyForcibly();
        return awaitExit(start, atMost, "SIGKILL");
    }

    /** Waits for the process to exit by itself (as with a bad option); returns its exit code. */
    int awaitExitCode(Duration atMost) throws InterruptedException {
        awaitExit(System.nanoTime(), atMost, "its own exit");
        return process.exitValue();
    }

    private Duration awaitExit(long start, Duration atMost, String what) throws InterruptedException {
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " did not exit within " + atMost + " of " + what + "; its output:\n" + output());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // After the exit the pipe ends soon: every line it wrote is read once the reader is done.
        reader.join(TimeUnit.SECONDS.toMillis(10));
        return took;
    }

    int exitValue() {
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    /**
     * The process's threads as {@code jcmd <pid> Thread.print} prints them (the JDK's own tool, next
     * to the {@code java} that started it), for the message of a test that waited in vain; a line
     * saying why if it could not be had within 20 s.
     */
    String threadDump() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
                    .redirectErrorStream(true).start();
            CompletableFuture<String> text = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "(reading jcmd's output failed: " + e + ")";
                }
            });
            if (!dump.waitFor(20, TimeUnit.SECONDS)) {
                dump.destroyForcibly();
                return "(jcmd " + process.pid() + " Thread.print did not end within 20 s)";
            }
            return text.get(5, TimeUnit.SECONDS);
        } catch (IOException | ExecutionException | TimeoutException e) {
            return "(no thread dump of " + name + ": " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(no thread dump of " + name + ": interrupted)";
        }
    }

    /** The lines printed so far. */
    List<String> lines() {
        return List.copyOf(lines);
    }

    /** The first line printed so far that matches, if any. */
    Optional<Matcher> line(Pattern pattern) {
        for (String line : lines) {
            Matcher matcher = pattern.matcher(line);
            if (matcher.find()) {
                return Optional.of(matcher);
            }
        }
        return Optional.empty();
    }

    /** Every line printed so far, for failure messages. */
    String output() {
        return String.join("\n", lines);
    }

    private void read() {
        try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = output.readLine()) != null; ) {
                lines.add(line);
                System.out.println("[" + name + "] " + line);
                Matcher matcher = URL.matcher(line);
                if (matcher.find()) {
                    url.complete(URI.create(matcher.group(1)));
                }
            }
        } catch (IOException e) {
            lines.add("(reading the output failed: " + e + ")");
        } finally {
            url.completeExceptionally(new IllegalStateException(name + " ended its output without printing its URL:\n" + output()));
        }
    }

    /** Kills the process if it still runs, and waits (bounded) for it to be gone. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.toHandle().destroyForcibly();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + process.pid() + ") is still alive 20 s after SIGKILL");
            }
        }
    }
}
