package io.github.afterresponse.spring.boot.internal;

import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.ContextPropagator;
import io.github.afterresponse.ExecutorChoice;
import io.github.afterresponse.spring.boot.AfterResponseProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;

/**
 * Maps {@link AfterResponseProperties} onto an {@link AfterResponseConfig}. Every value goes
 * through the core builder's own check; a refusal becomes an
 * {@link InvalidConfigurationPropertyValueException} naming the property, its value as written and
 * the builder's reason, which Boot's failure analyzer prints as its usual start-up report.
 */
public final class ConfigFactory {

    static final String PREFIX = "after-response.";

    private static final Log LOG = LogFactory.getLog(ConfigFactory.class);

    private final AfterResponseProperties properties;
    private final Environment environment;

    public ConfigFactory(AfterResponseProperties properties, Environment environment) {
        this.properties = properties;
        this.environment = environment;
    }

    /**
     * The configuration; {@code propagators} are applied after those named by
     * {@code after-response.context-propagators}.
     *
     * @param builtIn the propagators for MDC, trace and security, first
     * @param beans the {@code ContextPropagator} beans, last
     * @throws InvalidConfigurationPropertyValueException naming the property whose value is refused
     */
    public AfterResponseConfig create(List<ContextPropagator> builtIn, List<ContextPropagator> beans) {
        AfterResponseConfig.Builder builder = AfterResponseConfig.builder();
        long bytes = properties.getBufferLimit().toBytes();
        set("buffer-limit", properties.getBufferLimit(), () -> {
            if (bytes > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("bufferLimit must be between 0 and 1GiB, but was " + bytes + " bytes");
            }
            builder.bufferLimit((int) bytes);
        });
        builder.connectionClose(properties.isConnectionClose());
        set("snapshot-attributes", properties.getSnapshotAttributes(),
                () -> builder.snapshotAttributes(properties.getSnapshotAttributes()));
        set("snapshot-session-attributes", properties.getSnapshotSessionAttributes(),
                () -> builder.snapshotSessionAttributes(properties.getSnapshotSessionAttributes()));
        builder.abortPolicy(properties.getAbortPolicy());
        set("time-limit", properties.getTimeLimit(), () -> builder.timeLimit(properties.getTimeLimit()));
        setIfPresent("max-running", properties.getMaxRunning(), builder::maxRunning);
        setIfPresent("threads", properties.getThreads(), builder::threads);
        setIfPresent("queue-capacity", properties.getQueueCapacity(), builder::queueCapacity);
        set("retry-after", properties.getRetryAfter(), () -> builder.retryAfter(properties.getRetryAfter()));
        set("shutdown-grace", properties.getShutdownGrace(), () -> builder.shutdownGrace(properties.getShutdownGrace()));
        builder.executor(executor());
        builder.jmx(properties.getJmx() != null ? properties.getJmx()
                : environment.getProperty("spring.jmx.enabled", Boolean.class, false));
        List<ContextPropagator> propagators = new ArrayList<>(builtIn);
        propagators.addAll(namedPropagators());
        propagators.addAll(beans);
        builder.contextPropagators(propagators);
        builder.discoverContextPropagators(properties.isDiscoverContextPropagators());
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            // The checks across settings: today both concern threads (executor, and at most max-running).
            Integer threads = properties.getThreads();
            throw invalid("threads", threads != null ? threads : "(unset)", e);
        }
    }

    private ExecutorChoice executor() {
        String value = properties.getExecutor();
        if (value == null) {
            if (environment.getProperty("spring.threads.virtual.enabled", Boolean.class, false)) {
                if (Runtime.version().feature() >= 21) {
                    LOG.info("After Response: spring.threads.virtual.enabled is true, so the background work runs on "
                            + "virtual threads (after-response.executor=virtual); set after-response.executor to choose "
                            + "otherwise");
                    return ExecutorChoice.virtualThreads();
                }
                LOG.info("After Response: spring.threads.virtual.enabled is true, but Java "
                        + Runtime.version().feature() + " has no virtual threads; the background work runs on the "
                        + "container's threads (after-response.executor=container)");
            }
            return ExecutorChoice.container();
        }
        if (value.trim().equalsIgnoreCase("virtual") && Runtime.version().feature() < 21) {
            throw new InvalidConfigurationPropertyValueException(PREFIX + "executor", shown("executor", value),
                    "virtual threads need Java 21 or later, but this is Java " + Runtime.version().feature()
                            + "; use dedicated (virtual threads where there are, platform threads otherwise)");
        }
        AfterResponseConfig.Builder parsed = AfterResponseConfig.builder();
        set("executor", value, () -> parsed.initParameter("executor", value));
        return parsed.build().executor();
    }

    /**
     * The classes named by {@code after-response.context-propagators}, made as core makes those of
     * its init-param: loaded with the thread's context class loader (the application's, Spring
     * Boot DevTools' restart loader included), public, with a public no-argument constructor.
     */
    private List<ContextPropagator> namedPropagators() {
        List<String> names = properties.getContextPropagators();
        if (names.isEmpty()) {
            return List.of();
        }
        AfterResponseConfig.Builder parsed = AfterResponseConfig.builder();
        set("context-propagators", names, () -> parsed.initParameter("context-propagators", String.join(",", names)));
        return parsed.build().contextPropagators();
    }

    /**
     * The checks of {@code config} that need the servlet container, run as the filter's
     * registration is applied to the starting servlet context: a JNDI executor is looked up there,
     * on the thread that sees the context's naming, so that a name that is not bound fails the start
     * with Boot's report naming the property. The filter's own lookup at its init would only make
     * Tomcat log it and fail the web server. Nothing runs in a mock web environment, where no
     * container starts. Embedded Tomcat has JNDI only once naming is enabled
     * ({@code TomcatServletWebServerFactory.enableNaming()}).
     */
    public Runnable startupCheck(AfterResponseConfig config) {
        if (config.executor() instanceof ExecutorChoice.Jndi jndi) {
            String value = properties.getExecutor();
            return () -> set("executor", value != null ? value : jndi.toString(), jndi::lookUp);
        }
        return () -> { };
    }

    private <T> void setIfPresent(String property, @Nullable T value, Consumer<T> setter) {
        if (value != null) {
            set(property, value, () -> setter.accept(value));
        }
    }

    private void set(String property, Object value, Runnable setter) {
        try {
            setter.run();
        } catch (IllegalArgumentException e) {
            throw invalid(property, value, e);
        }
    }

    private InvalidConfigurationPropertyValueException invalid(String property, Object value, RuntimeException e) {
        // Its constructor fixes the cause (none): the builder's message is carried as the reason.
        return new InvalidConfigurationPropertyValueException(PREFIX + property, shown(property, value),
                reason(e.getMessage()));
    }

    /** The builder's "maxRunning must be …, but was 0" as "must be …, but was 0", with property names. */
    static String reason(@Nullable String message) {
        if (message == null) {
            return "refused";
        }
        String reason = message;
        int must = reason.indexOf(" must ");
        if (must > 0 && reason.substring(0, must).matches("[A-Za-z-]+")) {
            reason = reason.substring(must + 1);
        }
        return reason.replace("maxRunning", PREFIX + "max-running");
    }

    /** The value as the application wrote it ("-5s"), rather than as bound ("PT-5S"). */
    private Object shown(String property, Object value) {
        String written = environment.getProperty(PREFIX + property);
        return written != null ? written : value;
    }
}
