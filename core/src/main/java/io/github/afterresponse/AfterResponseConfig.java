package io.github.afterresponse;

import io.github.afterresponse.internal.config.Durations;
import io.github.afterresponse.internal.config.InitParameters;
import io.github.afterresponse.internal.config.Propagators;
import io.github.afterresponse.internal.config.Sizes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Immutable configuration of one {@link AfterResponseFilter}. Build it with {@link #builder()}, or
 * let the filter read it from its init-params ({@link #fromInitParameters(Map)}). Every setter and
 * every init-param is validated at once: a bad value fails with "must be …, but was …", and the
 * filter then fails to start. The full reference, with examples, is {@code docs/policies.md}.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>init-param</th><th>builder</th><th>default</th><th>range and meaning</th></tr>
 *   <tr><td>{@code buffer-limit}</td><td>{@link Builder#bufferLimit(int)}</td><td>1MiB</td>
 *       <td>0 to 1GiB ({@code 1048576}, {@code 64KiB}, {@code 1MiB}): bytes of output held back to
 *       send with {@code Content-Length}; past it the response is streamed (chunked)</td></tr>
 *   <tr><td>{@code connection-close}</td><td>{@link Builder#connectionClose(boolean)}</td>
 *       <td>true</td><td>send {@code Connection: close} on HTTP/1.x responses that have background
 *       work (never on HTTP/2)</td></tr>
 *   <tr><td>{@code snapshot-attributes}</td><td>{@link Builder#snapshotAttributes(String...)}</td>
 *       <td>none</td><td>comma-separated request attribute names copied into the
 *       {@link RequestSnapshot}</td></tr>
 *   <tr><td>{@code snapshot-session-attributes}</td><td>{@link Builder#snapshotSessionAttributes(String...)}</td>
 *       <td>none</td><td>comma-separated session attribute names copied into the
 *       {@link RequestSnapshot}, when the request has a session</td></tr>
 *   <tr><td>{@code abort-policy}</td><td>{@link Builder#abortPolicy(AbortPolicy)}</td>
 *       <td>cancel</td><td>{@code cancel} or {@code continue}: see {@link AbortPolicy}</td></tr>
 *   <tr><td>{@code time-limit}</td><td>{@link Builder#timeLimit(Duration)}</td><td>0 (none)</td>
 *       <td>0 to 365 days ({@code 30}, {@code 30s}, {@code 10m}, {@code 2h}, {@code PT90S}; a bare
 *       number is seconds, as in PHP): wall-clock limit of each exchange's background work</td></tr>
 *   <tr><td>{@code max-running}</td><td>{@link Builder#maxRunning(int)}</td><td>8; 200 for
 *       {@code platform}; 100000 for {@code virtual} (and {@code dedicated} on Java 21+)</td>
 *       <td>1 to 1000000: exchanges admitted to run their background work at once (on platform
 *       threads at most {@code threads} of them run, the others wait queued)</td></tr>
 *   <tr><td>{@code threads}</td><td>{@link Builder#threads(int)}</td><td>{@code max-running}, at most
 *       200</td><td>1 to 10000, at most {@code max-running}: platform threads of the {@code platform}
 *       executor (and of {@code dedicated} before Java 21); only for those</td></tr>
 *   <tr><td>{@code queue-capacity}</td><td>{@link Builder#queueCapacity(int)}</td><td>256</td>
 *       <td>0 to 1000000: admitted exchanges beyond {@code max-running}; with
 *       {@code max-running + queue-capacity} exchanges unfinished, requests are refused with 503
 *       before their servlet runs</td></tr>
 *   <tr><td>{@code retry-after}</td><td>{@link Builder#retryAfter(Duration)}</td><td>5s</td>
 *       <td>1s to 1 day, whole seconds: the {@code Retry-After} of a refusal</td></tr>
 *   <tr><td>{@code shutdown-grace}</td><td>{@link Builder#shutdownGrace(Duration)}</td><td>30s</td>
 *       <td>0 to 1 hour: how long {@code destroy} lets running work finish before interrupting it</td></tr>
 *   <tr><td>{@code executor}</td><td>{@link Builder#executor(ExecutorChoice)}</td><td>container</td>
 *       <td>{@code container}, {@code dedicated}, {@code virtual}, {@code platform} or
 *       {@code jndi:<name>}: see {@link ExecutorChoice}</td></tr>
 *   <tr><td>{@code jmx}</td><td>{@link Builder#jmx(boolean)}</td><td>true</td>
 *       <td>register an {@link AfterResponseMXBean} while the filter runs</td></tr>
 *   <tr><td>{@code context-propagators}</td><td>{@link Builder#contextPropagators(ContextPropagator...)}</td>
 *       <td>none</td><td>comma-separated class names of {@link ContextPropagator}s with a public
 *       no-argument constructor: context carried from the request thread to the tasks and
 *       callbacks, after the context class loader and those discovered</td></tr>
 *   <tr><td>{@code discover-context-propagators}</td><td>{@link Builder#discoverContextPropagators(boolean)}</td>
 *       <td>true</td><td>also apply the {@link ContextPropagator}s that {@link java.util.ServiceLoader}
 *       finds with the web application's class loader</td></tr>
 * </table>
 */
public final class AfterResponseConfig {

    /** Default {@link #bufferLimit()}: 1 MiB. */
    public static final int DEFAULT_BUFFER_LIMIT = 1024 * 1024;

    /** Largest {@link #bufferLimit()}: 1 GiB. */
    public static final int MAX_BUFFER_LIMIT = 1024 * 1024 * 1024;

    /**
     * Default {@link #maxRunning()} of the container executor, and of executors looked up or given: 8.
     * The container executor borrows the container's request threads, so it keeps most of them free.
     */
    public static final int DEFAULT_MAX_RUNNING = 8;

    /** Default {@link #maxRunning()} on platform threads: 200, as many as the default {@link #threads()}. */
    public static final int DEFAULT_MAX_RUNNING_PLATFORM = 200;

    /**
     * Default {@link #maxRunning()} on virtual threads: 100,000. A waiting exchange takes about 2 KB of
     * heap with its request snapshot, and its waiting virtual thread about 2 KB more
     * (docs/performance.md), so this bounds them to about 400 MB.
     */
    public static final int DEFAULT_MAX_RUNNING_VIRTUAL = 100_000;

    /** Most platform threads by default: 200, as a container's request pool. */
    public static final int DEFAULT_THREADS = 200;

    /** Largest {@link #threads()}. */
    public static final int MAX_THREADS = 10_000;

    /** Default {@link #queueCapacity()}: 256. */
    public static final int DEFAULT_QUEUE_CAPACITY = 256;

    /** Largest {@link #maxRunning()}. */
    public static final int MAX_MAX_RUNNING = 1_000_000;

    /** Largest {@link #queueCapacity()}. */
    public static final int MAX_QUEUE_CAPACITY = 1_000_000;

    /** Largest {@link #timeLimit()}: 365 days. */
    public static final Duration MAX_TIME_LIMIT = Duration.ofDays(365);

    private static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);
    private static final Duration MAX_SHUTDOWN_GRACE = Duration.ofHours(1);

    private static final AfterResponseConfig DEFAULTS = new Builder().build();

    private final int bufferLimit;
    private final boolean connectionClose;
    private final Set<String> snapshotAttributes;
    private final Set<String> snapshotSessionAttributes;
    private final AbortPolicy abortPolicy;
    private final Duration timeLimit;
    private final int maxRunning;
    private final @Nullable Integer maxRunningSet;
    private final int threads;
    private final @Nullable Integer threadsSet;
    private final int queueCapacity;
    private final Duration retryAfter;
    private final Duration shutdownGrace;
    private final ExecutorChoice executor;
    private final boolean jmx;
    private final List<ContextPropagator> contextPropagators;
    private final boolean discoverContextPropagators;

    private AfterResponseConfig(Builder builder) {
        bufferLimit = builder.bufferLimit;
        connectionClose = builder.connectionClose;
        snapshotAttributes = Set.copyOf(builder.snapshotAttributes);
        snapshotSessionAttributes = Set.copyOf(builder.snapshotSessionAttributes);
        abortPolicy = builder.abortPolicy;
        timeLimit = builder.timeLimit;
        maxRunningSet = builder.maxRunning;
        maxRunning = maxRunningSet != null ? maxRunningSet : defaultMaxRunning(builder.executor);
        threadsSet = builder.threads;
        threads = threadsSet != null ? threadsSet : Math.min(maxRunning, DEFAULT_THREADS);
        if (threadsSet != null && !onPlatformThreads(builder.executor)) {
            throw new IllegalArgumentException("threads applies only to the platform executor (and dedicated before "
                    + "Java 21), but was set to " + threadsSet + " with executor " + builder.executor);
        }
        if (threads > maxRunning) {
            throw new IllegalArgumentException("threads must be at most maxRunning (" + maxRunning + "), but was "
                    + threads);
        }
        queueCapacity = builder.queueCapacity;
        retryAfter = builder.retryAfter;
        shutdownGrace = builder.shutdownGrace;
        executor = builder.executor;
        jmx = builder.jmx;
        contextPropagators = List.copyOf(builder.contextPropagators);
        discoverContextPropagators = builder.discoverContextPropagators;
    }

    /** Whether the runtime has virtual threads, which {@link ExecutorChoice#dedicated()} then uses. */
    private static boolean virtualThreadsAvailable() {
        return Runtime.version().feature() >= 21;
    }

    private static int defaultMaxRunning(ExecutorChoice executor) {
        if (executor instanceof ExecutorChoice.Virtual
                || executor instanceof ExecutorChoice.Dedicated && virtualThreadsAvailable()) {
            return DEFAULT_MAX_RUNNING_VIRTUAL;
        }
        if (executor instanceof ExecutorChoice.Platform || executor instanceof ExecutorChoice.Dedicated) {
            return DEFAULT_MAX_RUNNING_PLATFORM;
        }
        return DEFAULT_MAX_RUNNING;
    }

    private static boolean onPlatformThreads(ExecutorChoice executor) {
        return executor instanceof ExecutorChoice.Platform || executor instanceof ExecutorChoice.Dedicated;
    }

    /** The defaults, as in the table above. */
    public static AfterResponseConfig defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from this configuration. Settings whose default depends on another (such as
     * {@code maxRunning} on the executor) stay defaults unless they were set.
     */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.maxRunning = maxRunningSet;
        builder.threads = threadsSet;
        return builder
                .bufferLimit(bufferLimit)
                .connectionClose(connectionClose)
                .snapshotAttributes(snapshotAttributes)
                .snapshotSessionAttributes(snapshotSessionAttributes)
                .abortPolicy(abortPolicy)
                .timeLimit(timeLimit)
                .queueCapacity(queueCapacity)
                .retryAfter(retryAfter)
                .shutdownGrace(shutdownGrace)
                .executor(executor)
                .jmx(jmx)
                .contextPropagators(contextPropagators)
                .discoverContextPropagators(discoverContextPropagators);
    }

    /**
     * Reads a configuration from filter init-params (names in the table above); absent ones keep
     * their default.
     *
     * @throws IllegalArgumentException naming the parameter and its bad value, for an unknown
     *     parameter or a value that cannot be used
     */
    public static AfterResponseConfig fromInitParameters(Map<String, String> initParameters) {
        Builder builder = InitParameters.parse(initParameters, builder());
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            // The checks across settings name them as the builder does; here they are init-params.
            throw new IllegalArgumentException("init-param " + e.getMessage().replace("maxRunning", "max-running"), e);
        }
    }

    /** Bytes of output held back to be sent whole with {@code Content-Length}. */
    public int bufferLimit() {
        return bufferLimit;
    }

    /** Whether HTTP/1.x responses with background work carry {@code Connection: close}. */
    public boolean connectionClose() {
        return connectionClose;
    }

    /** The request attributes copied into the {@link RequestSnapshot}. */
    public Set<String> snapshotAttributes() {
        return snapshotAttributes;
    }

    /** The session attributes copied into each {@link RequestSnapshot}, when the request has a session. */
    public Set<String> snapshotSessionAttributes() {
        return snapshotSessionAttributes;
    }

    /** What happens to the work when the client goes away. */
    public AbortPolicy abortPolicy() {
        return abortPolicy;
    }

    /** Wall-clock limit of each exchange's background work; zero for none. */
    public Duration timeLimit() {
        return timeLimit;
    }

    /**
     * Exchanges admitted to run their background work at once: set, or the executor's default. On
     * platform threads at most {@link #threads()} of them run; the others wait in the queue.
     */
    public int maxRunning() {
        return maxRunning;
    }

    /**
     * Platform threads of the {@code platform} executor (and of {@code dedicated} before Java 21):
     * set, or {@code maxRunning} up to {@link #DEFAULT_THREADS}. At most this many exchanges run at
     * once on them; the others admitted ({@code maxRunning} beyond {@code threads}, plus
     * {@code queueCapacity}) wait in the queue, counted as queued.
     */
    public int threads() {
        return threads;
    }

    /** Admitted exchanges beyond {@link #maxRunning()}. */
    public int queueCapacity() {
        return queueCapacity;
    }

    /** The {@code Retry-After} of a refusal. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** How long {@code destroy} lets running work finish before interrupting it. */
    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    /** Which threads run the background work. */
    public ExecutorChoice executor() {
        return executor;
    }

    /** Whether an {@link AfterResponseMXBean} is registered while the filter runs. */
    public boolean jmx() {
        return jmx;
    }

    /**
     * The propagators of this configuration, in the order they apply, after the built-in
     * {@link ContextPropagator#contextClassLoader()} and those discovered.
     */
    public List<ContextPropagator> contextPropagators() {
        return contextPropagators;
    }

    /** Whether the {@link ContextPropagator}s that {@link java.util.ServiceLoader} finds apply too. */
    public boolean discoverContextPropagators() {
        return discoverContextPropagators;
    }

    /**
     * Equal when every setting is, and so is which of the settings with a default that follows the
     * executor ({@code maxRunning}, {@code threads}) were set: {@link #toBuilder()} keeps that.
     * Context propagators compare with their own {@code equals}: by identity unless their class
     * overrides it, so two readings of the same {@code context-propagators} init-param are equal
     * only if those classes define {@code equals}.
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof AfterResponseConfig that
                && bufferLimit == that.bufferLimit
                && connectionClose == that.connectionClose
                && snapshotAttributes.equals(that.snapshotAttributes)
                && snapshotSessionAttributes.equals(that.snapshotSessionAttributes)
                && abortPolicy == that.abortPolicy
                && timeLimit.equals(that.timeLimit)
                && maxRunning == that.maxRunning
                && Objects.equals(maxRunningSet, that.maxRunningSet)
                && threads == that.threads
                && Objects.equals(threadsSet, that.threadsSet)
                && queueCapacity == that.queueCapacity
                && retryAfter.equals(that.retryAfter)
                && shutdownGrace.equals(that.shutdownGrace)
                && executor.equals(that.executor)
                && jmx == that.jmx
                && contextPropagators.equals(that.contextPropagators)
                && discoverContextPropagators == that.discoverContextPropagators;
    }

    @Override
    public int hashCode() {
        return Objects.hash(bufferLimit, connectionClose, snapshotAttributes, snapshotSessionAttributes,
                abortPolicy, timeLimit, maxRunning, maxRunningSet, threads, threadsSet, queueCapacity, retryAfter, shutdownGrace, executor, jmx,
                contextPropagators, discoverContextPropagators);
    }

    @Override
    public String toString() {
        return "AfterResponseConfig[bufferLimit=" + Sizes.format(bufferLimit) + ", connectionClose="
                + connectionClose + ", snapshotAttributes=" + snapshotAttributes
                + ", snapshotSessionAttributes=" + snapshotSessionAttributes
                + ", abortPolicy=" + abortPolicy.name().toLowerCase(java.util.Locale.ROOT)
                + ", timeLimit=" + Durations.format(timeLimit) + ", maxRunning=" + maxRunning + ", threads=" + threads
                + ", queueCapacity=" + queueCapacity + ", retryAfter=" + Durations.format(retryAfter)
                + ", shutdownGrace=" + Durations.format(shutdownGrace) + ", executor=" + executor
                + ", jmx=" + jmx + ", contextPropagators=" + contextPropagators.stream().map(Propagators::describe).toList()
                + ", discoverContextPropagators=" + discoverContextPropagators + "]";
    }

    /** Builds an {@link AfterResponseConfig}; every setter validates at once. Not thread-safe. */
    public static final class Builder {
        private int bufferLimit = DEFAULT_BUFFER_LIMIT;
        private boolean connectionClose = true;
        private final Set<String> snapshotAttributes = new LinkedHashSet<>();
        private final Set<String> snapshotSessionAttributes = new LinkedHashSet<>();
        private AbortPolicy abortPolicy = AbortPolicy.CANCEL;
        private Duration timeLimit = Duration.ZERO;
        /** Null: the executor's default. */
        private @Nullable Integer maxRunning;
        private @Nullable Integer threads;
        private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
        private Duration retryAfter = Duration.ofSeconds(5);
        private Duration shutdownGrace = Duration.ofSeconds(30);
        private ExecutorChoice executor = ExecutorChoice.container();
        private boolean jmx = true;
        private final List<ContextPropagator> contextPropagators = new ArrayList<>();
        private boolean discoverContextPropagators = true;

        private Builder() {}

        /**
         * Bytes of output held back to be sent whole with {@code Content-Length}; past them the
         * response is streamed. 0 streams everything.
         *
         * @throws IllegalArgumentException unless 0 to {@link #MAX_BUFFER_LIMIT}
         */
        public Builder bufferLimit(int bytes) {
            this.bufferLimit = Sizes.checkBufferLimit(bytes, "bufferLimit");
            return this;
        }

        /** Whether HTTP/1.x responses with background work carry {@code Connection: close}. */
        public Builder connectionClose(boolean connectionClose) {
            this.connectionClose = connectionClose;
            return this;
        }

        /**
         * Replaces the request attributes copied into the {@link RequestSnapshot}.
         *
         * @throws IllegalArgumentException if a name is blank
         */
        public Builder snapshotAttributes(Collection<String> names) {
            replaceNames(snapshotAttributes, names, "snapshotAttributes");
            return this;
        }

        /** Replaces the request attributes copied into the {@link RequestSnapshot}. */
        public Builder snapshotAttributes(String... names) {
            return snapshotAttributes(Arrays.asList(names));
        }

        /**
         * Replaces the session attributes copied into the {@link RequestSnapshot} when the request
         * has a session. Tasks should use these rather than the {@code HttpSession}: changes made
         * to a session after the response are only kept by in-memory session stores, since
         * persistent and replicated stores save a session when its request ends.
         *
         * @throws IllegalArgumentException if a name is blank
         */
        public Builder snapshotSessionAttributes(Collection<String> names) {
            replaceNames(snapshotSessionAttributes, names, "snapshotSessionAttributes");
            return this;
        }

        /** Replaces the session attributes copied into the {@link RequestSnapshot}. */
        public Builder snapshotSessionAttributes(String... names) {
            return snapshotSessionAttributes(Arrays.asList(names));
        }

        private static void replaceNames(Set<String> target, Collection<String> names, String setting) {
            for (String name : names) {
                if (name == null || name.isBlank()) {
                    throw new IllegalArgumentException(setting + " must be attribute names, but contained '" + name + "'");
                }
            }
            target.clear();
            target.addAll(names);
        }

        /** What happens to the work when the client goes away. */
        public Builder abortPolicy(AbortPolicy policy) {
            this.abortPolicy = Objects.requireNonNull(policy, "abortPolicy");
            return this;
        }

        /**
         * Wall-clock limit of each exchange's background work; {@link Duration#ZERO} for none.
         *
         * @throws IllegalArgumentException unless 0 to {@link #MAX_TIME_LIMIT}, in whole milliseconds
         */
        public Builder timeLimit(Duration limit) {
            this.timeLimit = Durations.check(limit, Duration.ZERO, MAX_TIME_LIMIT, "timeLimit");
            return this;
        }

        /**
         * Exchanges whose background work runs at once; the others wait in the queue. Unset, it
         * depends on the executor: {@link #DEFAULT_MAX_RUNNING} (container, JNDI, given),
         * {@link #DEFAULT_MAX_RUNNING_PLATFORM} (platform threads), {@link #DEFAULT_MAX_RUNNING_VIRTUAL}
         * (virtual threads).
         *
         * @throws IllegalArgumentException unless 1 to {@link #MAX_MAX_RUNNING}
         */
        public Builder maxRunning(int exchanges) {
            this.maxRunning = checkRange(exchanges, 1, MAX_MAX_RUNNING, "maxRunning");
            return this;
        }

        /**
         * Platform threads of the {@code platform} executor (and of {@code dedicated} before Java
         * 21); unset, {@code maxRunning} up to {@link #DEFAULT_THREADS}. {@link #build()} fails if it
         * is set for another executor, or above {@code maxRunning}.
         *
         * @throws IllegalArgumentException unless 1 to {@link #MAX_THREADS}
         */
        public Builder threads(int threads) {
            this.threads = checkRange(threads, 1, MAX_THREADS, "threads");
            return this;
        }

        /**
         * Admitted exchanges beyond {@link #maxRunning(int)}, waiting in their servlet or for a free
         * slot; beyond them requests are refused with 503.
         *
         * @throws IllegalArgumentException unless 0 to {@link #MAX_QUEUE_CAPACITY}
         */
        public Builder queueCapacity(int exchanges) {
            this.queueCapacity = checkRange(exchanges, 0, MAX_QUEUE_CAPACITY, "queueCapacity");
            return this;
        }

        /**
         * The {@code Retry-After} of a refusal.
         *
         * @throws IllegalArgumentException unless whole seconds from 1 s to 1 day
         */
        public Builder retryAfter(Duration retryAfter) {
            Durations.check(retryAfter, Duration.ofSeconds(1), MAX_RETRY_AFTER, "retryAfter");
            if (retryAfter.toMillis() % 1000 != 0) {
                throw new IllegalArgumentException("retryAfter must be whole seconds, but was " + retryAfter);
            }
            this.retryAfter = retryAfter;
            return this;
        }

        /**
         * How long {@code destroy} lets running work finish before interrupting it.
         *
         * @throws IllegalArgumentException unless 0 to 1 hour
         */
        public Builder shutdownGrace(Duration grace) {
            this.shutdownGrace = Durations.check(grace, Duration.ZERO, MAX_SHUTDOWN_GRACE, "shutdownGrace");
            return this;
        }

        /** Which threads run the background work. */
        public Builder executor(ExecutorChoice executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Whether an {@link AfterResponseMXBean} is registered while the filter runs. */
        public Builder jmx(boolean jmx) {
            this.jmx = jmx;
            return this;
        }

        /**
         * Replaces the configuration's {@link ContextPropagator}s: they carry context from the
         * request thread to the tasks and callbacks, in this order, after the built-in
         * {@link ContextPropagator#contextClassLoader()} and those discovered.
         *
         * @throws NullPointerException if one is null
         */
        public Builder contextPropagators(Collection<? extends ContextPropagator> propagators) {
            List<ContextPropagator> copy = new ArrayList<>(propagators.size());
            for (ContextPropagator propagator : propagators) {
                copy.add(Objects.requireNonNull(propagator, "contextPropagators must not contain null"));
            }
            contextPropagators.clear();
            contextPropagators.addAll(copy);
            return this;
        }

        /** Replaces the configuration's {@link ContextPropagator}s. */
        public Builder contextPropagators(ContextPropagator... propagators) {
            return contextPropagators(Arrays.asList(propagators));
        }

        /**
         * Whether the {@link ContextPropagator}s that {@link java.util.ServiceLoader} finds with the
         * web application's class loader apply too (before the configuration's own).
         */
        public Builder discoverContextPropagators(boolean discover) {
            this.discoverContextPropagators = discover;
            return this;
        }

        /**
         * Applies one setting written as its init-param takes it ({@code "executor", "virtual"},
         * {@code "time-limit", "90"}), for integrations that read settings as text: property files,
         * a framework's configuration. The message of a refusal starts with {@code name}:
         * {@code "executor must be container, dedicated, …, but was 'x'"}.
         *
         * @throws IllegalArgumentException for an unknown name, or a value the init-param refuses
         */
        public Builder initParameter(String name, String value) {
            InitParameters.apply(this, Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"), name);
            return this;
        }

        private static int checkRange(int value, int min, int max, String name) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", but was " + value);
            }
            return value;
        }

        /**
         * The configuration.
         *
         * @throws IllegalArgumentException if {@code threads} was set for an executor without platform
         *     threads, or above {@code maxRunning}
         */
        public AfterResponseConfig build() {
            return new AfterResponseConfig(this);
        }
    }
}
