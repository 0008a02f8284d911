package io.github.afterresponse.internal;

import io.github.afterresponse.AfterResponseConfig;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
        initParameters.forEach((name, value) -> {
            Setting setting = SETTINGS.get(name);
            if (setting == null) {
                throw invalid(name, "one of " + String.join(", ", SETTINGS.keySet())
                        + " (it is not a setting of After Response)", value);
            }
            setting.apply(builder, name, value);
        });
        return builder;
    }

    /** The init-param names, in documentation order. */
    public static List<String> names() {
        return List.copyOf(SETTINGS.keySet());
    }

    private static int bufferLimit(String name, String value) {
        try {
            return Sizes.checkBufferLimit(Sizes.parse(value), "init-param " + name);
        } catch (IllegalArgumentException e) {
            throw invalid(name, "a byte size from 0 to 1GiB such as 1048576, 64KiB or 1MiB", value);
        }
    }

    private static boolean bool(String name, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(name, "true or false", value);
        };
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(attribute -> !attribute.isEmpty())
                .toList();
    }

    private static IllegalArgumentException invalid(String name, String must, String value) {
        return new IllegalArgumentException("init-param " + name + " must be " + must + ", but was '" + value + "'");
    }
}
