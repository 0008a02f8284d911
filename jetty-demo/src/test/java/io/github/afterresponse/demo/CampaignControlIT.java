package io.github.afterresponse.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.afterresponse.demo.MailerFixture.Client;
import io.github.afterresponse.demo.MailerFixture.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pause, resume and cancel through the API, against the embedded SMTP server (which refuses the
 * {@code @bounce.example.com} addresses): a pause stops at a recipient boundary, a resume sends
 * each remaining address once, a cancel leaves the rest pending; what a state does not allow is a
 * 409, an unknown campaign a 404.
 */
class CampaignControlIT {

    private static final int CUSTOMERS = 300;

    @TempDir
    static Path data;

    private static MailerFixture mailer;
    private static Client api;

    @BeforeAll
    static void start() throws Exception {
        mailer = MailerFixture.start(data, Map.of("customers", Integer.toString(CUSTOMERS), "rate", "100"));
        api = mailer.client();
    }

    @AfterAll
    static void stop() throws Exception {
        if (mailer != null) {
            mailer.close();
        }
    }

    @Test
    void pauseStopsAtARecipientBoundaryAndResumeSendsEachAddressOnce() {
        long id = api.create(Map.of("subject", "Paused {name}", "text", "Hello")).path("id").asLong();
        awaitSent(id, 20);

        Reply pause = api.post("/api/campaigns/" + id + "/pause", Map.of());
        assertThat(pause.status()).as(pause.body()).isEqualTo(202);
        assertThat(pause.json().path("state").asText()).isIn("SENDING", "PAUSED");
        JsonNode paused = api.awaitState(id, "PAUSED", Duration.ofSeconds(10));
        assertThat(paused.path("reason").asText()).isEqualTo("paused by request");
        assertThat(paused.path("active").asBoolean()).isFalse();
        assertThat(paused.path("stopRequested").isNull()).isTrue();

        // Each message the server accepted is stored as sent, and each sent one was accepted once.
        List<String> sent = emails(api.recipients(id, "sent"));
        List<String> received = MailerFixture.addresses(mailer.mailsOf(id));
        assertThat(received).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sent);
        assertThat(paused.path("sent").asInt()).isEqualTo(sent.size());
        int pending = api.recipients(id, "pending").size();
        assertThat(pending).isPositive().isEqualTo(CUSTOMERS - sent.size() - api.recipients(id, "failed").size());
        // And nothing more goes while it is paused.
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2))
                .until(() -> mailer.mailsOf(id).size() == sent.size() && api.campaign(id).path("sent").asInt() == sent.size());

        Reply resume = api.post("/api/campaigns/" + id + "/resume", Map.of());
        assertThat(resume.status()).as(resume.body()).isEqualTo(202);
        assertThat(resume.json().path("state").asText()).isIn("QUEUED", "SENDING");
        JsonNode done = api.awaitState(id, "COMPLETED", Duration.ofSeconds(20));
        assertThat(done.path("runs").asInt()).isEqualTo(2);
        assertThat(done.path("outcome").asText()).isEqualTo("COMPLETED");

        List<JsonNode> failed = api.recipients(id, "failed");
        assertThat(failed).as("the seeded customers have refused addresses among the first %d", CUSTOMERS).isNotEmpty()
                .allSatisfy(r -> {
                    assertThat(r.path("email").asText()).endsWith("@bounce.example.com");
                    assertThat(r.path("reason").asText()).contains("550");
                    assertThat(r.path("attempts").asInt()).as("a refused address is not tried again").isEqualTo(1);
                });
        List<String> allSent = emails(api.recipients(id, "sent"));
        assertThat(allSent).hasSize(CUSTOMERS - failed.size());
        assertThat(MailerFixture.addresses(mailer.mailsOf(id))).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(allSent);
    }

    @Test
    void cancelMidCampaignLeavesTheRestPending() {
        long id = api.create(Map.of("subject", "Cancelled {name}", "text", "Hello")).path("id").asLong();
        awaitSent(id, 10);

        Reply cancel = api.post("/api/campaigns/" + id + "/cancel", Map.of());
        assertThat(cancel.status()).as(cancel.body()).isEqualTo(202);
        JsonNode cancelled = api.awaitState(id, "CANCELLED", Duration.ofSeconds(10));
        assertThat(cancelled.path("reason").asText()).isEqualTo("cancelled by request");
        assertThat(cancelled.path("finishedAt").isNull()).isFalse();

        List<String> sent = emails(api.recipients(id, "sent"));
        List<JsonNode> pending = api.recipients(id, "pending");
        assertThat(pending).isNotEmpty().allSatisfy(r -> assertThat(r.path("attempts").asInt()).isZero());
        assertThat(cancelled.path("pending").asInt()).isEqualTo(pending.size());
        assertThat(MailerFixture.addresses(mailer.mailsOf(id))).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sent);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> mailer.mailsOf(id).size() == sent.size());
        assertThat(api.recipients(id, "pending")).hasSameSizeAs(pending);

        assertThat(api.post("/api/campaigns/" + id + "/resume", Map.of()).status()).isEqualTo(409);
        assertThat(api.post("/api/campaigns/" + id + "/pause", Map.of()).status()).isEqualTo(409);
        assertThat(api.post("/api/campaigns/" + id + "/cancel", Map.of()).status()).isEqualTo(409);
    }

    @Test
    void pausedCampaignCanBeCancelled() {
        long id = api.create(Map.of("subject", "Paused then cancelled {name}", "text", "Hello", "segment", "vip")).path("id").asLong();
        assertThat(api.post("/api/campaigns/" + id + "/pause", Map.of()).status()).isEqualTo(202);
        JsonNode paused = api.awaitState(id, "PAUSED", Duration.ofSeconds(10));
        int sent = paused.path("sent").asInt();

        Reply cancel = api.post("/api/campaigns/" + id + "/cancel", Map.of());
        assertThat(cancel.status()).as(cancel.body()).isEqualTo(202);
        // Not sending: cancelled at once, in the answer itself.
        assertThat(cancel.json().path("state").asText()).isEqualTo("CANCELLED");
        assertThat(cancel.json().path("finishedAt").isNull()).isFalse();
        assertThat(api.campaign(id).path("state").asText()).isEqualTo("CANCELLED");
        assertThat(api.campaign(id).path("sent").asInt()).isEqualTo(sent);
        assertThat(api.post("/api/campaigns/" + id + "/resume", Map.of()).status()).isEqualTo(409);
    }

    @Test
    void completedCampaignCanNoLongerBePausedResumedOrCancelled() {
        long id = api.create(Map.of("subject", "Short {name}", "text", "Hello", "emails",
                List.of(api.post("/api/preview", Map.of("subject", "s", "text", "t")).json().path("customer").path("email").asText())))
                .path("id").asLong();
        api.awaitState(id, "COMPLETED", Duration.ofSeconds(10));
        for (String action : List.of("resume", "pause", "cancel")) {
            Reply reply = api.post("/api/campaigns/" + id + "/" + action, Map.of());
            assertThat(reply.status()).as("%s: %s", action, reply.body()).isEqualTo(409);
            assertThat(reply.json().path("error").asText()).contains("COMPLETED");
        }
        assertThat(api.campaign(id).path("state").asText()).isEqualTo("COMPLETED");
        assertThat(api.campaign(id).path("runs").asInt()).isEqualTo(1);
    }

    /**
     * Once the API shows how a run ended, the campaign is no longer sending: no reply shows a final
     * state with the campaign still active, and pause, resume and cancel act on that state (409
     * naming it, or the resume of a pause just shown).
     */
    @Test
    void runEndedIsEndedForEveryRequestAtOnce() {
        String email = api.post("/api/preview", Map.of("subject", "s", "text", "t")).json().path("customer").path("email").asText();
        for (int round = 0; round < 20; round++) {
            long id = api.create(Map.of("subject", "Round " + round, "text", "Hello", "emails", List.of(email))).path("id").asLong();
            JsonNode seen = firstShowing(id, "COMPLETED");
            assertThat(seen.path("active").asBoolean()).as("round %d: active when shown %s", round, seen).isFalse();
            Reply action = api.post("/api/campaigns/" + id + "/" + (round % 2 == 0 ? "pause" : "cancel"), Map.of());
            assertThat(action.status()).as("round %d: %s", round, action.body()).isEqualTo(409);
            assertThat(action.json().path("error").asText()).contains("COMPLETED");
        }
        long id = api.create(Map.of("subject", "Paused and resumed {name}", "text", "Hello")).path("id").asLong();
        for (int round = 0; round < 3; round++) {
            awaitSent(id, 10 * (round + 1));
            assertThat(api.post("/api/campaigns/" + id + "/pause", Map.of()).status()).isEqualTo(202);
            firstShowing(id, "PAUSED");
            Reply resume = api.post("/api/campaigns/" + id + "/resume", Map.of());
            assertThat(resume.status()).as("round %d: %s", round, resume.body()).isEqualTo(202);
        }
        assertThat(api.post("/api/campaigns/" + id + "/cancel", Map.of()).status()).isEqualTo(202);
        api.awaitState(id, "CANCELLED", Duration.ofSeconds(10));
    }

    @ParameterizedTest(name = "POST {0} of an unknown campaign -> 404")
    @ValueSource(strings = {"pause", "resume", "cancel"})
    void actionOnUnknownCampaignIs404(String action) {
        Reply reply = api.post("/api/campaigns/987654/" + action, Map.of());
        assertThat(reply.status()).as(reply.body()).isEqualTo(404);
        assertThat(reply.json().path("error").asText()).contains("987654");
    }

    @Test
    void unknownCampaignIs404() {
        assertThat(api.get("/api/campaigns/987654").status()).isEqualTo(404);
        assertThat(api.get("/api/campaigns/987654/recipients").status()).isEqualTo(404);
        assertThat(api.get("/api/campaigns/not-a-number").status()).isEqualTo(404);
    }

    /**
     * Asks for the campaign again and again, without a pause, until it shows the state: the
     * request that follows comes as soon after that as a client can make it.
     */
    private static JsonNode firstShowing(long id, String state) {
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode seen;
        do {
            seen = api.campaign(id);
        } while (!seen.path("state").asText().equals(state) && System.nanoTime() < until);
        assertThat(seen.path("state").asText()).as("campaign %d within 10 s", id).isEqualTo(state);
        return seen;
    }

    private static void awaitSent(long id, int count) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
                .until(() -> api.campaign(id).path("sent").asInt() >= count);
    }

    private static List<String> emails(List<JsonNode> recipients) {
        return recipients.stream().map(r -> r.path("email").asText()).toList();
    }
}
