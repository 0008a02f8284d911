package io.github.afterresponse.internal.config;

import io.github.afterresponse.AfterResponseConfig;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes written for humans: {@code 1048576}, {@code 64KiB}, {@code 1MiB}. */
public final class Sizes {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,10})\\s*(B|KIB|MIB|GIB|K|M|G)?");

    private Sizes() {}

    /**
     * Parses a size.
     *
     * @throws IllegalArgumentException if the text is not a size
     */
    public static long parse(String text) {
        Matcher matcher = SIZE.matcher(text.trim().toUpperCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a byte size: '" + text + "'");
        }
        long number = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "B" : matcher.group(2);
        return number * switch (unit.charAt(0)) {
            case 'K' -> 1024L;
            case 'M' -> 1024L * 1024;
            case 'G' -> 1024L * 1024 * 1024;
            default -> 1L;
        };
    }

    /** The size in the largest binary unit that divides it: {@code 1MiB}, {@code 1536KiB}, {@code 100B}. */
    public static String format(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB"};
        int unit = 0;
        long value = bytes;
        while (unit < units.length - 1 && value != 0 && value % 1024 == 0) {
            value /= 1024;
            unit++;
        }
        return value + units[unit];
    }

    /** Checks a buffer limit; the message names the setting {@code name}. */
    public static int checkBufferLimit(long bytes, String name) {
        if (bytes < 0 || bytes > AfterResponseConfig.MAX_BUFFER_LIMIT) {
            throw new IllegalArgumentException(name + " must be between 0 and 1GiB, but was " + bytes);
        }
        return (int) bytes;
    }
}
