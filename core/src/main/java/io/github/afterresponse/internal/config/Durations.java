package io.github.afterresponse.internal.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written for humans: {@code 0}, {@code 30} (seconds, as PHP counts), {@code 250ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code PT90S}. */
public final class Durations {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(MS|S|M|H|D)?");

    private Durations() {}

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException if the text is not a duration
     */
    public static Duration parse(String text) {
        String trimmed = text.trim().toUpperCase(Locale.ROOT);
        if (trimmed.startsWith("P")) {
            try {
                return Duration.parse(trimmed);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not a duration: '" + text + "'", e);
            }
        }
        Matcher matcher = DURATION.matcher(trimmed);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a duration: '" + text + "'");
        }
        long number = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "S" : matcher.group(2);
        return switch (unit) {
            case "MS" -> Duration.ofMillis(number);
            case "M" -> Duration.ofMinutes(number);
            case "H" -> Duration.ofHours(number);
            case "D" -> Duration.ofDays(number);
            default -> Duration.ofSeconds(number);
        };
    }

    /** The duration as {@link #parse} reads it back: {@code 0}, {@code 250ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 365d}. */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0";
        }
        if (duration.getNano() % 1_000_000 != 0) {
            return duration.toString(); // finer than milliseconds: ISO-8601, which parse reads too
        }
        long millis = duration.toMillis();
        if (millis % 86_400_000 == 0) {
            return millis / 86_400_000 + "d";
        }
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }

    /**
     * Checks that a duration lies in {@code [min, max]}; the message names the setting.
     *
     * @throws IllegalArgumentException "NAME must be between MIN and MAX, but was VALUE"
     */
    public static Duration check(Duration value, Duration min, Duration max, String name) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0 || value.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException(name + " must be between " + format(min) + " and " + format(max)
                    + " in whole milliseconds, but was " + value);
        }
        return value;
    }
}
