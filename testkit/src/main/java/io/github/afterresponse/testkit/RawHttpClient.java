package io.github.afterresponse.testkit;

import java.io.IOException;
import java.time.Duration;

/** One-shot conveniences over {@link RawConnection}: open, send, read one response, close. */
public final class RawHttpClient {

    /** The time allowed for a response by the conveniences here. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private RawHttpClient() {
    }

    /**
     * Sends {@code GET path HTTP/1.1} with {@code Host: 127.0.0.1} and {@code Connection: close} to
     * {@code 127.0.0.1:port} and reads the response.
     */
    public static RawResponse get(int port, String path) throws IOException {
        return exchange(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    }

    /**
     * Sends the request bytes exactly as given (ISO-8859-1) and reads one response; a request starting with
     * {@code "HEAD "} is read as a HEAD response (no body).
     */
    public static RawResponse exchange(int port, String request) throws IOException {
        try (RawConnection connection = RawConnection.open(port)) {
            connection.send(request);
            return connection.readResponse(DEFAULT_TIMEOUT, request.startsWith("HEAD "));
        }
    }
}
