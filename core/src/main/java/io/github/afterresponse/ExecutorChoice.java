package io.github.afterresponse;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Which threads run the background work of an {@link AfterResponseFilter}. Whatever the choice, at
 * most {@link AfterResponseConfig#maxRunning()} exchanges run at once, each on one thread that
 * carries the web application's context class loader while the work runs.
 *
 * <table>
 *   <caption>Choices</caption>
 *   <tr><th>init-param {@code executor}</th><th>factory</th><th>threads</th></tr>
 *   <tr><td>{@code container} (default)</td><td>{@link #container()}</td><td>the container's request
 *       pool, through {@code AsyncContext.start} (Jetty {@code qtp…}, Tomcat {@code http-nio-…-exec},
 *       Undertow {@code XNIO-…task}); the cap keeps it from taking every request thread</td></tr>
 *   <tr><td>{@code dedicated}</td><td>{@link #dedicated()}</td><td>a pool owned by the filter, started
 *       by {@code init} and stopped by {@code destroy}: virtual threads on Java 21 and later,
 *       otherwise {@code maxRunning} platform threads; named {@code after-response-<filter>-<n>}</td></tr>
 *   <tr><td>{@code jndi:<name>}</td><td>{@link #jndi(String)}</td><td>an {@link Executor} looked up
 *       by JNDI name when the filter starts, typically a Jakarta Concurrency
 *       {@code ManagedExecutorService} such as {@code java:comp/DefaultManagedExecutorService}; the
 *       server owns it</td></tr>
 *   <tr><td>(programmatic only)</td><td>{@link #of(Executor)}</td><td>an executor of the
 *       application's; the application owns it</td></tr>
 * </table>
 */
public final class ExecutorChoice {

    /** The kinds of executor. */
    public enum Kind {
        /** The container's request pool, through {@code AsyncContext.start}. */
        CONTAINER,
        /** A pool owned by the filter; virtual threads on Java 21+. */
        DEDICATED,
        /** An executor looked up by JNDI name when the filter starts. */
        JNDI,
        /** An executor handed over by the application. */
        GIVEN
    }

    private static final ExecutorChoice CONTAINER = new ExecutorChoice(Kind.CONTAINER, null, null);
    private static final ExecutorChoice DEDICATED = new ExecutorChoice(Kind.DEDICATED, null, null);

    private final Kind kind;
    private final @Nullable String jndiName;
    private final @Nullable Executor executor;

    private ExecutorChoice(Kind kind, @Nullable String jndiName, @Nullable Executor executor) {
        this.kind = kind;
        this.jndiName = jndiName;
        this.executor = executor;
    }

    /** The container's request pool (the default). */
    public static ExecutorChoice container() {
        return CONTAINER;
    }

    /** A pool owned by the filter's lifecycle: virtual threads on Java 21+, platform threads before. */
    public static ExecutorChoice dedicated() {
        return DEDICATED;
    }

    /**
     * An executor looked up by JNDI name when the filter starts; the filter fails to start if the
     * name is not bound to an {@link Executor}.
     *
     * @throws IllegalArgumentException if the name is blank
     */
    public static ExecutorChoice jndi(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("executor JNDI name must be a name such as "
                    + "java:comp/DefaultManagedExecutorService, but was '" + name + "'");
        }
        return new ExecutorChoice(Kind.JNDI, name.trim(), null);
    }

    /** An executor of the application's; the filter never shuts it down. */
    public static ExecutorChoice of(Executor executor) {
        return new ExecutorChoice(Kind.GIVEN, null, Objects.requireNonNull(executor, "executor"));
    }

    public Kind kind() {
        return kind;
    }

    /** The JNDI name, for {@link Kind#JNDI}. */
    public Optional<String> jndiName() {
        return Optional.ofNullable(jndiName);
    }

    /** The executor, for {@link Kind#GIVEN}. */
    public Optional<Executor> executor() {
        return Optional.ofNullable(executor);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExecutorChoice that
                && kind == that.kind
                && Objects.equals(jndiName, that.jndiName)
                && executor == that.executor;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, jndiName, executor == null ? 0 : System.identityHashCode(executor));
    }

    /** As the init-param spells it: {@code container}, {@code dedicated}, {@code jndi:<name>}. */
    @Override
    public String toString() {
        return switch (kind) {
            case CONTAINER -> "container";
            case DEDICATED -> "dedicated";
            case JNDI -> "jndi:" + jndiName;
            case GIVEN -> "given:" + executor;
        };
    }
}
