package io.github.afterresponse.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DemoOptionsTest {

    /** Every option the mailer has, as the README and --help name them. */
    private static final List<String> NAMES = List.of("port", "data-dir", "db-url", "db-user", "db-password", "smtp-host",
            "smtp-port", "smtp-security", "smtp-user", "smtp-password", "smtp-connections", "smtp-reject", "from", "rate",
            "window", "max-errors", "max-recipients", "max-running", "queue", "time-limit", "shutdown-grace", "customers");

    private static final String[] NO_ARGS = {};

    @Test
    void defaults() {
        DemoOptions options = DemoOptions.parse(NO_ARGS, Map.of());
        assertThat(options.port()).isEqualTo(8080);
        assertThat(options.dataDir()).isEqualTo(Path.of("mailer-data"));
        assertThat(options.dbUrl()).isEmpty();
        assertThat(options.embeddedSmtp()).isTrue();
        assertThat(options.smtpHost()).isEqualTo("127.0.0.1");
        assertThat(options.smtpPort()).isEqualTo(3025);
        assertThat(options.smtpSecurity()).isEqualTo(DemoOptions.SmtpSecurity.NONE);
        assertThat(options.smtpUser()).isEmpty();
        assertThat(options.smtpConnections()).isEqualTo(4);
        assertThat(options.smtpReject().matcher("Ada.Lovelace.7@BOUNCE.example.com").matches()).isTrue();
        assertThat(options.smtpReject().matcher("ada.lovelace.7@example.com").matches()).isFalse();
        assertThat(options.from()).isEqualTo("News <news@example.com>");
        assertThat(options.rate()).isEqualTo(500);
        assertThat(options.window()).isEmpty();
        assertThat(options.maxErrors()).isEqualTo(10);
        assertThat(options.maxRecipients()).isEqualTo(10_000);
        assertThat(options.maxRunning()).isEqualTo(4);
        assertThat(options.queue()).isEqualTo(64);
        assertThat(options.timeLimit()).isEqualTo(Duration.ofHours(1));
        assertThat(options.shutdownGrace()).isEqualTo(Duration.ofSeconds(20));
        assertThat(options.customers()).isEqualTo(10_000);
        assertThat(DemoOptions.defaults().toString()).isEqualTo(options.toString());
    }

    @Test
    void environmentVariableIsUsedAndAnOptionWinsOverIt() {
        Map<String, String> environment = Map.of("MAILER_PORT", "9090", "MAILER_MAX_RECIPIENTS", "5", "MAILER_SMTP_HOST",
                "mail.example.com", "MAILER_WINDOW", "1000/1h");
        DemoOptions fromEnvironment = DemoOptions.parse(NO_ARGS, environment);
        assertThat(fromEnvironment.port()).isEqualTo(9090);
        assertThat(fromEnvironment.maxRecipients()).isEqualTo(5);
        assertThat(fromEnvironment.embeddedSmtp()).isFalse();
        assertThat(fromEnvironment.smtpHost()).isEqualTo("mail.example.com");
        assertThat(fromEnvironment.window()).contains(new DemoOptions.Window(1000, Duration.ofHours(1)));

        DemoOptions both = DemoOptions.parse(new String[] {"--port=9191", "--max-recipients=7"}, environment);
        assertThat(both.port()).isEqualTo(9191);
        assertThat(both.maxRecipients()).isEqualTo(7);
        assertThat(both.smtpHost()).isEqualTo("mail.example.com");
    }

    @Test
    void valuesAreTrimmedAndParsed() {
        DemoOptions options = DemoOptions.parse(new String[] {"--rate= 12.5 ", "--window=20/2s", "--time-limit=90s",
                "--shutdown-grace=0s", "--smtp-security=STARTTLS", "--smtp-reject=", "--data-dir=/tmp/m"}, Map.of());
        assertThat(options.rate()).isEqualTo(12.5);
        assertThat(options.window()).contains(new DemoOptions.Window(20, Duration.ofSeconds(2)));
        assertThat(options.window().orElseThrow()).hasToString("20/2s");
        assertThat(options.timeLimit()).isEqualTo(Duration.ofSeconds(90));
        assertThat(options.shutdownGrace()).isZero();
        assertThat(options.smtpSecurity()).isEqualTo(DemoOptions.SmtpSecurity.STARTTLS);
        assertThat(options.smtpReject().pattern()).isEmpty();
        assertThat(options.dataDir()).isEqualTo(Path.of("/tmp/m"));
        assertThat(options.with(Map.of("rate", "0")).rate()).isZero();
        assertThat(options.with(Map.of("rate", "0")).window()).isEqualTo(options.window());
    }

    @ParameterizedTest(name = "--{0}={1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "port|70000|a port from 0 to 65535",
        "port|-1|a port from 0 to 65535",
        "port|http|a port from 0 to 65535",
        "smtp-port|3025.5|a port from 0 to 65535",
        "smtp-security|ssl|none, starttls or tls",
        "smtp-connections|0|a whole number from 1 to 64",
        "smtp-connections|65|a whole number from 1 to 64",
        "smtp-reject|[|a regular expression",
        "rate|x|a number of messages per second from 0 to 1000000",
        "rate|-1|a number of messages per second from 0 to 1000000",
        "rate|NaN|a number of messages per second from 0 to 1000000",
        "window|1000|N/DURATION with N at least 1, such as 1000/1h",
        "window|0/1h|N/DURATION with N at least 1, such as 1000/1h",
        "window|10/0s|N/DURATION with N at least 1, such as 1000/1h",
        "window|10/soon|N/DURATION with N at least 1, such as 1000/1h",
        "max-errors|0|a whole number from 1 to 10000",
        "max-recipients|0|a whole number from 1 to 1000000",
        "max-running|65|a whole number from 1 to 64",
        "queue|-1|a whole number from 0 to 10000",
        "customers|many|a whole number from 0 to 1000000",
        "time-limit|0s|a duration from 1s to 1d such as 90s, 10m or 1h",
        "time-limit|ten minutes|a duration from 1s to 1d such as 90s, 10m or 1h",
        "shutdown-grace|2h|a duration from 0s to 1h such as 90s, 10m or 1h",
        "db-url|mysql://127.0.0.1/mailer|a JDBC URL (jdbc:...)",
        "smtp-host|\"\"|'embedded' or a host name"})
    void badValueNamesTheOptionAndTheValue(String name, String value, String expected) {
        String message = "--" + name + " must be " + expected + ", but was '" + value + "'";
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--" + name + "=" + value}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
        assertThatThrownBy(() -> DemoOptions.parse(Map.of(name, value)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void fromWithLineBreakIsRefused() {
        assertThatThrownBy(() -> DemoOptions.parse(Map.of("from", "News <news@example.com>\r\nBcc: all@example.com")))
                .hasMessageStartingWith("--from must be an e-mail address such as 'News <news@example.com>', without CR or LF,"
                        + " but was 'News");
    }

    @Test
    void fromThatIsNoAddressIsRefused() {
        assertThatThrownBy(() -> DemoOptions.parse(Map.of("from", "news at example")))
                .hasMessage("--from must be an e-mail address such as 'News <news@example.com>', without CR or LF,"
                        + " but was 'news at example'");
    }

    @Test
    void badValueFromTheEnvironmentIsNamedToo() {
        assertThatThrownBy(() -> DemoOptions.parse(NO_ARGS, Map.of("MAILER_RATE", "fast")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--rate must be a number of messages per second from 0 to 1000000, but was 'fast'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--nope=1", "nope=1", "-port=1", "--=1", "--Port=80"})
    void unknownOptionIsRefused(String arg) {
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {arg}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown option '" + arg + "'; --help lists the options");
    }

    @Test
    void unknownNameInAMapIsRefused() {
        assertThatThrownBy(() -> DemoOptions.parse(Map.of("nope", "1")))
                .hasMessage("unknown option '--nope'; --help lists the options");
    }

    /** "--port 8080", as many programs take it: the option is known, only its form is wrong. */
    @Test
    void knownOptionWithoutValueSaysHowToGiveIt() {
        assertThatThrownBy(() -> DemoOptions.parse(new String[] {"--port", "8080"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--port must be given as --port=VALUE, but was '--port'");
    }

    @Test
    void passwordsAreNotShown() {
        String shown = DemoOptions.parse(Map.of("smtp-password", "s3cret", "db-password", "hunter2")).toString();
        assertThat(shown).contains("smtp-password=***", "db-password=***").doesNotContain("s3cret", "hunter2");
    }

    @Test
    void helpListsEveryOptionWithItsVariableAndDefault() {
        String usage = DemoOptions.usage();
        Matcher line = Pattern.compile("(?m)^  --([a-z-]+)=\\.\\.\\.  \\((MAILER_[A-Z_]+), default '(.*)'\\)$").matcher(usage);
        Map<String, String> defaults = new java.util.LinkedHashMap<>();
        while (line.find()) {
            assertThat(line.group(2)).isEqualTo("MAILER_" + line.group(1).toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
            defaults.put(line.group(1), line.group(3));
        }
        assertThat(defaults.keySet()).containsExactlyElementsOf(NAMES);
        // Each default shown is the one in force, and is valid.
        DemoOptions shown = DemoOptions.parse(defaults);
        assertThat(shown.toString()).isEqualTo(DemoOptions.defaults().toString());
        assertThat(usage).contains("usage: java -jar after-response-jetty-demo.jar", "an option wins over it");
    }
}
