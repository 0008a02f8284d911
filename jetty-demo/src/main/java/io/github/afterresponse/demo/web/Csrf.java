package io.github.afterresponse.demo.web;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Cross-site request forgery protection for every state-changing request, two checks:
 * <ol>
 *   <li>a token: each browser gets a random {@value #COOKIE} cookie (HttpOnly, SameSite=Strict),
 *       and pages carry the HMAC of it under the server's secret, in the form field {@value
 *       #FIELD} or the header {@value #HEADER}. Another site can make the browser send the cookie
 *       (not with SameSite=Strict, but older browsers) yet cannot read the page to learn the token;</li>
 *   <li>the origin: if the browser says where the request comes from ({@code Origin}, else {@code
 *       Referer}), it must be this server's own scheme, host and port.</li>
 * </ol>
 * The secret is kept in the data directory, so tokens survive a restart. API clients get a
 * cookie and token from {@code GET /api/session}.
 */
public final class Csrf {

    public static final String COOKIE = "mailer_csrf";
    public static final String FIELD = "_csrf";
    public static final String HEADER = "X-CSRF-Token";

    private final SecureRandom random = new SecureRandom();
    private final byte[] secret;

    private Csrf(byte[] secret) {
        this.secret = secret;
    }

    /** Reads the secret from {@code csrf-secret} in the directory, making it the first time. */
    public static Csrf inDirectory(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve("csrf-secret");
        if (!Files.exists(file)) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            try {
                Files.writeString(file, Base64.getEncoder().encodeToString(secret), StandardCharsets.US_ASCII,
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another start wrote it first; read that one
            }
        }
        return new Csrf(Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim()));
    }

    /**
     * The token for this browser, setting its cookie first if it has none. Call before the
     * response is committed.
     */
    public String token(HttpServletRequest request, HttpServletResponse response) {
        String id = cookie(request).orElse(null);
        if (id == null) {
            id = (String) request.getAttribute(COOKIE);
        }
        if (id == null) {
            byte[] bytes = new byte[18];
            random.nextBytes(bytes);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            Cookie cookie = new Cookie(COOKIE, id);
            cookie.setHttpOnly(true);
            cookie.setPath("/");
            cookie.setAttribute("SameSite", "Strict");
            response.addCookie(cookie);
            request.setAttribute(COOKIE, id); // for a second call in the same request
        }
        return sign(id);
    }

    /**
     * Why the request must be refused, or empty if it passes both checks.
     *
     * @param formToken the token from the form, if the request is a form post
     */
    public Optional<String> refusal(HttpServletRequest request, Optional<String> formToken) {
        Optional<String> origin = Optional.ofNullable(request.getHeader("Origin"));
        Optional<String> referer = Optional.ofNullable(request.getHeader("Referer"));
        if (origin.isPresent() || referer.isPresent()) {
            String claimed = origin.orElseGet(referer::get);
            if (!sameOrigin(claimed, request)) {
                return Optional.of("the request comes from " + (origin.isPresent() ? "Origin " : "Referer ")
                        + claimed.replaceAll("[\\r\\n]", "") + ", not from this server");
            }
        }
        Optional<String> id = cookie(request);
        if (id.isEmpty()) {
            return Optional.of("no " + COOKIE + " cookie: load a page (or GET /api/session) first");
        }
        Optional<String> token = Optional.ofNullable(request.getHeader(HEADER)).or(() -> formToken);
        if (token.isEmpty() || token.get().isEmpty()) {
            return Optional.of("no CSRF token (form field " + FIELD + " or header " + HEADER + ")");
        }
        if (!MessageDigest.isEqual(token.get().getBytes(StandardCharsets.US_ASCII),
                sign(id.get()).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of("the CSRF token does not belong to this browser's " + COOKIE + " cookie");
        }
        return Optional.empty();
    }

    private static boolean sameOrigin(String claimed, HttpServletRequest request) {
        try {
            URI uri = URI.create(claimed.trim());
            String host = request.getHeader("Host");
            if (uri.getScheme() == null || uri.getHost() == null || host == null) {
                return false;
            }
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            URI self = URI.create(request.getScheme() + "://" + host);
            int selfPort = self.getPort() != -1 ? self.getPort() : "https".equalsIgnoreCase(self.getScheme()) ? 443 : 80;
            return uri.getScheme().equalsIgnoreCase(request.getScheme())
                    && uri.getHost().equalsIgnoreCase(self.getHost()) && port == selfPort;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Optional<String> cookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (COOKIE.equals(cookie.getName()) && cookie.getValue() != null && !cookie.getValue().isEmpty()) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    private String sign(String id) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(id.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
