package io.github.afterresponse.spring.boot.internal;

import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.ContextPropagator;
import io.github.afterresponse.ExecutorChoice;
import io.github.afterresponse.spring.boot.AfterResponseProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

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
    private final @Nullable ClassLoader classLoader;

    public ConfigFactory(AfterResponseProperties properties, Environment environment, @Nullable ClassLoader classLoader) {
        this.properties = properties;
        this.environment = environment;
        this.classLoader = classLoader;
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
        String trimmed = value.trim();
        switch (trimmed.toLowerCase(Locale.ROOT)) {
            case "container":
                return ExecutorChoice.container();
            case "dedicated":
                return ExecutorChoice.dedicated();
            case "virtual":
                if (Runtime.version().feature() < 21) {
                    throw new InvalidConfigurationPropertyValueException(PREFIX + "executor", shown("executor", value),
                            "virtual threads need Java 21 or later, but this is Java " + Runtime.version().feature()
                                    + "; use dedicated (virtual threads where there are, platform threads otherwise)");
                }
                return ExecutorChoice.virtualThreads();
            case "platform":
                return ExecutorChoice.platformThreads();
            default:
                if (trimmed.regionMatches(true, 0, "jndi:", 0, 5) && !trimmed.substring(5).isBlank()) {
                    return ExecutorChoice.jndi(trimmed.substring(5));
                }
                throw new InvalidConfigurationPropertyValueException(PREFIX + "executor", shown("executor", value),
                        "must be container, dedicated, virtual, platform or jndi:<name> (such as "
                                + "jndi:java:comp/DefaultManagedExecutorService), but was '" + value + "'");
        }
    }

    private List<ContextPropagator> namedPropagators() {
        List<ContextPropagator> propagators = new ArrayList<>();
        for (String name : properties.getContextPropagators()) {
            String className = name.trim();
            try {
                Class<?> type = ClassUtils.forName(className, classLoader);
                if (!ContextPropagator.class.isAssignableFrom(type)) {
                    throw new IllegalArgumentException("contextPropagators must be class names of "
                            + ContextPropagator.class.getName() + " implementations, but was " + className
                            + ", which is not one");
                }
                propagators.add((ContextPropagator) BeanUtils.instantiateClass(type));
            } catch (ClassNotFoundException | LinkageError e) {
                throw invalid("context-propagators", properties.getContextPropagators(), new IllegalArgumentException(
                        "contextPropagators must be class names of ContextPropagator implementations, but "
                                + className + " cannot be loaded: " + e, e));
            } catch (IllegalArgumentException | org.springframework.beans.BeanInstantiationException e) {
                throw invalid("context-propagators", properties.getContextPropagators(), e);
            }
        }
        return propagators;
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
        if (must > 0 && reason.substring(0, must).matches("[A-Za-z]+")) {
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
