package io.github.afterresponse.demo.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * Escaping and the few formats the pages share. Every piece of text that did not come from this
 * source code (subjects, bodies, names, addresses, reasons, raw mail, parameters) goes through
 * {@link #text}, in element content and attribute values alike.
 */
final class Html {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CELL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Html() {
    }

    /** The text with the five characters HTML gives meaning to escaped, for content and quoted attributes. */
    static String text(String value) {
        return value == null ? "" : io.github.afterresponse.demo.mail.Letters.escapeHtml(value);
    }

    /** An instant as people read it, in UTC to the second. */
    static String time(Instant instant) {
        return TIME.format(instant);
    }

    static String time(Optional<Instant> instant) {
        return instant.map(Html::time).orElse("–");
    }

    /** An instant in a table cell whose column header says UTC. */
    static String cellTime(Instant instant) {
        return CELL_TIME.format(instant);
    }

    static String cellTime(Optional<Instant> instant) {
        return instant.map(Html::cellTime).orElse("–");
    }

    /** The same as HTML that may break between the date and the time, never inside either. */
    static String cellTimeHtml(Optional<Instant> instant) {
        return instant.map(i -> "<span class=\"nowrap\">" + cellTime(i).replace(" ", "</span> <span class=\"nowrap\">") + "</span>")
                .orElse("–");
    }

    /** Messages per second, one decimal; a dash when nothing is being sent. */
    static String rate(double perSecond) {
        return perSecond <= 0 ? "–" : String.format(Locale.ROOT, "%.1f msg/s", perSecond);
    }

    /** Time left as "45 s", "3 min 5 s" or "2 h 10 min"; a dash when unknown. The script formats alike. */
    static String eta(Optional<Duration> eta) {
        if (eta.isEmpty()) {
            return "–";
        }
        long seconds = Math.max(1, Math.round(eta.get().toMillis() / 1000.0));
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }

    /** A state as a badge; the script sets the same classes when the state changes. */
    static String state(String id, String state) {
        String lower = state.toLowerCase(Locale.ROOT);
        return "<span class=\"state state-" + lower + "\"" + (id.isEmpty() ? "" : " id=\"" + id + "\"") + ">"
                + text(state) + "</span>";
    }

    /** A number with grouping, as in "10,000". */
    static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
