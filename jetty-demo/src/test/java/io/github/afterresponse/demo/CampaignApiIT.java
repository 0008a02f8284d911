package io.github.afterresponse.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.afterresponse.demo.MailerFixture.Client;
import io.github.afterresponse.demo.MailerFixture.Reply;
import io.github.afterresponse.demo.mail.Letters;
import io.github.afterresponse.demo.mail.Outbox;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A campaign of about 2,000 recipients through the API, against the embedded SMTP server and its
 * default refusal of {@code @bounce.example.com}: answered at once while the sending goes on, then
 * every recipient sent once and personalised, except the refused ones, which are recorded as
 * failed with the server's 550.
 */
class CampaignApiIT {

    private static final String SEGMENT = "retail";
    private static final String SUBJECT = "Hello {name}, news for {segment}";
    private static final String TEXT = "Dear {firstName},\nthis goes to {email}.";
    private static final String HTML = "<p>Dear <b>{name}</b>, this goes to {email}.</p>";

    @TempDir
    Path data;

    @Test
    void answersAtOnceThenSendsEveryRecipientItsOwnMessage() throws Exception {
        try (MailerFixture mailer = MailerFixture.start(data, Map.of("rate", "1000"))) {
            Client api = mailer.client();
            long audience = api.get("/api/audience/count?segment=" + SEGMENT).json().path("count").asLong();
            assertThat(audience).as("customers of segment %s", SEGMENT).isBetween(1800L, 2200L);
            // One small campaign first, so that the time measured below is the request's, not that
            // of loading and compiling the classes a first campaign needs.
            String someone = api.post("/api/preview", Map.of("subject", "s", "text", "t")).json().path("customer").path("email").asText();
            long warmUp = api.create(Map.of("subject", "Warm-up", "text", "t", "emails", List.of(someone))).path("id").asLong();
            api.awaitState(warmUp, "COMPLETED", Duration.ofSeconds(10));
            int before = mailer.outbox().size();

            Reply created = api.post("/api/campaigns", Map.of("subject", SUBJECT, "text", TEXT, "html", HTML,
                    "segment", SEGMENT));
            int outboxRightAfter = mailer.outbox().size() - before;
            assertThat(created.status()).as(created.body()).isEqualTo(202);
            assertThat(created.took()).as("time to the 202").isLessThan(Duration.ofSeconds(1));
            long id = created.json().path("id").asLong();
            int total = created.json().path("total").asInt();
            assertThat(total).isEqualTo(audience);
            assertThat(created.header("Location")).isEqualTo("/api/campaigns/" + id);
            assertThat(created.json().path("state").asText()).isIn("QUEUED", "SENDING");
            assertThat(api.campaign(id).path("state").asText()).isIn("QUEUED", "SENDING");
            assertThat(outboxRightAfter).as("mails in the outbox at the 202").isLessThan(total);
            System.out.printf("CampaignApiIT: 202 after %d ms for %d recipients, %d in the outbox then%n",
                    created.took().toMillis(), total, outboxRightAfter);

            JsonNode done = api.awaitState(id, "COMPLETED", Duration.ofSeconds(30));
            assertThat(done.path("outcome").asText()).isEqualTo("COMPLETED");
            assertThat(done.path("connectionStatus").asInt(-1)).isZero();

            List<JsonNode> recipients = api.recipients(id, null);
            List<JsonNode> failed = api.recipients(id, "failed");
            List<JsonNode> sent = api.recipients(id, "sent");
            assertThat(recipients).hasSize(total);
            assertThat(api.recipients(id, "pending")).isEmpty();
            // Exactly the addresses the embedded server refuses failed, each with its 550.
            assertThat(failed).isNotEmpty().allSatisfy(r -> {
                assertThat(r.path("email").asText()).endsWith("@bounce.example.com");
                assertThat(r.path("state").asText()).isEqualTo("FAILED");
                assertThat(r.path("reason").asText()).contains("550").contains(r.path("email").asText());
            });
            assertThat(recipients.stream().filter(r -> r.path("email").asText().endsWith("@bounce.example.com")))
                    .hasSameSizeAs(failed);
            assertThat(sent).hasSize(total - failed.size()).allSatisfy(r -> assertThat(r.path("state").asText()).isEqualTo("SENT"));
            assertThat(done.path("sent").asInt()).isEqualTo(sent.size());
            assertThat(done.path("failed").asInt()).isEqualTo(failed.size());
            assertThat(done.path("pending").asInt()).isZero();

            // The outbox: one message per sent recipient, no more, each its own.
            List<Outbox.Mail> mails = mailer.mailsOf(id);
            assertThat(mailer.outbox().size()).isEqualTo(before + mails.size());
            assertThat(mails).hasSize(total - failed.size());
            List<JsonNode> listed = api.outbox().subList(before, before + mails.size());
            Map<String, JsonNode> byMessageId = sent.stream()
                    .collect(Collectors.toMap(r -> r.path("messageId").asText(), Function.identity()));
            assertThat(byMessageId).hasSize(sent.size());
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < mails.size(); i++) {
                MimeMessage message = mails.get(i).message();
                String messageId = message.getMessageID();
                seen.merge(messageId, 1, Integer::sum);
                JsonNode recipient = byMessageId.get(messageId);
                assertThat(recipient).as("the recipient of %s", messageId).isNotNull();
                assertThat(messageId).isEqualTo(Letters.messageId(id, recipient.path("customerId").asLong(), "news@example.com"));
                assertPersonalised(message, recipient);
                JsonNode entry = listed.get(i);
                assertThat(entry.path("number").asInt()).isEqualTo(mails.get(i).number());
                assertThat(entry.path("to").asText()).contains(recipient.path("email").asText());
                assertThat(entry.path("subject").asText()).isEqualTo(subjectFor(recipient));
            }
            assertThat(seen.values()).as("copies per Message-ID").containsOnly(1);
            Reply one = api.get("/api/outbox/" + mails.get(0).number());
            assertThat(one.json().path("raw").asText()).contains("Message-ID: " + mails.get(0).message().getMessageID());

            Instant first = Instant.parse(listed.get(0).path("receivedAt").asText());
            Instant last = Instant.parse(listed.get(listed.size() - 1).path("receivedAt").asText());
            double seconds = Duration.between(first, last).toNanos() / 1e9;
            System.out.printf("CampaignApiIT: %d messages in %.2f s, %.0f messages/s (--rate=1000)%n",
                    mails.size(), seconds, (mails.size() - 1) / seconds);
        }
    }

    private static String subjectFor(JsonNode recipient) {
        return "Hello " + recipient.path("name").asText() + ", news for " + SEGMENT;
    }

    private static void assertPersonalised(MimeMessage message, JsonNode recipient) throws Exception {
        String name = recipient.path("name").asText();
        String email = recipient.path("email").asText();
        InternetAddress[] to = (InternetAddress[]) message.getRecipients(Message.RecipientType.TO);
        assertThat(to).hasSize(1);
        assertThat(to[0].getAddress()).isEqualTo(email);
        assertThat(to[0].getPersonal()).isEqualTo(name);
        assertThat(message.getSubject()).isEqualTo(subjectFor(recipient));
        Multipart alternative = (Multipart) message.getContent();
        assertThat(alternative.getCount()).isEqualTo(2);
        // SMTP carries lines ending in CR LF.
        assertThat(alternative.getBodyPart(0).getContent().toString().replace("\r\n", "\n"))
                .isEqualTo("Dear " + name.split(" ", 2)[0] + ",\nthis goes to " + email + ".");
        assertThat(alternative.getBodyPart(1).getContentType()).startsWith("text/html");
        assertThat(alternative.getBodyPart(1).getContent())
                .isEqualTo("<p>Dear <b>" + Letters.escapeHtml(name) + "</b>, this goes to " + email + ".</p>");
    }
}
