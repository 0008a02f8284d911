package io.github.afterresponse.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.afterresponse.demo.MailerFixture.Client;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --window=20/2s} without a rate: the first 20 messages go at once, then never more than 20
 * in any two seconds, and the campaign still completes. One SMTP connection, so that the messages
 * arrive in the order the limiter let them go.
 */
class SendWindowIT {

    private static final int CAP = 20;
    private static final Duration WINDOW = Duration.ofSeconds(2);
    /**
     * The limiter counts the moments it lets messages go; the server notes when each arrived, a
     * little later, by more or less. This much of the window is left for that difference.
     */
    private static final Duration JITTER = Duration.ofMillis(300);

    @TempDir
    Path data;

    @Test
    void noMoreThanTheCapInAnySlidingWindow() throws Exception {
        try (MailerFixture mailer = MailerFixture.start(data, Map.of("rate", "0", "window", CAP + "/2s", "customers", "50",
                "smtp-reject", "", "smtp-connections", "1"))) {
            Client api = mailer.client();
            Instant posted = Instant.now();
            long id = api.create(Map.of("subject", "Capped {name}", "text", "Hello")).path("id").asLong();
            JsonNode done = api.awaitState(id, "COMPLETED", Duration.ofSeconds(20));
            assertThat(done.path("sent").asInt()).isEqualTo(50);

            List<Instant> arrivals = api.outbox().stream().map(mail -> Instant.parse(mail.path("receivedAt").asText())).toList();
            assertThat(arrivals).hasSize(50);
            // The first 20 go at once (spaced out over the window, 2 to 20 would take 1.8 s). The
            // first one also waits for the connection to open.
            assertThat(Duration.between(arrivals.get(1), arrivals.get(CAP - 1))).as("messages 2 to %d", CAP)
                    .isLessThan(Duration.ofMillis(750));
            assertThat(Duration.between(posted, arrivals.get(CAP - 1))).isLessThan(WINDOW);
            // Nothing goes before the POST: the 21st and the 41st cannot arrive before one and two
            // windows after it, whatever the jitter.
            assertThat(Duration.between(posted, arrivals.get(CAP))).isGreaterThanOrEqualTo(WINDOW);
            assertThat(Duration.between(posted, arrivals.get(2 * CAP))).isGreaterThanOrEqualTo(WINDOW.multipliedBy(2));
            // Any 21 in a row span a window (the first message is late by the connection's opening).
            for (int i = 1; i + CAP < arrivals.size(); i++) {
                assertThat(Duration.between(arrivals.get(i), arrivals.get(i + CAP)))
                        .as("messages %d to %d (%d of them) span at least the window", i + 1, i + CAP + 1, CAP + 1)
                        .isGreaterThanOrEqualTo(WINDOW.minus(JITTER));
            }
            System.out.printf("SendWindowIT: 50 messages under --window=20/2s in %d ms%n",
                    Duration.between(arrivals.get(0), arrivals.get(49)).toMillis());
        }
    }
}
