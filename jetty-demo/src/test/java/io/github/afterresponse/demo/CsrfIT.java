package io.github.afterresponse.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.demo.MailerFixture.Client;
import io.github.afterresponse.demo.MailerFixture.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code POST /api/campaigns} needs the {@code mailer_csrf} cookie, the token made for that cookie,
 * and (if the client names one) this server's own origin; otherwise 403 and nothing is stored.
 */
class CsrfIT {

    @TempDir
    static Path data;

    private static MailerFixture mailer;
    private static Client api;
    private static Map<String, Object> campaign;

    @BeforeAll
    static void start() throws Exception {
        mailer = MailerFixture.start(data, Map.of("customers", "20"));
        api = mailer.client();
        String email = api.post("/api/preview", Map.of("subject", "s", "text", "t")).json().path("customer").path("email").asText();
        campaign = Map.of("subject", "Hi {name}", "text", "Hello", "emails", List.of(email));
    }

    @AfterAll
    static void stop() throws Exception {
        if (mailer != null) {
            mailer.close();
        }
    }

    @Test
    void withoutTokenIsRefused() {
        assertRefused(() -> api.post("/api/campaigns", campaign, Map.of("X-CSRF-Token", "")), "no CSRF token");
    }

    @Test
    void withoutCookieIsRefused() throws Exception {
        long before = api.campaignCount();
        // A client without a cookie jar: the token alone, as another site could have copied it.
        HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(mailer.base().resolve("/api/campaigns"))
                .header("Content-Type", "application/json")
                .header("X-CSRF-Token", api.token())
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(MailerFixture.JSON.writeValueAsString(campaign)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(403);
        assertThat(reply.body()).contains("no mailer_csrf cookie");
        assertThat(api.campaignCount()).isEqualTo(before);
    }

    @Test
    void withTokenOfAnotherCookieIsRefused() {
        Client other = mailer.client();
        assertThat(other.token()).isNotEqualTo(api.token());
        assertRefused(() -> api.post("/api/campaigns", campaign, Map.of("X-CSRF-Token", other.token())), "does not belong");
    }

    @Test
    void withMadeUpTokenIsRefused() {
        assertRefused(() -> api.post("/api/campaigns", campaign, Map.of("X-CSRF-Token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")),
                "does not belong");
    }

    @ParameterizedTest(name = "Origin {0}")
    @ValueSource(strings = {"http://attacker.example", "http://127.0.0.1:1", "https://127.0.0.1:PORT", "http://localhost.attacker.example:PORT",
            "null"})
    void fromForeignOriginIsRefused(String origin) {
        String value = origin.replace("PORT", Integer.toString(mailer.mailer().port()));
        assertRefused(() -> api.post("/api/campaigns", campaign, Map.of("Origin", value)), "not from this server");
    }

    @Test
    void fromForeignRefererIsRefused() {
        assertRefused(() -> api.post("/api/campaigns", campaign, Map.of("Referer", "http://attacker.example/page")), "Referer");
    }

    @Test
    void otherStateChangesNeedTheTokenToo() {
        long id = api.create(campaign).path("id").asLong();
        for (String action : List.of("pause", "resume", "cancel")) {
            Reply reply = api.postRaw("/api/campaigns/" + id + "/" + action, "", null, Map.of("X-CSRF-Token", ""));
            assertThat(reply.status()).as("%s: %s", action, reply.body()).isEqualTo(403);
        }
        assertThat(api.postRaw("/api/preview", "{}", "application/json", Map.of("X-CSRF-Token", "")).status()).isEqualTo(403);
        api.awaitState(id, "COMPLETED", Duration.ofSeconds(10));
    }

    @Test
    void fromOwnOriginIsTaken() {
        long before = api.campaignCount();
        URI self = mailer.base();
        Reply reply = api.post("/api/campaigns", campaign, Map.of("Origin", "http://127.0.0.1:" + self.getPort()));
        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        assertThat(api.campaignCount()).isEqualTo(before + 1);
        Reply referred = api.post("/api/campaigns", campaign, Map.of("Referer", self.resolve("/campaigns/new").toString()));
        assertThat(referred.status()).as(referred.body()).isEqualTo(202);
        api.awaitState(reply.json().path("id").asLong(), "COMPLETED", Duration.ofSeconds(10));
        api.awaitState(referred.json().path("id").asLong(), "COMPLETED", Duration.ofSeconds(10));
    }

    /** Sends the request and checks the 403, and that it stored and queued nothing. */
    private static void assertRefused(Supplier<Reply> request, String because) {
        long before = api.campaignCount();
        Reply reply = request.get();
        assertThat(reply.status()).as(reply.body()).isEqualTo(403);
        assertThat(reply.json().path("status").asInt()).isEqualTo(403);
        assertThat(reply.json().path("error").asText()).contains(because);
        assertThat(api.campaignCount()).isEqualTo(before);
        assertThat(mailer.mailer().campaigns().active()).isZero();
    }
}
