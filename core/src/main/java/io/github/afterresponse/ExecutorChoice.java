package io.github.afterresponse;

import java.util.Objects;
import java.util.concurrent.Executor;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * Which threads run the background work of an {@link AfterResponseFilter}. Whatever the choice, at
 * most {@link AfterResponseConfig#maxRunning()} exchanges run at once (admission) — on platform threads
 * at most {@link AfterResponseConfig#threads()} of them, the others waiting queued — each on one
 * thread that carries the web application's context class loader while the work runs.
 *
 * <table>
 *   <caption>Choices</caption>
 *   <tr><th>init-param {@code executor}</th><th>factory</th><th>threads</th></tr>
 *   <tr><td>{@code container} (default)</td><td>{@link #container()}</td><td>the container's request
 *       pool, through {@code AsyncContext.start} (Jetty {@code qtp…}, Tomcat {@code http-nio-…-exec},
 *       Undertow {@code XNIO-…task}); the cap keeps it from taking every request thread</td></tr>
 *   <tr><td>{@code dedicated}</td><td>{@link #dedicated()}</td><td>threads owned by the filter, started
 *       by {@code init} and stopped by {@code destroy}: {@code virtual} on Java 21 and later,
 *       otherwise {@code platform}</td></tr>
 *   <tr><td>{@code virtual}</td><td>{@link #virtualThreads()}</td><td>a virtual thread per exchange,
 *       named {@code after-response-<filter>-<n>}; the filter fails to start before Java 21</td></tr>
 *   <tr><td>{@code platform}</td><td>{@link #platformThreads()}</td><td>a pool of
 *       {@link AfterResponseConfig#threads()} platform threads, started as needed and let go after a
 *       minute idle, named {@code after-response-<filter>-<n>}</td></tr>
 *   <tr><td>{@code jndi:<name>}</td><td>{@link #jndi(String)}</td><td>an {@link Executor} looked up
 *       by JNDI name when the filter starts, typically a Jakarta Concurrency
 *       {@code ManagedExecutorService} such as {@code java:comp/DefaultManagedExecutorService}; the
 *       server owns it</td></tr>
 *   <tr><td>(programmatic only)</td><td>{@link #of(Executor)}</td><td>an executor of the
 *       application's; the application owns it</td></tr>
 * </table>
 *
 * <p>A sealed type: each choice is a record, so code that needs to tell them apart can.
 */
public sealed interface ExecutorChoice
        permits ExecutorChoice.Container, ExecutorChoice.Dedicated, ExecutorChoice.Virtual, ExecutorChoice.Platform,
                ExecutorChoice.Jndi, ExecutorChoice.Given {

    /** The container's request pool (the default). */
    static ExecutorChoice container() {
        return Container.INSTANCE;
    }

    /** Threads owned by the filter's lifecycle: virtual threads on Java 21+, platform threads before. */
    static ExecutorChoice dedicated() {
        return Dedicated.INSTANCE;
    }

    /** A virtual thread per exchange, owned by the filter; the filter fails to start before Java 21. */
    static ExecutorChoice virtualThreads() {
        return Virtual.INSTANCE;
    }

    /** A pool of {@link AfterResponseConfig#threads()} platform threads, owned by the filter. */
    static ExecutorChoice platformThreads() {
        return Platform.INSTANCE;
    }

    /**
     * An executor looked up by JNDI name when the filter starts; the filter fails to start if the
     * name is not bound to an {@link Executor}.
     *
     * @throws IllegalArgumentException if the name is blank
     */
    static ExecutorChoice jndi(String name) {
        return new Jndi(name);
    }

    /** An executor of the application's; the filter never shuts it down. */
    static ExecutorChoice of(Executor executor) {
        return new Given(executor);
    }

    /** The container's request pool, through {@code AsyncContext.start}; init-param {@code container}. */
    record Container() implements ExecutorChoice {
        private static final Container INSTANCE = new Container();

        @Override
        public String toString() {
            return "container";
        }
    }

    /** Threads owned by the filter, virtual on Java 21+ and platform before; init-param {@code dedicated}. */
    record Dedicated() implements ExecutorChoice {
        private static final Dedicated INSTANCE = new Dedicated();

        @Override
        public String toString() {
            return "dedicated";
        }
    }

    /** A virtual thread per exchange; init-param {@code virtual}. */
    record Virtual() implements ExecutorChoice {
        private static final Virtual INSTANCE = new Virtual();

        @Override
        public String toString() {
            return "virtual";
        }
    }

    /** A pool of platform threads owned by the filter; init-param {@code platform}. */
    record Platform() implements ExecutorChoice {
        private static final Platform INSTANCE = new Platform();

        @Override
        public String toString() {
            return "platform";
        }
    }

    /**
     * An executor looked up by JNDI name when the filter starts; init-param {@code jndi:<name>}.
     *
     * @param name the JNDI name, such as {@code java:comp/DefaultManagedExecutorService}
     */
    record Jndi(String name) implements ExecutorChoice {
        /** @throws IllegalArgumentException if the name is blank */
        public Jndi {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("executor JNDI name must be a name such as "
                        + "java:comp/DefaultManagedExecutorService, but was '" + name + "'");
            }
            name = name.trim();
        }

        /**
         * Looks the executor up now, as the filter does when it starts: for an integration that wants
         * a bad name refused in its own terms, on a thread that sees the same naming context.
         *
         * @throws IllegalArgumentException "executor must name an Executor bound in JNDI …, but was
         *     'jndi:NAME', which …"
         */
        public Executor lookUp() {
            Object found;
            try {
                found = new InitialContext().lookup(name);
            } catch (NamingException | RuntimeException e) {
                throw new IllegalArgumentException("executor must name an Executor bound in JNDI (such as a "
                        + "ManagedExecutorService), but was 'jndi:" + name + "', which could not be looked up: " + e, e);
            }
            if (found instanceof Executor executor) {
                return executor;
            }
            throw new IllegalArgumentException("executor must name an Executor bound in JNDI, but was 'jndi:"
                    + name + "', which is bound to " + (found == null ? "null" : "a " + found.getClass().getName()));
        }

        @Override
        public String toString() {
            return "jndi:" + name;
        }
    }

    /**
     * An executor handed over by the application, which owns it; programmatic only. Two are equal
     * when they hold the same executor object.
     *
     * @param executor the executor
     */
    record Given(Executor executor) implements ExecutorChoice {
        public Given {
            Objects.requireNonNull(executor, "executor");
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Given that && executor == that.executor;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(executor);
        }

        @Override
        public String toString() {
            return "given:" + executor;
        }
    }
}
