package io.github.afterresponse.internal.config;

import io.github.afterresponse.AbortPolicy;
import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.ExecutorChoice;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/** Reads filter init-params into an {@link AfterResponseConfig.Builder}, naming the culprit on error. */
public final class InitParameters {

    /** Applies one init-param's value to the builder; {@code name} is for the error message. */
    private interface Setting {
        void apply(AfterResponseConfig.Builder builder, String name, String value);
    }

    private static final Map<String, Setting> SETTINGS = new LinkedHashMap<>();

    static {
        SETTINGS.put("buffer-limit", (builder, name, value) -> builder.bufferLimit(bufferLimit(name, value)));
        SETTINGS.put("connection-close", (builder, name, value) -> builder.connectionClose(bool(name, value)));
        SETTINGS.put("snapshot-attributes", (builder, name, value) -> builder.snapshotAttributes(list(value)));
        SETTINGS.put("snapshot-session-attributes",
                (builder, name, value) -> builder.snapshotSessionAttributes(list(value)));
        SETTINGS.put("abort-policy", (builder, name, value) -> builder.abortPolicy(abortPolicy(name, value)));
        SETTINGS.put("time-limit", (builder, name, value) -> builder.timeLimit(timeLimit(name, value)));
        SETTINGS.put("max-running", (builder, name, value) -> builder.maxRunning(
                integer(name, value, 1, AfterResponseConfig.MAX_MAX_RUNNING)));
        SETTINGS.put("threads", (builder, name, value) -> builder.threads(
                integer(name, value, 1, AfterResponseConfig.MAX_THREADS)));
        SETTINGS.put("queue-capacity", (builder, name, value) -> builder.queueCapacity(
                integer(name, value, 0, AfterResponseConfig.MAX_QUEUE_CAPACITY)));
        SETTINGS.put("retry-after", (builder, name, value) -> builder.retryAfter(
                duration(name, value, "whole seconds from 1s to 1d such as 5 or 30s", builder::retryAfter)));
        SETTINGS.put("shutdown-grace", (builder, name, value) -> builder.shutdownGrace(
                duration(name, value, "a duration from 0 to 1h such as 30s or 2m", builder::shutdownGrace)));
        SETTINGS.put("executor", (builder, name, value) -> builder.executor(executor(name, value)));
        SETTINGS.put("jmx", (builder, name, value) -> builder.jmx(bool(name, value)));
        SETTINGS.put("context-propagators",
                (builder, name, value) -> builder.contextPropagators(PropagatorClasses.instantiate(name, value)));
        SETTINGS.put("discover-context-propagators",
                (builder, name, value) -> builder.discoverContextPropagators(bool(name, value)));
    }

    private InitParameters() {}

    /**
     * Applies every init-param to the builder.
     *
     * @throws IllegalArgumentException "init-param NAME must be ..., but was 'VALUE'"; for an
     *     unknown name, the list of known ones
     */
    public static AfterResponseConfig.Builder parse(
            Map<String, String> initParameters, AfterResponseConfig.Builder builder) {
        initParameters.forEach((name, value) -> apply(builder, name, value, "init-param " + name));
        return builder;
    }

    /**
     * Applies one setting by its init-param name; {@code label} names it in the error.
     *
     * @throws IllegalArgumentException "LABEL must be ..., but was 'VALUE'", or for an unknown
     *     name the list of known ones
     */
    public static void apply(AfterResponseConfig.Builder builder, String name, String value, String label) {
        Setting setting = SETTINGS.get(name);
        if (setting == null) {
            throw invalid(label, "one of " + String.join(", ", SETTINGS.keySet())
                    + " (it is not a setting of After Response)", value);
        }
        setting.apply(builder, label, value);
    }

    /** The init-param names, in documentation order. */
    public static List<String> names() {
        return List.copyOf(SETTINGS.keySet());
    }

    /** A buffer limit as init-params and {@code ContinueAfterResponse} write it. */
    public static int bufferLimit(String name, String value) {
        try {
            return Sizes.checkBufferLimit(Sizes.parse(value), name);
        } catch (IllegalArgumentException e) {
            throw invalid(name, "a byte size from 0 to 1GiB such as 1048576, 64KiB or 1MiB", value);
        }
    }

    /** The abort policy as init-params and {@code ContinueAfterResponse} write it; {@code name} labels the error. */
    public static AbortPolicy abortPolicy(String name, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "cancel" -> AbortPolicy.CANCEL;
            case "continue" -> AbortPolicy.CONTINUE;
            default -> throw invalid(name, "cancel or continue", value);
        };
    }

    /** A time limit as init-params and {@code ContinueAfterResponse} write it. */
    public static Duration timeLimit(String name, String value) {
        return duration(name, value, "a duration from 0 (none) to 365d such as 30, 30s, 10m, 2h or PT90S",
                limit -> Durations.check(limit, Duration.ZERO, AfterResponseConfig.MAX_TIME_LIMIT, name));
    }

    /** Parses a duration and lets {@code check} validate it; any failure names the init-param. */
    private static Duration duration(String name, String value, String must, Consumer<Duration> check) {
        try {
            Duration parsed = Durations.parse(value);
            check.accept(parsed);
            return parsed;
        } catch (IllegalArgumentException e) {
            throw invalid(name, must, value);
        }
    }

    private static int integer(String name, String value, int min, int max) {
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(name, "an integer from " + min + " to " + max, value);
    }

    private static ExecutorChoice executor(String name, String value) {
        String trimmed = value.trim();
        if (trimmed.equalsIgnoreCase("container")) {
            return ExecutorChoice.container();
        }
        if (trimmed.equalsIgnoreCase("dedicated")) {
            return ExecutorChoice.dedicated();
        }
        if (trimmed.equalsIgnoreCase("virtual")) {
            return ExecutorChoice.virtualThreads();
        }
        if (trimmed.equalsIgnoreCase("platform")) {
            return ExecutorChoice.platformThreads();
        }
        if (trimmed.regionMatches(true, 0, "jndi:", 0, 5) && !trimmed.substring(5).isBlank()) {
            return ExecutorChoice.jndi(trimmed.substring(5));
        }
        throw invalid(name, "container, dedicated, virtual, platform or jndi:<name> (such as "
                + "jndi:java:comp/DefaultManagedExecutorService)",
                value);
    }

    /** {@code true} or {@code false}, as init-params and {@code ContinueAfterResponse} write them. */
    public static boolean bool(String name, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(name, "true or false", value);
        };
    }

    /** A comma-separated list, each item trimmed, empty ones left out. */
    static List<String> list(String value) {
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(attribute -> !attribute.isEmpty())
                .toList();
    }

    static IllegalArgumentException invalid(String name, String must, String value) {
        return new IllegalArgumentException(name + " must be " + must + ", but was '" + value + "'");
    }
}
