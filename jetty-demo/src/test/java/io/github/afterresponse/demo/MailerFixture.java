package io.github.afterresponse.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.afterresponse.demo.mail.Outbox;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A bulk mailer started in this JVM for a test: H2 in the given (temporary) directory, the web
 * server and the embedded SMTP server on free loopback ports. {@link #client()} gives an API
 * client with its own cookie jar and CSRF token, as a browser would have.
 */
final class MailerFixture implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final BulkMailer mailer;
    private final URI base;

    private MailerFixture(BulkMailer mailer) {
        this.mailer = mailer;
        this.base = URI.create("http://127.0.0.1:" + mailer.port() + "/");
    }

    /**
     * Starts a mailer; {@code options} (names without {@code --}) override the test defaults:
     * port 0, embedded SMTP on port 0, the data directory given.
     */
    static MailerFixture start(Path dataDir, Map<String, String> options) throws Exception {
        Map<String, String> all = new HashMap<>(Map.of("port", "0", "smtp-port", "0", "data-dir", dataDir.toString()));
        all.putAll(options);
        return new MailerFixture(BulkMailer.start(DemoOptions.parse(all)));
    }

    BulkMailer mailer() {
        return mailer;
    }

    URI base() {
        return base;
    }

    /** What the embedded SMTP server received. */
    Outbox outbox() {
        return mailer.embeddedSmtp().orElseThrow(() -> new IllegalStateException("not the embedded SMTP server")).outbox();
    }

    /** The mails of one campaign (its {@code X-Campaign} header) the embedded SMTP server received, oldest first. */
    List<Outbox.Mail> mailsOf(long campaignId) {
        return outbox().all().stream().filter(mail -> {
            try {
                return Long.toString(campaignId).equals(mail.message().getHeader("X-Campaign", null));
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    /** The To address of each mail. */
    static List<String> addresses(List<Outbox.Mail> mails) {
        return mails.stream().map(mail -> {
            try {
                return ((InternetAddress) mail.message().getRecipients(Message.RecipientType.TO)[0]).getAddress();
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    /** A new client with its own cookies, holding the token {@code GET /api/session} gave it. */
    Client client() {
        return new Client(base);
    }

    /** Stops the mailer (its web server, database and SMTP server). */
    @Override
    public void close() {
        try {
            mailer.close();
        } catch (Exception e) {
            throw new IllegalStateException("the mailer did not stop cleanly", e);
        }
    }

    /** An HTTP reply: status, headers, the body as text and as JSON (null if it is not JSON), the time it took. */
    record Reply(int status, HttpHeaders headers, String body, JsonNode json, Duration took) {

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    /** An API client, with a cookie jar, as a browser with the page open. */
    static final class Client {

        private final URI base;
        private final HttpClient http;
        private final String token;

        private Client(URI base) {
            this.base = base;
            this.http = HttpClient.newBuilder()
                    .cookieHandler(new CookieManager())
                    .connectTimeout(Duration.ofSeconds(5))
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
            Reply session = get("/api/session");
            assertThat(session.status()).as("GET /api/session: %s", session.body()).isEqualTo(200);
            this.token = session.json().path("csrfToken").asText();
            assertThat(token).isNotEmpty();
        }

        /** The CSRF token of this client's cookie. */
        String token() {
            return token;
        }

        Reply get(String path) {
            return send(HttpRequest.newBuilder(base.resolve(path)).GET());
        }

        /** POST of a JSON value with the CSRF token; a {@code String} is sent as it is, as JSON text. */
        Reply post(String path, Object json) {
            return postRaw(path, write(json), "application/json", Map.of());
        }

        /** POST with the CSRF token and the given headers (which may replace it). */
        Reply post(String path, Object json, Map<String, String> headers) {
            return postRaw(path, write(json), "application/json", headers);
        }

        /** POST of an exact body, with the CSRF token unless {@code headers} give {@code X-CSRF-Token} (empty: none). */
        Reply postRaw(String path, String body, String contentType, Map<String, String> headers) {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            String csrf = headers.getOrDefault("X-CSRF-Token", token);
            if (!csrf.isEmpty()) {
                request.header("X-CSRF-Token", csrf);
            }
            headers.forEach((name, value) -> {
                if (!name.equals("X-CSRF-Token")) {
                    request.header(name, value);
                }
            });
            return send(request);
        }

        /** {@code POST /api/campaigns}, expecting 202; returns the campaign's JSON. */
        JsonNode create(Map<String, Object> campaign) {
            Reply reply = post("/api/campaigns", campaign);
            assertThat(reply.status()).as("POST /api/campaigns: %s", reply.body()).isEqualTo(202);
            return reply.json();
        }

        JsonNode campaign(long id) {
            Reply reply = get("/api/campaigns/" + id);
            assertThat(reply.status()).as("GET /api/campaigns/%d: %s", id, reply.body()).isEqualTo(200);
            return reply.json();
        }

        /** How many campaigns are stored ({@code total} of the list). */
        long campaignCount() {
            return get("/api/campaigns?limit=1").json().path("total").asLong();
        }

        /** Waits until the campaign is in the state, and returns it. */
        JsonNode awaitState(long id, String state, Duration atMost) {
            await().atMost(atMost).pollInterval(Duration.ofMillis(20))
                    .alias("campaign " + id + " " + state)
                    .until(() -> campaign(id).path("state").asText(), state::equals);
            return campaign(id);
        }

        /** Every recipient of the campaign in one state ({@code null}: all), page by page. */
        List<JsonNode> recipients(long id, String status) {
            List<JsonNode> all = new ArrayList<>();
            while (true) {
                Reply page = get("/api/campaigns/" + id + "/recipients?limit=500&offset=" + all.size()
                        + (status == null ? "" : "&status=" + status));
                assertThat(page.status()).as(page.body()).isEqualTo(200);
                page.json().path("recipients").forEach(all::add);
                if (page.json().path("recipients").size() < 500) {
                    assertThat(all).hasSize(page.json().path("total").asInt());
                    return all;
                }
            }
        }

        /** Every mail of {@code GET /api/outbox}, oldest first. */
        List<JsonNode> outbox() {
            List<JsonNode> newestFirst = new ArrayList<>();
            while (true) {
                Reply page = get("/api/outbox?limit=200&offset=" + newestFirst.size());
                assertThat(page.status()).as(page.body()).isEqualTo(200);
                page.json().path("mails").forEach(newestFirst::add);
                if (page.json().path("mails").size() < 200) {
                    List<JsonNode> oldestFirst = new ArrayList<>(newestFirst);
                    java.util.Collections.reverse(oldestFirst);
                    return oldestFirst;
                }
            }
        }

        private Reply send(HttpRequest.Builder request) {
            try {
                long start = System.nanoTime();
                HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString());
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                JsonNode json = null;
                if (response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
                    json = JSON.readTree(response.body());
                }
                return new Reply(response.statusCode(), response.headers(), response.body(), json, took);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private static String write(Object json) {
            try {
                return json instanceof String text ? text : JSON.writeValueAsString(json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
