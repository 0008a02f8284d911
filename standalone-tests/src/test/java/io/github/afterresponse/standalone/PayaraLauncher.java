package io.github.afterresponse.standalone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Payara Micro 6 ({@code fish.payara.extras:payara-micro}), {@code java -jar payara-micro.jar
 * --deploy}, which runs in the JVM it is started in. Its root directory is fresh under
 * {@code target/}.
 *
 * <p>{@code --nohazelcast}, not {@code --nocluster}: since Payara 6 (FISH-372) {@code --nocluster}
 * only stops the data grid from joining others, and Hazelcast still listens on {@code *:6900}
 * (seen here). The HTTP listener is bound to loopback, and compression switched on, by pre-boot
 * commands, which run before the listener starts; Payara Micro has no command-line option for
 * either.
 *
 * <p>{@code -Dafter-response-demo.stdout=true}: the WAR's completion lines also go to standard
 * output. At SIGTERM the JDK's {@code LogManager} resets all {@code java.util.logging} handlers in
 * its own shutdown hook while Payara's hook ({@code gf.stop()}) is still stopping the application
 * and the filters' grace runs; the callbacks run (the process takes the 5 s grace to exit) but the
 * lines they log are lost. Payara's hook re-adds a console handler to its own logger only.
 */
final class PayaraLauncher implements ServerLauncher {

    private static final String PREBOOT = """
            set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1
            set configs.config.server-config.network-config.protocols.protocol.http-listener.http.http2-enabled=true
            set configs.config.server-config.network-config.protocols.protocol.http-listener.http.compression=on
            set configs.config.server-config.network-config.protocols.protocol.http-listener.http.compressable-mime-type=text/plain,text/html,application/json
            set configs.config.server-config.network-config.protocols.protocol.http-listener.http.compression-min-size-bytes=16
            """;

    @Override
    public List<String> prepare(Path distributions, Path dir, int port) throws IOException {
        Path jar = distributions.resolve("payara-micro.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IOException("no " + jar + "; run the build (mvn verify), which copies it");
        }
        Path preboot = dir.resolve("preboot-commands.txt");
        Files.writeString(preboot, PREBOOT);
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        return List.of(ServerLauncher.java(), "-Xmx768m", "-Djava.io.tmpdir=" + tmp, "-Dafter-response-demo.stdout=true",
                "-jar", jar.toString(),
                "--nohazelcast",
                "--nohostaware",
                "--port", Integer.toString(port),
                "--rootdir", dir.resolve("root").toString(),
                "--prebootcommandfile", preboot.toString(),
                "--deploy", distributions.resolve("after-response-demo.war").toString());
    }

    @Override
    public Duration startTimeout() {
        return Duration.ofSeconds(120);
    }
}
