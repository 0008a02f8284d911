package io.github.afterresponse.demo.web;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser without a browser: keeps cookies, follows no redirect, reads hidden fields out of
 * pages and posts forms as {@code application/x-www-form-urlencoded}.
 */
final class FormClient {

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder()
            .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    FormClient(int port) {
        this.base = URI.create("http://127.0.0.1:" + port + "/");
    }

    URI base() {
        return base;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Posts the fields (in this order) with extra headers given as name, value, name, value... */
    HttpResponse<String> post(String path, Map<String, String> fields, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(fields)));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The compose page's fields as a browser would post them, with the given ones changed. */
    Map<String, String> composeForm(Map<String, String> changes) throws IOException, InterruptedException {
        HttpResponse<String> page = get("/");
        if (page.statusCode() != 200) {
            throw new AssertionError("GET / answered " + page.statusCode());
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("_csrf", hidden(page.body(), "_csrf"));
        fields.put("idempotencyKey", hidden(page.body(), "idempotencyKey"));
        fields.put("segment", "");
        fields.put("city", "");
        fields.put("subject", "Spring sale in {city}");
        fields.put("text", "Dear {name},\r\nsee you soon.");
        fields.put("html", "");
        fields.put("replyTo", "");
        fields.putAll(changes);
        return fields;
    }

    /** The value of the hidden input with this name; fails if the page has none. */
    static String hidden(String html, String name) {
        Matcher m = Pattern.compile("<input type=\"hidden\" name=\"" + Pattern.quote(name) + "\"[^>]*? value=\"([^\"]*)\"")
                .matcher(html);
        if (!m.find()) {
            throw new AssertionError("no hidden field " + name + " in:\n" + html);
        }
        return m.group(1);
    }

    private static String encode(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** HTML-escapes as a page must: written here again, so that a mistake in the pages' own escaping shows. */
    static String escaped(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }
}
