package io.github.afterresponse.standalone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A standalone Jetty 12.1 from {@code jetty-home}: a fresh {@code jetty.base} made with
 * {@code start.jar --add-modules}, and the server JVM started with the command that
 * {@code start.jar --dry-run} prints (start.jar would otherwise fork a second JVM for the
 * module's JVM options).
 *
 * <p>Modules: {@code ee10-deploy} (the WAR in {@code webapps/}), {@code ee10-annotations} (so the
 * core jar's initializer and {@code @WebServlet} are discovered), {@code http2c},
 * {@code compression-gzip} (12.1 names the {@code gzip} module deprecated), and {@code ext} with
 * SLF4J's {@code System.Logger} bridge in {@code lib/ext}: without it, lines the web application
 * logs through {@code java.util.logging} during the shutdown grace are lost, because the JDK's
 * {@code LogManager} resets its handlers in its own shutdown hook, concurrently with Jetty's.
 */
final class JettyLauncher implements ServerLauncher {

    private static final Duration START_JAR_TIMEOUT = Duration.ofSeconds(60);

    private final String version;

    JettyLauncher(String version) {
        this.version = version;
    }

    @Override
    public List<String> prepare(Path distributions, Path dir, int port) throws IOException {
        Path home = distributions.resolve("jetty-home-" + version).toAbsolutePath();
        if (!Files.isRegularFile(home.resolve("start.jar"))) {
            throw new IOException("no jetty-home " + version + " in " + home + "; run the build (mvn verify), which unpacks it");
        }
        Path base = dir.resolve("base").toAbsolutePath();
        Path tmp = dir.resolve("tmp").toAbsolutePath();
        Files.createDirectories(base);
        Files.createDirectories(tmp);
        if (base.toString().contains(" ") || home.toString().contains(" ")) {
            throw new IOException("paths with spaces are not supported (the --dry-run command is split on spaces): " + base);
        }
        startJar(home, base, dir.resolve("start-jar.log"),
                "--add-modules=server,http,http2c,ee10-deploy,ee10-annotations,compression-gzip,ext");
        Files.createDirectories(base.resolve("lib/ext"));
        Files.copy(distributions.resolve("slf4j-jdk-platform-logging.jar"), base.resolve("lib/ext/slf4j-jdk-platform-logging.jar"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(distributions.resolve("after-response-demo.war"), base.resolve("webapps/after-response-demo.war"),
                StandardCopyOption.REPLACE_EXISTING);

        String dryRun = startJar(home, base, dir.resolve("dry-run.log"), "--dry-run",
                "jetty.http.host=127.0.0.1", "jetty.http.port=" + port).trim();
        List<String> command = new ArrayList<>();
        for (String part : dryRun.split("\\s+")) {
            // start.jar puts the JVM's temporary directory in /tmp; keep everything under target/.
            command.add(part.startsWith("-Djava.io.tmpdir=") ? "-Djava.io.tmpdir=" + tmp : part);
        }
        if (command.isEmpty() || !command.get(0).endsWith("java")) {
            throw new IOException("start.jar --dry-run printed no java command: " + dryRun);
        }
        return command;
    }

    /** Runs start.jar to its end and returns what it printed on stdout. */
    private static String startJar(Path home, Path base, Path log, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(ServerLauncher.java(), "-jar", home.resolve("start.jar").toString(),
                "jetty.home=" + home, "jetty.base=" + base));
        command.addAll(List.of(arguments));
        Path out = Files.createTempFile(log.getParent(), "start-jar", ".out");
        Process process = new ProcessBuilder(command).directory(base.toFile())
                .redirectOutput(out.toFile()).redirectError(log.toFile()).start();
        try {
            if (!process.waitFor(START_JAR_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("start.jar " + List.of(arguments) + " did not end within " + START_JAR_TIMEOUT);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String printed = Files.readString(out, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException("start.jar " + List.of(arguments) + " exited " + process.exitValue() + ": "
                    + printed + Files.readString(log, StandardCharsets.UTF_8));
        }
        return printed;
    }
}
