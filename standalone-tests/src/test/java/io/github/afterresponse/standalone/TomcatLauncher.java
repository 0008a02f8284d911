package io.github.afterresponse.standalone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * A standalone Tomcat from the {@code org.apache.tomcat:tomcat} zip: a fresh {@code CATALINA_BASE}
 * (the distribution's {@code conf/} with our {@code server.xml}) and the Bootstrap class started
 * directly, as {@code catalina.sh run} would, but without the script, which forks.
 *
 * <p>{@code server.xml} takes the port from a system property, binds to loopback, has no shutdown
 * port ({@code -1}: SIGTERM runs Catalina's shutdown hook, the only way to stop it), speaks h2c
 * (upgrade and prior knowledge) through {@code Http2Protocol}, and compresses text with gzip.
 */
final class TomcatLauncher implements ServerLauncher {

    static final String PORT_PROPERTY = "after-response.port";

    private static final String SERVER_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- Written by the standalone tests: loopback only, no shutdown port, h2c, gzip. -->
            <Server port="-1" shutdown="SHUTDOWN">
              <Listener className="org.apache.catalina.startup.VersionLoggerListener"/>
              <Service name="Catalina">
                <Connector port="${after-response.port}" address="127.0.0.1" protocol="HTTP/1.1"
                           connectionTimeout="20000"
                           compression="on" compressionMinSize="16"
                           compressibleMimeType="text/plain,text/html,application/json">
                  <UpgradeProtocol className="org.apache.coyote.http2.Http2Protocol"
                                   compression="on" compressionMinSize="16"
                                   compressibleMimeType="text/plain,text/html,application/json"/>
                </Connector>
                <Engine name="Catalina" defaultHost="localhost">
                  <Host name="localhost" appBase="webapps" unpackWARs="true" autoDeploy="false"
                        deployOnStartup="true"/>
                </Engine>
              </Service>
            </Server>
            """;

    private final String version;

    TomcatLauncher(String version) {
        this.version = version;
    }

    @Override
    public List<String> prepare(Path distributions, Path base, int port) throws IOException {
        Path home = distributions.resolve("apache-tomcat-" + version);
        if (!Files.isRegularFile(home.resolve("bin/bootstrap.jar"))) {
            throw new IOException("no Tomcat " + version + " in " + home + "; run the build (mvn verify), which unpacks it");
        }
        Files.createDirectories(base.resolve("conf"));
        try (Stream<Path> files = Files.list(home.resolve("conf"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    Files.copy(file, base.resolve("conf").resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.writeString(base.resolve("conf/server.xml"), SERVER_XML);
        for (String dir : List.of("logs", "temp", "webapps", "work")) {
            Files.createDirectories(base.resolve(dir));
        }
        Files.copy(distributions.resolve("after-response-demo.war"), base.resolve("webapps/after-response-demo.war"),
                StandardCopyOption.REPLACE_EXISTING);
        return List.of(ServerLauncher.java(), "-Xmx512m",
                // What catalina.sh adds on Java 9+, so Tomcat's leak prevention can do its work.
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "--add-opens=java.rmi/sun.rmi.transport=ALL-UNNAMED",
                // JULI keeps the log handlers until Catalina's shutdown hook has stopped the web
                // application, so lines written during the shutdown grace are kept.
                "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
                "-Djava.util.logging.config.file=" + base.resolve("conf/logging.properties"),
                "-Dcatalina.home=" + home,
                "-Dcatalina.base=" + base,
                "-Djava.io.tmpdir=" + base.resolve("temp"),
                "-D" + PORT_PROPERTY + "=" + port,
                "-cp", home.resolve("bin/bootstrap.jar") + java.io.File.pathSeparator + home.resolve("bin/tomcat-juli.jar"),
                "org.apache.catalina.startup.Bootstrap", "start");
    }
}
