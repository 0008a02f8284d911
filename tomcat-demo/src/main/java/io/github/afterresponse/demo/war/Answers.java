package io.github.afterresponse.demo.war;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** The plain-text answers the three demo servlets send. */
final class Answers {

    /** The response header naming the exchange, so a client can look it up on the status page. */
    static final String EXCHANGE_ID_HEADER = "X-Exchange-Id";

    private Answers() {
    }

    /** Writes the one-line answer of an exchange; the filter holds it back and sends it whole. */
    static void write(HttpServletResponse response, String exchangeId, String line) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader(EXCHANGE_ID_HEADER, exchangeId);
        response.getWriter().println(line + " (exchange " + exchangeId + ")");
    }

    /** Answers 400 for a request whose parameters the demo cannot use. */
    static void badRequest(HttpServletResponse response, IllegalArgumentException problem) throws IOException {
        response.sendError(HttpServletResponse.SC_BAD_REQUEST, problem.getMessage());
    }
}
