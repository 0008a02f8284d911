package io.github.afterresponse.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.afterresponse.demo.MailerFixture.Client;
import io.github.afterresponse.demo.MailerFixture.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resume sent right after a pause, while the run may be acting on that pause: it either takes
 * the pause back (202, the campaign goes on) or, if the run has already stopped for it, is refused
 * (409) until the campaign is paused. A 202 is never lost, and a campaign never completes with
 * recipients left.
 */
class PauseResumeRaceIT {

    @TempDir
    Path data;

    @Test
    void resumeRightAfterPauseIsNeverLost() throws Exception {
        try (MailerFixture mailer = MailerFixture.start(data, Map.of("customers", "200", "rate", "200",
                "smtp-connections", "1", "smtp-reject", ""))) {
            Client api = mailer.client();
            long id = api.create(Map.of("subject", "Raced {name}", "text", "Hello")).path("id").asLong();
            int refused = 0;
            int rounds = 0;
            for (int round = 0; round < 40; round++, rounds++) {
                int sent = api.campaign(id).path("sent").asInt();
                if (sent >= 180) {
                    break;
                }
                Reply pause = api.post("/api/campaigns/" + id + "/pause", Map.of());
                assertThat(pause.status()).as("round %d: %s", round, pause.body()).isEqualTo(202);
                Reply resume = api.post("/api/campaigns/" + id + "/resume", Map.of());
                if (resume.status() == 409) {
                    // The run had already stopped for the pause: once it is paused, resume works.
                    refused++;
                    api.awaitState(id, "PAUSED", Duration.ofSeconds(5));
                    resume = api.post("/api/campaigns/" + id + "/resume", Map.of());
                }
                assertThat(resume.status()).as("round %d: %s", round, resume.body()).isEqualTo(202);
                // Taken: the campaign sends on.
                int before = sent;
                await().atMost(Duration.ofSeconds(5)).alias("round " + (round) + ": sending on after the resume")
                        .until(() -> {
                            JsonNode now = api.campaign(id);
                            return now.path("sent").asInt() >= before + 3 || now.path("state").asText().equals("COMPLETED");
                        });
            }
            JsonNode done = api.awaitState(id, "COMPLETED", Duration.ofSeconds(20));
            assertThat(done.path("pending").asInt()).isZero();
            assertThat(done.path("sent").asInt()).isEqualTo(200);
            assertThat(api.recipients(id, "pending")).isEmpty();
            assertThat(mailer.mailsOf(id)).hasSize(200);
            System.out.printf("PauseResumeRaceIT: %d of %d resumes came after the run had stopped for the pause%n", refused, rounds);
        }
    }
}
