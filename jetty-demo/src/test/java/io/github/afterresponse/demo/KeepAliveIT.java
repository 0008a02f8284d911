package io.github.afterresponse.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.demo.MailerFixture.Client;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A POST whose body the API has no use for (pause, resume, cancel, a refusal) still leaves its
 * kept-alive connection usable. Its body may reach the server after the headers, as the JDK's
 * HttpClient sends it; had the server answered without reading it, Jetty would close the
 * connection after the answer without saying so, and the client's next request on it would fail
 * ("header parser received no bytes").
 */
class KeepAliveIT {

    /**
     * How long the headers alone are given for an answer. A server that answers without the body
     * does so at once; one that reads it first waits, and the body then follows.
     */
    private static final int ANSWER_WITHOUT_BODY_MS = 300;
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$");
    private static final Pattern COOKIE = Pattern.compile("(?im)^set-cookie:\\s*(mailer_csrf=[^;\\r\\n]+)");

    @TempDir
    static Path data;

    private static MailerFixture mailer;
    private static long completed;

    @BeforeAll
    static void start() throws Exception {
        mailer = MailerFixture.start(data, Map.of("customers", "20", "smtp-reject", ""));
        Client api = mailer.client();
        String email = api.post("/api/preview", Map.of("subject", "s", "text", "t")).json().path("customer").path("email").asText();
        completed = api.create(Map.of("subject", "Done", "text", "t", "emails", List.of(email))).path("id").asLong();
        api.awaitState(completed, "COMPLETED", Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        if (mailer != null) {
            mailer.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pause", "resume", "cancel", "pause of an unknown campaign", "an unknown path",
            "no CSRF token", "a text body"})
    void connectionServesTheNextRequestAfterAPostWhoseBodyIsNotNeeded(String what) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", mailer.mailer().port())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            String session = exchange(in, out, "GET /api/session HTTP/1.1\r\nHost: " + host() + "\r\n\r\n");
            Matcher cookie = COOKIE.matcher(session);
            assertThat(cookie.find()).as(session).isTrue();
            String token = MailerFixture.JSON.readTree(session.substring(session.indexOf("\r\n\r\n") + 4)).path("csrfToken").asText();

            String path = switch (what) {
                case "pause of an unknown campaign" -> "/api/campaigns/987654/pause";
                case "an unknown path" -> "/api/nothing";
                case "no CSRF token", "a text body" -> "/api/campaigns";
                default -> "/api/campaigns/" + completed + "/" + what;
            };
            String body = "{\"subject\": \"x\", \"text\": \"y\"}";
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + host() + "\r\nCookie: " + cookie.group(1) + "\r\n"
                    + (what.equals("no CSRF token") ? "" : "X-CSRF-Token: " + token + "\r\n")
                    + "Content-Type: " + (what.equals("a text body") ? "text/plain" : "application/json") + "\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String early = null;
            socket.setSoTimeout(ANSWER_WITHOUT_BODY_MS);
            try {
                early = response(in);
            } catch (SocketTimeoutException e) {
                // the server waits for the body, as it should
            }
            socket.setSoTimeout(10_000);
            if (early != null) {
                // Answered without the body: only honest if it says the connection ends here.
                assertThat(early.toLowerCase(Locale.ROOT)).as("answered before the body was sent, keeping the connection:%n%s", early)
                        .contains("\r\nconnection: close\r\n");
                return;
            }
            out.write(body.getBytes(StandardCharsets.US_ASCII));
            String answer = response(in);
            assertThat(answer).startsWith("HTTP/1.1 4");
            String next = exchange(in, out, "GET /api/campaigns/" + completed + " HTTP/1.1\r\nHost: " + host() + "\r\n\r\n");
            assertThat(next).startsWith("HTTP/1.1 200").contains("\"state\":\"COMPLETED\"");
        }
    }

    private static String host() {
        return "127.0.0.1:" + mailer.mailer().port();
    }

    private static String exchange(InputStream in, OutputStream out, String request) throws IOException {
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return response(in);
    }

    /** One response: its head, then as many body bytes as its Content-Length says. */
    private static String response(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the server closed the connection, after: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        Matcher length = CONTENT_LENGTH.matcher(text);
        assertThat(length.find()).as(text).isTrue();
        return text + new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.UTF_8);
    }
}
