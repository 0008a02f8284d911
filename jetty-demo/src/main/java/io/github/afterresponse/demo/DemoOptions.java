package io.github.afterresponse.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Every setting of the bulk mailer, from {@code --name=value} options, else the environment
 * variable {@code MAILER_NAME} (upper case, {@code -} as {@code _}), else the default.
 * {@link #usage()} lists them; a bad value fails the start naming the option and the value.
 */
public final class DemoOptions {

    /** Transport security towards the SMTP server. */
    public enum SmtpSecurity {
        /** Plain SMTP (the embedded server). */
        NONE,
        /** Plain connection upgraded by STARTTLS, required. */
        STARTTLS,
        /** TLS from the first byte (SMTPS, usually port 465). */
        TLS
    }

    /** Where a setting came from and what it means, for {@code --help}. */
    private record Option(String name, String defaultValue, String description) {
        String env() {
            return "MAILER_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
        }
    }

    private static final List<Option> OPTIONS = List.of(
            new Option("port", "8080", "HTTP port on 127.0.0.1 (0 picks a free one)"),
            new Option("data-dir", "mailer-data", "directory of the embedded H2 database and the CSRF secret"),
            new Option("db-url", "", "JDBC URL of the database; empty: H2 in file mode under --data-dir. "
                    + "For PostgreSQL: jdbc:postgresql://127.0.0.1:5432/mailer"),
            new Option("db-user", "", "database user (PostgreSQL)"),
            new Option("db-password", "", "database password (PostgreSQL)"),
            new Option("smtp-host", "embedded", "SMTP server; 'embedded' starts GreenMail on 127.0.0.1"),
            new Option("smtp-port", "3025", "SMTP port (for the embedded server: the port it listens on, 0 picks one)"),
            new Option("smtp-security", "none", "none, starttls (required) or tls (SMTPS)"),
            new Option("smtp-user", "", "SMTP user name; empty: no authentication"),
            new Option("smtp-password", "", "SMTP password"),
            new Option("smtp-connections", "4", "SMTP connections kept open and reused, shared by all campaigns (1-64)"),
            new Option("smtp-reject", ".*@bounce\\.example\\.com",
                    "embedded server only: addresses (regular expression) it refuses with 550, to show failures"),
            new Option("from", "News <news@example.com>", "sender of every mail"),
            new Option("rate", "500", "messages per second over all campaigns; 0: as fast as the server takes them"),
            new Option("window", "", "optional cap N/DURATION over all campaigns, a sliding window, e.g. 1000/1h"),
            new Option("max-errors", "10", "consecutive failures after which a campaign pauses itself (1-10000)"),
            new Option("max-recipients", "10000", "most recipients one campaign may have (1-1000000)"),
            new Option("max-running", "4", "campaigns sending at once (1-64)"),
            new Option("queue", "64", "campaigns waiting for a sending slot; past it, 503 (0-10000)"),
            new Option("time-limit", "1h", "longest a campaign sends in one go; then it is stored as interrupted"),
            new Option("shutdown-grace", "20s", "how long a stop lets sending campaigns reach a recipient boundary"),
            new Option("customers", "10000", "synthetic customers seeded into an empty database (0-1000000)"));

    private final Map<String, String> values;

    private DemoOptions(Map<String, String> values) {
        this.values = values;
    }

    /** The defaults, as if started without options and environment. */
    public static DemoOptions defaults() {
        return parse(Map.of());
    }

    /**
     * Reads {@code --name=value} arguments over the environment over the defaults.
     *
     * @throws IllegalArgumentException naming the option and the bad value, or an unknown option
     */
    public static DemoOptions parse(String[] args, Map<String, String> environment) {
        Map<String, String> given = new LinkedHashMap<>();
        for (Option option : OPTIONS) {
            String env = environment.get(option.env());
            if (env != null) {
                given.put(option.name(), env);
            }
        }
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String name = arg.startsWith("--") && eq > 2 ? arg.substring(2, eq) : null;
            if (eq < 0 && OPTIONS.stream().anyMatch(o -> arg.equals("--" + o.name()))) {
                throw new IllegalArgumentException(arg + " must be given as " + arg + "=VALUE, but was '" + arg + "'");
            }
            if (name == null || OPTIONS.stream().noneMatch(o -> o.name().equals(name))) {
                throw new IllegalArgumentException("unknown option '" + arg + "'; --help lists the options");
            }
            given.put(name, arg.substring(eq + 1));
        }
        return parse(given);
    }

    /** Settings by option name (without {@code --}); the rest keep their defaults. */
    public static DemoOptions parse(Map<String, String> given) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Option option : OPTIONS) {
            values.put(option.name(), given.getOrDefault(option.name(), option.defaultValue()).trim());
        }
        for (String name : given.keySet()) {
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("unknown option '--" + name + "'; --help lists the options");
            }
        }
        DemoOptions options = new DemoOptions(values);
        options.validate();
        return options;
    }

    /** A copy with some settings changed, validated. */
    public DemoOptions with(Map<String, String> changes) {
        Map<String, String> merged = new LinkedHashMap<>(values);
        merged.putAll(changes);
        return parse(merged);
    }

    /** The {@code --help} text: every option, its variable, its default. */
    public static String usage() {
        StringBuilder text = new StringBuilder("""
                Bulk mailer, the After Response demo: answers at once, sends the campaign afterwards.

                usage: java -jar after-response-jetty-demo.jar [--option=value ...]

                Each option can also be given by its environment variable; an option wins over it.

                """);
        for (Option option : OPTIONS) {
            text.append(String.format(Locale.ROOT, "  --%s=...  (%s, default '%s')%n      %s%n",
                    option.name(), option.env(), option.defaultValue(), option.description()));
        }
        return text.toString();
    }

    private void validate() {
        port("port");
        port("smtp-port");
        smtpSecurity();
        intIn("smtp-connections", 1, 64);
        intIn("max-errors", 1, 10_000);
        intIn("max-recipients", 1, 1_000_000);
        intIn("max-running", 1, 64);
        intIn("queue", 0, 10_000);
        intIn("customers", 0, 1_000_000);
        rate();
        window();
        duration("time-limit", Duration.ofSeconds(1), Duration.ofDays(1));
        duration("shutdown-grace", Duration.ZERO, Duration.ofHours(1));
        smtpReject();
        if (!dbUrl().isEmpty() && !dbUrl().startsWith("jdbc:")) {
            throw invalid("db-url", "a JDBC URL (jdbc:...)");
        }
        if (value("smtp-host").isEmpty()) {
            throw invalid("smtp-host", "'embedded' or a host name");
        }
        if (value("from").isEmpty() || value("from").matches("(?s).*[\\r\\n].*") || !isAddress(value("from"))) {
            throw invalid("from", "an e-mail address such as 'News <news@example.com>', without CR or LF");
        }
    }

    public int port() {
        return port("port");
    }

    public Path dataDir() {
        return Path.of(value("data-dir").isEmpty() ? "." : value("data-dir"));
    }

    /** The JDBC URL given, or empty for the embedded H2 database. */
    public String dbUrl() {
        return value("db-url");
    }

    public String dbUser() {
        return value("db-user");
    }

    public String dbPassword() {
        return value("db-password");
    }

    /** Whether the demo starts its own SMTP server (GreenMail) instead of using one. */
    public boolean embeddedSmtp() {
        return value("smtp-host").equalsIgnoreCase("embedded");
    }

    public String smtpHost() {
        return embeddedSmtp() ? "127.0.0.1" : value("smtp-host");
    }

    public int smtpPort() {
        return port("smtp-port");
    }

    public SmtpSecurity smtpSecurity() {
        try {
            return SmtpSecurity.valueOf(value("smtp-security").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid("smtp-security", "none, starttls or tls");
        }
    }

    public String smtpUser() {
        return value("smtp-user");
    }

    public String smtpPassword() {
        return value("smtp-password");
    }

    public int smtpConnections() {
        return intIn("smtp-connections", 1, 64);
    }

    /** Addresses the embedded SMTP server refuses; empty pattern: none. */
    public java.util.regex.Pattern smtpReject() {
        try {
            return java.util.regex.Pattern.compile(value("smtp-reject"), java.util.regex.Pattern.CASE_INSENSITIVE);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw invalid("smtp-reject", "a regular expression");
        }
    }

    public String from() {
        return value("from");
    }

    /** Messages per second over all campaigns; 0 for no limit. */
    public double rate() {
        return number("rate", Double::parseDouble, 0, 1_000_000, "a number of messages per second from 0 to 1000000");
    }

    /** The sliding-window cap, if set. */
    public java.util.Optional<Window> window() {
        String value = value("window");
        if (value.isEmpty()) {
            return java.util.Optional.empty();
        }
        int slash = value.indexOf('/');
        try {
            if (slash > 0) {
                int count = Integer.parseInt(value.substring(0, slash).trim());
                Duration length = Durations.parse(value.substring(slash + 1).trim());
                if (count >= 1 && !length.isNegative() && !length.isZero()) {
                    return java.util.Optional.of(new Window(count, length));
                }
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw invalid("window", "N/DURATION with N at least 1, such as 1000/1h");
    }

    public int maxErrors() {
        return intIn("max-errors", 1, 10_000);
    }

    public int maxRecipients() {
        return intIn("max-recipients", 1, 1_000_000);
    }

    public int maxRunning() {
        return intIn("max-running", 1, 64);
    }

    public int queue() {
        return intIn("queue", 0, 10_000);
    }

    /** Longest a campaign sends in one exchange. */
    public Duration timeLimit() {
        return duration("time-limit", Duration.ofSeconds(1), Duration.ofDays(1));
    }

    /** How long a stop lets running campaigns end. */
    public Duration shutdownGrace() {
        return duration("shutdown-grace", Duration.ZERO, Duration.ofHours(1));
    }

    public int customers() {
        return intIn("customers", 0, 1_000_000);
    }

    /** N messages per sliding window of the given length. */
    public record Window(int count, Duration length) {
        @Override
        public String toString() {
            return count + "/" + Durations.format(length);
        }
    }

    private static boolean isAddress(String text) {
        try {
            String address = new jakarta.mail.internet.InternetAddress(text, true).getAddress();
            int at = address.lastIndexOf('@');
            return at > 0 && at < address.length() - 1 && address.length() <= 254;
        } catch (jakarta.mail.internet.AddressException e) {
            return false;
        }
    }

    private String value(String name) {
        return values.get(name);
    }

    private int port(String name) {
        return (int) number(name, Integer::parseInt, 0, 65535, "a port from 0 to 65535");
    }

    private int intIn(String name, int min, int max) {
        return (int) number(name, Integer::parseInt, min, max, "a whole number from " + min + " to " + max);
    }

    private double number(String name, Function<String, Number> parse, double min, double max, String expected) {
        try {
            double number = parse.apply(value(name)).doubleValue();
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(name, expected);
    }

    private Duration duration(String name, Duration min, Duration max) {
        try {
            Duration duration = Durations.parse(value(name));
            if (duration.compareTo(min) >= 0 && duration.compareTo(max) <= 0) {
                return duration;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw invalid(name, "a duration from " + Durations.format(min) + " to " + Durations.format(max)
                + " such as 90s, 10m or 1h");
    }

    private IllegalArgumentException invalid(String name, String expected) {
        return new IllegalArgumentException("--" + name + " must be " + expected + ", but was '" + value(name) + "'");
    }

    /** Secrets are not printed. */
    @Override
    public String toString() {
        List<String> shown = new ArrayList<>();
        values.forEach((name, value) -> shown.add(name + "=" + (name.endsWith("password") && !value.isEmpty() ? "***" : value)));
        return String.join(" ", shown);
    }
}
