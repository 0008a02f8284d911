package io.github.afterresponse.standalone;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * How one kind of standalone server is laid out and started: a fresh directory of its own, the
 * WAR deployed in it, and the command that runs the server JVM itself (no launcher script that
 * forks, so the process started is the one to stop).
 */
interface ServerLauncher {

    /**
     * Prepares a fresh base in {@code dir} with the WAR deployed, listening on
     * {@code 127.0.0.1:port} only, and returns the command of the server JVM.
     *
     * @param distributions where the build unpacked the servers and copied the WAR
     *     ({@code target/servers})
     */
    List<String> prepare(Path distributions, Path dir, int port) throws IOException;

    /** The context path the WAR is deployed under. */
    default String contextPath() {
        return "/after-response-demo";
    }

    /** How long the server may take to deploy the WAR and answer. */
    default java.time.Duration startTimeout() {
        return java.time.Duration.ofSeconds(60);
    }

    /** The {@code java} of the JVM running the tests. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
