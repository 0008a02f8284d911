package io.github.afterresponse.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.afterresponse.demo.MailerFixture.Client;
import io.github.afterresponse.demo.MailerFixture.Reply;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An external SMTP server (a GreenMail this test starts on 127.0.0.1) that goes away in the middle
 * of a campaign: each recipient tried meanwhile is recorded as a failure worth retrying, and after
 * {@code --max-errors} of them in a row the campaign pauses itself, saying why. With the server
 * back on the same port, Resume retries those recipients and every customer gets the campaign
 * exactly once.
 */
class SmtpFailureIT {

    private static final int CUSTOMERS = 60;

    @TempDir
    Path data;

    @Test
    void serverGoneMidCampaignPausesItAndResumeSendsTheRestOnce() throws Exception {
        GreenMail first = smtp(0);
        GreenMail second = null;
        int port = first.getSmtp().getPort();
        try (MailerFixture mailer = MailerFixture.start(data, Map.of("smtp-host", "127.0.0.1", "smtp-port", Integer.toString(port),
                "max-errors", "5", "rate", "50", "customers", Integer.toString(CUSTOMERS)))) {
            Client api = mailer.client();
            long id = api.create(Map.of("subject", "News for {name}", "text", "Hello {firstName}")).path("id").asLong();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> api.campaign(id).path("sent").asInt() >= 10);
            // The server goes away between two messages: paused first, so that no transfer is cut
            // in the middle (the server would have the message, the mailer not know it).
            assertThat(api.post("/api/campaigns/" + id + "/pause", Map.of()).status()).isEqualTo(202);
            JsonNode paused = api.awaitState(id, "PAUSED", Duration.ofSeconds(10));
            int sentBefore = paused.path("sent").asInt();
            List<MimeMessage> received = new ArrayList<>(Arrays.asList(first.getReceivedMessages()));
            assertThat(received).hasSize(sentBefore);
            first.stop();

            Reply resumed = api.post("/api/campaigns/" + id + "/resume", Map.of());
            assertThat(resumed.status()).as(resumed.body()).isEqualTo(202);
            JsonNode stopped = api.awaitState(id, "PAUSED", Duration.ofSeconds(20));
            assertThat(stopped.path("reason").asText())
                    .matches("paused after \\d+ failures in a row; the last: cannot connect to the SMTP server: .*")
                    .contains("127.0.0.1").contains(Integer.toString(port));
            assertThat(stopped.path("sent").asInt()).isEqualTo(sentBefore);
            List<JsonNode> failed = api.recipients(id, "failed");
            assertThat(failed).hasSizeBetween(5, 5 + 4 + 4 /* one in flight per other SMTP connection, one per pooled
                                                              connection the server closed */)
                    .allSatisfy(r -> {
                        assertThat(r.path("attempts").asInt()).isEqualTo(1);
                        // a pooled connection the server closed fails once (the message is not sent
                        // again on a new one: it might have arrived); then no connection opens
                        assertThat(r.path("reason").asText()).matches("cannot connect to the SMTP server: .*"
                                + "|Can't send command to SMTP host.*|Exception reading response.*");
                    })
                    .anySatisfy(r -> assertThat(r.path("reason").asText()).startsWith("cannot connect to the SMTP server"));
            assertThat(stopped.path("failed").asInt()).isEqualTo(failed.size());
            assertThat(stopped.path("pending").asInt()).isEqualTo(CUSTOMERS - sentBefore - failed.size()).isPositive();

            second = smtp(port);
            assertThat(api.post("/api/campaigns/" + id + "/resume", Map.of()).status()).isEqualTo(202);
            JsonNode done = api.awaitState(id, "COMPLETED", Duration.ofSeconds(20));
            assertThat(done.path("sent").asInt()).isEqualTo(CUSTOMERS);
            assertThat(done.path("failed").asInt()).isZero();
            assertThat(done.path("runs").asInt()).isEqualTo(3);
            // The failures were worth retrying: Resume tried them again, and they went.
            Map<String, JsonNode> recipients = api.recipients(id, null).stream()
                    .collect(Collectors.toMap(r -> r.path("email").asText(), Function.identity()));
            for (JsonNode failure : failed) {
                JsonNode now = recipients.get(failure.path("email").asText());
                assertThat(now.path("state").asText()).isEqualTo("SENT");
                assertThat(now.path("attempts").asInt()).isEqualTo(2);
                assertThat(now.path("reason").isNull()).isTrue();
            }

            received.addAll(Arrays.asList(second.getReceivedMessages()));
            Map<String, Long> copies = received.stream().collect(Collectors.groupingBy(SmtpFailureIT::to, Collectors.counting()));
            assertThat(copies.keySet()).isEqualTo(recipients.keySet());
            assertThat(copies.values()).as("copies per address").containsOnly(1L);
        } finally {
            first.stop();
            if (second != null) {
                second.stop();
            }
        }
    }

    private static GreenMail smtp(int port) {
        GreenMail server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        return server;
    }

    private static String to(MimeMessage message) {
        try {
            return ((InternetAddress) message.getRecipients(Message.RecipientType.TO)[0]).getAddress();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
