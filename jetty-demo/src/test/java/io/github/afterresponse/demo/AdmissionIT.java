package io.github.afterresponse.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.afterresponse.demo.MailerFixture.Client;
import io.github.afterresponse.demo.MailerFixture.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The toolkit's admission limit applies to the requests that start sending, and only to them:
 * with every place taken a new campaign is refused with 503 and Retry-After before anything is
 * stored, while status, pages, the outbox and pause keep answering; a queue place lets the next
 * campaign wait and run after the first.
 */
class AdmissionIT {

    private static final Map<String, Object> EVERYONE = Map.of("subject", "For {name}", "text", "Hello");

    @TempDir
    Path data;

    @Test
    void withEveryPlaceTakenANewCampaignIs503AndTheRestStillAnswers() throws Exception {
        try (MailerFixture mailer = MailerFixture.start(data, Map.of("max-running", "1", "queue", "0", "rate", "50",
                "customers", "150", "smtp-reject", ""))) {
            Client api = mailer.client();
            long id = api.create(EVERYONE).path("id").asLong();
            api.awaitState(id, "SENDING", Duration.ofSeconds(10));
            long campaigns = api.campaignCount();

            Reply refused = api.post("/api/campaigns", Map.of("subject", "Second", "text", "Hello"));
            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).as("Retry-After").matches("\\d+");
            assertThat(refused.body()).contains("busy");
            assertThat(api.campaignCount()).as("nothing stored").isEqualTo(campaigns);

            // Everything that does not start sending passes the filter by: never a 503.
            assertThat(api.get("/api/campaigns").status()).isEqualTo(200);
            assertThat(api.get("/api/campaigns/" + id).status()).isEqualTo(200);
            assertThat(api.get("/api/campaigns/" + id + "/recipients?status=sent").status()).isEqualTo(200);
            assertThat(api.get("/").status()).isEqualTo(200);
            assertThat(api.get("/api/outbox").status()).isEqualTo(200);
            assertThat(api.get("/api/audience").status()).isEqualTo(200);
            assertThat(api.get("/api/session").status()).isEqualTo(200);
            assertThat(api.post("/api/preview", EVERYONE).status()).isEqualTo(200);
            assertThat(api.campaign(id).path("state").asText()).as("still sending meanwhile").isEqualTo("SENDING");
            Reply pause = api.post("/api/campaigns/" + id + "/pause", Map.of());
            assertThat(pause.status()).as(pause.body()).isEqualTo(202);
            JsonNode paused = api.awaitState(id, "PAUSED", Duration.ofSeconds(10));
            assertThat(paused.path("pending").asInt()).isPositive();
            assertThat(api.campaignCount()).isEqualTo(campaigns);
            // Only the two campaign submissions went through the toolkit's admission.
            assertThat(mailer.mailer().filter().monitor().accepted()).isEqualTo(1);
            assertThat(mailer.mailer().filter().monitor().rejected()).isEqualTo(1);
        }
    }

    @Test
    void withAQueuePlaceTheNextCampaignWaitsAndRunsAfterTheFirst() throws Exception {
        try (MailerFixture mailer = MailerFixture.start(data, Map.of("max-running", "1", "queue", "1", "rate", "50",
                "customers", "100", "smtp-reject", ""))) {
            Client api = mailer.client();
            long first = api.create(EVERYONE).path("id").asLong();
            api.awaitState(first, "SENDING", Duration.ofSeconds(10));

            JsonNode queued = api.create(Map.of("subject", "Second {name}", "text", "Hello", "segment", "vip"));
            long second = queued.path("id").asLong();
            assertThat(queued.path("state").asText()).isEqualTo("QUEUED");
            assertThat(queued.path("active").asBoolean()).isTrue();
            Reply third = api.post("/api/campaigns", Map.of("subject", "Third", "text", "Hello"));
            assertThat(third.status()).as("no place left: %s", third.body()).isEqualTo(503);
            assertThat(api.campaign(second).path("state").asText()).isEqualTo("QUEUED");
            assertThat(api.campaign(first).path("state").asText()).isEqualTo("SENDING");

            JsonNode firstDone = api.awaitState(first, "COMPLETED", Duration.ofSeconds(20));
            JsonNode secondDone = api.awaitState(second, "COMPLETED", Duration.ofSeconds(20));
            assertThat(secondDone.path("sent").asInt()).isEqualTo(secondDone.path("total").asInt()).isPositive();
            Instant lastOfFirst = api.recipients(first, "sent").stream()
                    .map(r -> Instant.parse(r.path("finishedAt").asText())).max(Instant::compareTo).orElseThrow();
            assertThat(Instant.parse(secondDone.path("startedAt").asText()))
                    .as("the second started after the first sent its last message").isAfterOrEqualTo(lastOfFirst);
            assertThat(firstDone.path("sent").asInt()).isEqualTo(100);
            assertThat(mailer.mailsOf(first)).hasSize(100);
            assertThat(mailer.mailsOf(second)).hasSize(secondDone.path("total").asInt());
        }
    }
}
