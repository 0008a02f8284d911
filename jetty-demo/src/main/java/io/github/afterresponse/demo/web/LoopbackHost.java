package io.github.afterresponse.demo.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Answers only requests addressed to this server by a loopback name: {@code Host} must be {@code
 * 127.0.0.1}, {@code localhost} or {@code [::1]}, with the port the server listens on. Against DNS
 * rebinding: a page of another site whose name is then pointed at 127.0.0.1 is, for the browser,
 * its own origin — it could read {@code /api/session}'s token and post with a matching Origin. Its
 * requests carry its own name in {@code Host}, and get 421 Misdirected Request here, before any
 * other filter or servlet.
 */
public final class LoopbackHost extends HttpFilter {

    private static final Set<String> NAMES = Set.of("127.0.0.1", "localhost", "[::1]");

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String host = request.getHeader("Host");
        if (host != null && isLoopback(host.trim().toLowerCase(Locale.ROOT), request.getLocalPort())) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = ("421 Misdirected Request: this server answers only to http://127.0.0.1:" + request.getLocalPort()
                + "/ (or localhost), not to the host name this request was sent to.\n").getBytes(StandardCharsets.UTF_8);
        response.setStatus(421);
        response.setContentType("text/plain;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    static boolean isLoopback(String host, int port) {
        int colon = host.lastIndexOf(':');
        String name = colon > host.lastIndexOf(']') ? host.substring(0, colon) : host;
        String portText = colon > host.lastIndexOf(']') ? host.substring(colon + 1) : "80";
        return NAMES.contains(name) && portText.equals(Integer.toString(port));
    }
}
