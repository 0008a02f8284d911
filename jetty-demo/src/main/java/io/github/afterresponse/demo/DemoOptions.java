package io.github.afterresponse.demo;

import java.util.Locale;

/**
 * Command-line options of the bulk mailer.
 *
 * @param httpPort port of the web page, on 127.0.0.1 (0 picks a free one)
 * @param smtpHost SMTP server to send through; null for the embedded one
 * @param smtpPort its port (for the embedded server: the port it listens on, 0 picks a free one)
 */
public record DemoOptions(int httpPort, String smtpHost, int smtpPort) {

    /** Web page on 8080, embedded SMTP server on 3025. */
    public static final DemoOptions DEFAULTS = new DemoOptions(8080, null, 3025);

    /** Whether the demo starts its own SMTP server (GreenMail) instead of using one. */
    public boolean embeddedSmtp() {
        return smtpHost == null;
    }

    /**
     * Reads {@code --port=N} and {@code --smtp=embedded|embedded:PORT|HOST:PORT}.
     *
     * @throws IllegalArgumentException naming the option and the bad value
     */
    public static DemoOptions parse(String... args) {
        DemoOptions options = DEFAULTS;
        for (String arg : args) {
            if (arg.startsWith("--port=")) {
                options = new DemoOptions(port("--port", arg.substring(7)), options.smtpHost, options.smtpPort);
            } else if (arg.startsWith("--smtp=")) {
                options = smtp(options.httpPort, arg.substring(7));
            } else {
                throw new IllegalArgumentException("unknown option '" + arg + "'; the options are --port=N and "
                        + "--smtp=embedded|embedded:PORT|HOST:PORT");
            }
        }
        return options;
    }

    private static DemoOptions smtp(int httpPort, String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.equals("embedded")) {
            return new DemoOptions(httpPort, null, DEFAULTS.smtpPort);
        }
        int colon = value.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--smtp must be embedded, embedded:PORT or HOST:PORT, but was '" + value + "'");
        }
        String host = value.substring(0, colon);
        int port = port("--smtp", value.substring(colon + 1));
        return new DemoOptions(httpPort, host.equalsIgnoreCase("embedded") ? null : host, port);
    }

    private static int port(String option, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " port must be between 0 and 65535, but was '" + value + "'");
    }
}
