package io.github.afterresponse.standalone;

import io.github.afterresponse.testkit.RawConnection;
import io.github.afterresponse.testkit.RawHttpClient;
import io.github.afterresponse.testkit.RawResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPInputStream;

/** HTTP/1.1 exchanges with a standalone server, byte by byte through the testkit's raw client. */
final class Http {

    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(15);
    static final String EXCHANGE_ID = "X-Exchange-Id";

    private Http() {
    }

    /**
     * A response and whether the server then closed the connection.
     *
     * @param response the response, read completely (by Content-Length, chunks or the close)
     * @param closedAfterwards whether the server announced {@code Connection: close} and then closed
     */
    record Answer(RawResponse response, boolean closedAfterwards) {

        String exchangeId() {
            return response.header(EXCHANGE_ID).orElseThrow(() -> new AssertionError("no " + EXCHANGE_ID + " in " + response));
        }

        String body() {
            return response.bodyText(StandardCharsets.UTF_8);
        }

        /** The body, gunzipped. */
        String gunzippedBody() throws IOException {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    /** {@code GET} over a new connection; extra header lines end with CRLF each. */
    static Answer get(StandaloneServer server, String pathInWar, String... headerLines) throws IOException {
        try (RawConnection connection = RawConnection.open(server.port())) {
            StringBuilder request = new StringBuilder("GET " + server.path(pathInWar) + " HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(server.port()).append("\r\n");
            for (String line : headerLines) {
                request.append(line).append("\r\n");
            }
            connection.send(request.append("\r\n").toString());
            RawResponse response = connection.readResponse(RESPONSE_TIMEOUT);
            // Only a response that announced the close is watched for it: a kept-alive one would
            // make the wait run its full bound.
            boolean announced = response.header("Connection").filter("close"::equalsIgnoreCase).isPresent();
            return new Answer(response, announced && connection.awaitServerClose(Duration.ofSeconds(5)));
        }
    }

    /** Opens the named gate: {@code POST /control/release?token=…}. */
    static void release(StandaloneServer server, String token) throws IOException {
        RawResponse response = RawHttpClient.exchange(server.port(), "POST " + server.path("/control/release?token=" + token)
                + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        if (response.statusCode() != 200) {
            throw new IOException("release of " + token + " answered " + response);
        }
    }
}
