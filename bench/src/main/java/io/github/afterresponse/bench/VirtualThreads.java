package io.github.afterresponse.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code Executors.newVirtualThreadPerTaskExecutor()}, reached by reflection: the bench module is
 * compiled for Java 17, and the benchmark runs it on Java 21+ where virtual threads exist.
 */
final class VirtualThreads {

    private VirtualThreads() {
    }

    /** Whether this JVM has virtual threads (Java 21+). */
    static boolean available() {
        try {
            Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /**
     * A new virtual-thread-per-task executor.
     *
     * @throws IllegalStateException on Java &lt; 21
     */
    static ExecutorService newPerTaskExecutor() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("virtual threads need Java 21 or later; this is Java "
                    + Runtime.version() + " (run the sweep with JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java)", e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Executors.newVirtualThreadPerTaskExecutor() failed", e);
        }
    }
}
