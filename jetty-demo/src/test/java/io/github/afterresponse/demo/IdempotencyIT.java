package io.github.afterresponse.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.demo.MailerFixture.Client;
import io.github.afterresponse.demo.MailerFixture.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code Idempotency-Key} makes a submission safe to repeat: the same key and body again give
 * the campaign the first one created (sent once), another body under the key is a 409, and two
 * submissions racing with one key make one campaign.
 */
class IdempotencyIT {

    @TempDir
    static Path data;

    private static MailerFixture mailer;
    private static Client api;
    private static List<String> emails;

    @BeforeAll
    static void start() throws Exception {
        mailer = MailerFixture.start(data, Map.of("customers", "40", "smtp-reject", ""));
        api = mailer.client();
        long first = api.create(Map.of("subject", "Warm-up", "text", "t", "segment", "vip")).path("id").asLong();
        api.awaitState(first, "COMPLETED", Duration.ofSeconds(10));
        emails = api.recipients(first, null).stream().limit(3).map(r -> r.path("email").asText()).toList();
        assertThat(emails).hasSize(3);
    }

    @AfterAll
    static void stop() throws Exception {
        if (mailer != null) {
            mailer.close();
        }
    }

    @Test
    void sameKeySameBodyGivesTheSameCampaignSentOnce() {
        Map<String, Object> body = Map.of("subject", "Once {name}", "text", "Hello", "emails", emails);
        Map<String, String> key = Map.of("Idempotency-Key", "order-1");
        long before = api.campaignCount();

        Reply first = api.post("/api/campaigns", body, key);
        assertThat(first.status()).as(first.body()).isEqualTo(202);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        long id = first.json().path("id").asLong();
        Reply again = api.post("/api/campaigns", body, key);
        assertThat(again.status()).as(again.body()).isEqualTo(202);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.json().path("id").asLong()).isEqualTo(id);
        assertThat(again.header("Location")).isEqualTo("/api/campaigns/" + id);
        assertThat(api.campaignCount()).isEqualTo(before + 1);

        api.awaitState(id, "COMPLETED", Duration.ofSeconds(10));
        // After it finished, the key still gives it back, and nothing is sent again.
        Reply late = api.post("/api/campaigns", body, key);
        assertThat(late.status()).isEqualTo(202);
        assertThat(late.json().path("id").asLong()).isEqualTo(id);
        assertThat(late.json().path("state").asText()).isEqualTo("COMPLETED");
        assertThat(mailsOf(id)).isEqualTo(emails.size());
        assertThat(api.campaign(id).path("runs").asInt()).isEqualTo(1);
    }

    @Test
    void sameKeyOtherBodyIsAConflict() {
        Map<String, String> key = Map.of("Idempotency-Key", "order-2");
        Reply first = api.post("/api/campaigns", Map.of("subject", "First", "text", "Hello", "emails", emails), key);
        assertThat(first.status()).isEqualTo(202);
        long before = api.campaignCount();

        Reply other = api.post("/api/campaigns", Map.of("subject", "Second", "text", "Hello", "emails", emails), key);

        assertThat(other.status()).as(other.body()).isEqualTo(409);
        assertThat(other.json().path("error").asText()).contains("order-2").contains(first.json().path("id").asText());
        assertThat(api.campaignCount()).isEqualTo(before);
        api.awaitState(first.json().path("id").asLong(), "COMPLETED", Duration.ofSeconds(10));
    }

    @Test
    void concurrentSubmissionsWithOneKeyMakeOneCampaign() throws Exception {
        Map<String, Object> body = Map.of("subject", "Raced {name}", "text", "Hello", "emails", emails);
        long before = api.campaignCount();
        for (int round = 0; round < 5; round++) {
            Map<String, String> key = Map.of("Idempotency-Key", "race-" + round);
            CyclicBarrier start = new CyclicBarrier(2);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Reply>> replies = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    Client tab = mailer.client();
                    replies.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return tab.post("/api/campaigns", body, key);
                    }));
                }
                Reply a = replies.get(0).get(30, TimeUnit.SECONDS);
                Reply b = replies.get(1).get(30, TimeUnit.SECONDS);
                assertThat(List.of(a.status(), b.status())).as("%s / %s", a.body(), b.body()).containsOnly(202);
                assertThat(a.json().path("id").asLong()).isEqualTo(b.json().path("id").asLong());
                assertThat(List.of(String.valueOf(a.header("Idempotent-Replayed")), String.valueOf(b.header("Idempotent-Replayed"))))
                        .as("exactly one of the two is the replay").containsExactlyInAnyOrder("true", "null");
                long id = a.json().path("id").asLong();
                api.awaitState(id, "COMPLETED", Duration.ofSeconds(10));
                assertThat(mailsOf(id)).as("sent once").isEqualTo(emails.size());
            } finally {
                pool.shutdownNow();
            }
        }
        assertThat(api.campaignCount()).isEqualTo(before + 5);
    }

    private static long mailsOf(long id) {
        return mailer.mailsOf(id).size();
    }
}
