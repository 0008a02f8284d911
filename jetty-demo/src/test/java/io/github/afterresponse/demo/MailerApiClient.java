package io.github.afterresponse.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The bulk mailer's JSON API as a script would use it: one cookie jar, the CSRF token from {@code
 * GET /api/session} in the {@code X-CSRF-Token} header of every POST, Jackson for the bodies.
 */
final class MailerApiClient {

    /** A response: status and parsed body. */
    record Answer(int status, JsonNode body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;
    private final String token;

    private MailerApiClient(URI base, HttpClient http, String token) {
        this.base = base;
        this.http = http;
        this.token = token;
    }

    /** Opens a session: the cookie and its token. */
    static MailerApiClient open(URI base) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> session = http.send(HttpRequest.newBuilder(base.resolve("/api/session"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (session.statusCode() != 200) {
            throw new IllegalStateException("GET /api/session must answer 200, but answered " + session.statusCode()
                    + ": " + session.body());
        }
        return new MailerApiClient(base, http, JSON.readTree(session.body()).path("csrfToken").asText());
    }

    Answer get(String path) throws IOException, InterruptedException {
        return answer(http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    Answer post(String path, Object body) throws IOException, InterruptedException {
        return answer(http.send(HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .header("X-CSRF-Token", token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** {@code POST /api/campaigns}; fails unless it answers 202. Returns the campaign JSON. */
    JsonNode createCampaign(Map<String, Object> request) throws IOException, InterruptedException {
        Answer answer = post("/api/campaigns", request);
        if (answer.status() != 202) {
            throw new AssertionError("POST /api/campaigns must answer 202, but answered " + answer.status() + ": " + answer.body());
        }
        return answer.body();
    }

    /** {@code GET /api/campaigns/{id}}; fails unless it answers 200. */
    JsonNode campaign(long id) throws IOException, InterruptedException {
        Answer answer = get("/api/campaigns/" + id);
        if (answer.status() != 200) {
            throw new AssertionError("GET /api/campaigns/" + id + " must answer 200, but answered " + answer.status()
                    + ": " + answer.body());
        }
        return answer.body();
    }

    /** Every recipient of the campaign, all pages of {@code /api/campaigns/{id}/recipients}. */
    List<JsonNode> recipients(long id) throws IOException, InterruptedException {
        List<JsonNode> all = new ArrayList<>();
        while (true) {
            Answer page = get("/api/campaigns/" + id + "/recipients?limit=500&offset=" + all.size());
            if (page.status() != 200) {
                throw new AssertionError("the recipients of campaign " + id + " must be listed with 200, but were "
                        + page.status() + ": " + page.body());
            }
            page.body().path("recipients").forEach(all::add);
            if (page.body().path("recipients").isEmpty() || all.size() >= page.body().path("total").asInt()) {
                return all;
            }
        }
    }

    private static Answer answer(HttpResponse<String> response) throws IOException {
        String body = response.body();
        return new Answer(response.statusCode(), body.isEmpty() ? JSON.nullNode() : JSON.readTree(body));
    }
}
