package io.github.afterresponse.demo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

/**
 * The mailer's JSON API as a client uses it: a session (cookie and CSRF token from
 * {@code GET /api/session}), {@code POST /api/campaigns}, and polling a campaign until it ends.
 */
public final class MailerApi {

    /** A campaign the API accepted: its id, and when the 202 arrived ({@link System#nanoTime()}). */
    public record Created(long id, URI location, long acceptedAtNanos, long latencyNanos) {
    }

    /** A campaign seen in a state after which it sends nothing more, and when it was seen. */
    public record Ended(JsonNode campaign, long seenAtNanos, int polls) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ENDED = Set.of("COMPLETED", "CANCELLED", "PAUSED", "INTERRUPTED", "FAILED");

    private final HttpClient http;
    private final URI base;
    private final String token;

    private MailerApi(HttpClient http, URI base, String token) {
        this.http = http;
        this.base = base;
        this.token = token;
    }

    /** Opens a session with the mailer on 127.0.0.1:port. */
    public static MailerApi connect(int port) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        URI base = URI.create("http://127.0.0.1:" + port + "/");
        HttpResponse<String> session = http.send(HttpRequest.newBuilder(base.resolve("/api/session")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (session.statusCode() != 200) {
            throw new IllegalStateException("GET /api/session must answer 200, but answered " + session.statusCode());
        }
        return new MailerApi(http, base, JSON.readTree(session.body()).path("csrfToken").asText());
    }

    /** Creates a campaign; fails unless the answer is 202 with a Location. */
    public Created create(String campaignJson) throws IOException, InterruptedException {
        long before = System.nanoTime();
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(base.resolve("/api/campaigns"))
                .header("Content-Type", "application/json")
                .header("X-CSRF-Token", token)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(campaignJson))
                .build(), HttpResponse.BodyHandlers.ofString());
        long after = System.nanoTime();
        if (answer.statusCode() != 202 || answer.headers().firstValue("Location").isEmpty()) {
            throw new IllegalStateException("POST /api/campaigns must answer 202 with a Location, but answered "
                    + answer.statusCode() + " " + answer.body());
        }
        return new Created(JSON.readTree(answer.body()).path("id").asLong(),
                base.resolve(answer.headers().firstValue("Location").get()), after, after - before);
    }

    /** Polls the campaign every {@code every} until it has ended, at most {@code atMost}. */
    public Ended awaitEnd(Created campaign, Duration every, Duration atMost) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        int polls = 0;
        while (true) {
            JsonNode state = get(campaign.location());
            polls++;
            long seen = System.nanoTime();
            if (ENDED.contains(state.path("state").asText())) {
                return new Ended(state, seen, polls);
            }
            if (seen > deadline) {
                throw new IllegalStateException("campaign " + campaign.id() + " did not end within " + atMost + ": " + state);
            }
            Thread.sleep(every.toMillis()); // a benchmark's poll interval, not a synchronisation
        }
    }

    /** GET of a JSON resource that must answer 200. */
    public JsonNode get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("GET " + uri + " must answer 200, but answered " + answer.statusCode());
        }
        return JSON.readTree(answer.body());
    }

    public URI base() {
        return base;
    }
}
