package io.github.afterresponse.internal;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The answer to a request refused before its servlet ran: 503, {@code Retry-After}, a short text. */
final class Refusal {

    private final String retryAfter;
    private final byte[] body;

    Refusal(Duration retryAfter) {
        this.retryAfter = Long.toString(retryAfter.toSeconds());
        this.body = ("503 Service Unavailable: the server is busy with background work or shutting down. "
                + "Please retry in " + this.retryAfter + " seconds.\n").getBytes(StandardCharsets.UTF_8);
    }

    void send(HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader("Retry-After", retryAfter);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/plain;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
