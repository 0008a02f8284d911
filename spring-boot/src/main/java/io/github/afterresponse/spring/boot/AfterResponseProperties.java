package io.github.afterresponse.spring.boot;

import io.github.afterresponse.AbortPolicy;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;

/**
 * The {@code after-response.*} properties: one per init-param of the core filter (same name, same
 * meaning, same range; see {@code docs/policies.md}), plus the filter's registration, the Actuator
 * endpoint and context propagation. A value out of range fails the application's start, naming the
 * property, the value and what it must be.
 *
 * <p>Durations without a unit are seconds, as the core filter's init-params read them; byte sizes
 * without a unit are bytes.
 */
@ConfigurationProperties("after-response")
public class AfterResponseProperties {

    /**
     * Default {@code after-response.filter.order}: {@code Ordered.LOWEST_PRECEDENCE - 100}. Inside
     * (after) every filter that has an explicit order — Spring Security's chain (-100), Boot's
     * {@code ServerHttpObservationFilter} (HIGHEST_PRECEDENCE + 1), {@code RequestContextFilter}
     * (-105), character encoding and forwarded headers — so the context they put on the request
     * thread (security context, observation and trace ids, MDC) is there when the toolkit captures
     * it for the tasks; and outside filters left at the default order, so a response wrapper they add
     * is buffered along with the servlet's output instead of holding it back.
     */
    public static final int DEFAULT_FILTER_ORDER = Ordered.LOWEST_PRECEDENCE - 100;

    /** Most exchanges the Actuator endpoint lists: {@value}. */
    public static final int MAX_ENDPOINT_TASKS = 10_000;

    /** Whether to register the After Response filter at all. */
    private boolean enabled = true;

    /**
     * Output held back to be sent whole with Content-Length, from 0 to 1GB; past it the response is
     * streamed (chunked). A number without a unit is bytes.
     */
    @DataSizeUnit(DataUnit.BYTES)
    private DataSize bufferLimit = DataSize.ofMegabytes(1);

    /** Whether HTTP/1.x responses that have background work carry "Connection: close" (never HTTP/2). */
    private boolean connectionClose = true;

    /** Request attributes copied (by reference) into each task's request snapshot. */
    private List<String> snapshotAttributes = new ArrayList<>();

    /** Session attributes copied (by reference) into each task's request snapshot, when the request has a session. */
    private List<String> snapshotSessionAttributes = new ArrayList<>();

    /** What happens to the background work when the client goes away: cancel (stop it) or continue. */
    private AbortPolicy abortPolicy = AbortPolicy.CANCEL;

    /**
     * Wall-clock limit of each exchange's background work, from 0 (none) to 365d. A number without
     * a unit is seconds.
     */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration timeLimit = Duration.ZERO;

    /**
     * Exchanges admitted to run their background work at once, from 1 to 1000000. Unset: 8 with
     * the container executor (and JNDI), 200 with platform, 100000 with virtual (and dedicated on
     * Java 21+).
     */
    private @Nullable Integer maxRunning;

    /**
     * Platform threads of the platform executor (and of dedicated before Java 21), from 1 to
     * 10000 and at most max-running. Unset: max-running, at most 200. Refused with other executors.
     */
    private @Nullable Integer threads;

    /**
     * Admitted exchanges beyond max-running, from 0 to 1000000; past both, requests are refused
     * with 503 before their controller runs. Unset: 256.
     */
    private @Nullable Integer queueCapacity;

    /** Retry-After of a refusal, whole seconds from 1s to 1d. A number without a unit is seconds. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration retryAfter = Duration.ofSeconds(5);

    /**
     * How long the stop lets running work end before interrupting it, from 0 to 1h. A number without
     * a unit is seconds.
     */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration shutdownGrace = Duration.ofSeconds(30);

    /**
     * Which threads run the background work: container, dedicated, virtual, platform or
     * jndi:&lt;name&gt;. Unset: virtual when spring.threads.virtual.enabled is true on Java 21+,
     * otherwise container.
     */
    private @Nullable String executor;

    /**
     * Whether to register the filter's AfterResponseMXBean. Unset: the value of
     * spring.jmx.enabled (false unless set).
     */
    private @Nullable Boolean jmx;

    /**
     * Class names of ContextPropagator implementations with a public no-argument constructor,
     * applied after the built-in ones; ContextPropagator beans apply after these.
     */
    private List<String> contextPropagators = new ArrayList<>();

    /** Whether the ContextPropagators that java.util.ServiceLoader finds apply too. */
    private boolean discoverContextPropagators = true;

    private final Filter filter = new Filter();

    private final Endpoint endpoint = new Endpoint();

    private final ContextPropagation contextPropagation = new ContextPropagation();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public DataSize getBufferLimit() {
        return bufferLimit;
    }

    public void setBufferLimit(DataSize bufferLimit) {
        this.bufferLimit = bufferLimit;
    }

    public boolean isConnectionClose() {
        return connectionClose;
    }

    public void setConnectionClose(boolean connectionClose) {
        this.connectionClose = connectionClose;
    }

    public List<String> getSnapshotAttributes() {
        return snapshotAttributes;
    }

    public void setSnapshotAttributes(List<String> snapshotAttributes) {
        this.snapshotAttributes = snapshotAttributes;
    }

    public List<String> getSnapshotSessionAttributes() {
        return snapshotSessionAttributes;
    }

    public void setSnapshotSessionAttributes(List<String> snapshotSessionAttributes) {
        this.snapshotSessionAttributes = snapshotSessionAttributes;
    }

    public AbortPolicy getAbortPolicy() {
        return abortPolicy;
    }

    public void setAbortPolicy(AbortPolicy abortPolicy) {
        this.abortPolicy = abortPolicy;
    }

    public Duration getTimeLimit() {
        return timeLimit;
    }

    public void setTimeLimit(Duration timeLimit) {
        this.timeLimit = timeLimit;
    }

    public @Nullable Integer getMaxRunning() {
        return maxRunning;
    }

    public void setMaxRunning(@Nullable Integer maxRunning) {
        this.maxRunning = maxRunning;
    }

    public @Nullable Integer getThreads() {
        return threads;
    }

    public void setThreads(@Nullable Integer threads) {
        this.threads = threads;
    }

    public @Nullable Integer getQueueCapacity() {
        return queueCapacity;
    }

    public void setQueueCapacity(@Nullable Integer queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    public Duration getRetryAfter() {
        return retryAfter;
    }

    public void setRetryAfter(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    public Duration getShutdownGrace() {
        return shutdownGrace;
    }

    public void setShutdownGrace(Duration shutdownGrace) {
        this.shutdownGrace = shutdownGrace;
    }

    public @Nullable String getExecutor() {
        return executor;
    }

    public void setExecutor(@Nullable String executor) {
        this.executor = executor;
    }

    public @Nullable Boolean getJmx() {
        return jmx;
    }

    public void setJmx(@Nullable Boolean jmx) {
        this.jmx = jmx;
    }

    public List<String> getContextPropagators() {
        return contextPropagators;
    }

    public void setContextPropagators(List<String> contextPropagators) {
        this.contextPropagators = contextPropagators;
    }

    public boolean isDiscoverContextPropagators() {
        return discoverContextPropagators;
    }

    public void setDiscoverContextPropagators(boolean discoverContextPropagators) {
        this.discoverContextPropagators = discoverContextPropagators;
    }

    public Filter getFilter() {
        return filter;
    }

    public Endpoint getEndpoint() {
        return endpoint;
    }

    public ContextPropagation getContextPropagation() {
        return contextPropagation;
    }

    /** The filter's registration in the servlet context. */
    public static class Filter {

        /** Name of the filter in the servlet context; also the "filter" tag of its meters. */
        private String name = "afterResponse";

        /** URL patterns the filter handles; requests to other paths never pass through it. */
        private List<String> urlPatterns = new ArrayList<>(List.of("/*"));

        /**
         * Order of the filter among the servlet filters. The default, LOWEST_PRECEDENCE - 100
         * (2147483547), puts it inside Spring Security's chain (-100) and Boot's observation filter,
         * so their context reaches the tasks.
         */
        private int order = DEFAULT_FILTER_ORDER;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public List<String> getUrlPatterns() {
            return urlPatterns;
        }

        public void setUrlPatterns(List<String> urlPatterns) {
            this.urlPatterns = urlPatterns;
        }

        public int getOrder() {
            return order;
        }

        public void setOrder(int order) {
            this.order = order;
        }
    }

    /** The Actuator endpoint {@code afterresponse}. */
    public static class Endpoint {

        /** Most running and queued exchanges the endpoint lists, from 0 to 10000; the totals count them all. */
        private int maxTasks = 100;

        public int getMaxTasks() {
            return maxTasks;
        }

        public void setMaxTasks(int maxTasks) {
            this.maxTasks = maxTasks;
        }
    }

    /** Which thread-bound context the tasks and callbacks get from the request thread. */
    public static class ContextPropagation {

        /**
         * Whether to carry every context Micrometer's context-propagation library knows (the
         * observation and so the trace, Spring Security's context, SLF4J's MDC), when that library
         * is on the class path. Off, or without it, the MDC and Spring Security's context are still
         * carried when SLF4J and Spring Security are present.
         */
        private boolean micrometer = true;

        public boolean isMicrometer() {
            return micrometer;
        }

        public void setMicrometer(boolean micrometer) {
            this.micrometer = micrometer;
        }
    }
}
