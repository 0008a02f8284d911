package io.github.afterresponse.demo.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The frame of every page (head, header with the navigation, main) and the headers every page is
 * sent with: no caching, and a Content-Security-Policy that allows nothing from elsewhere and no
 * inline script or style — the script gets its data from {@code data-*} attributes.
 */
final class Layout {

    /** The sections of the navigation. */
    enum Section {
        COMPOSE("/", "Compose"), CAMPAIGNS("/campaigns", "Campaigns"), OUTBOX("/outbox", "Outbox"), NONE("", "");

        final String path;
        final String label;

        Section(String path, String label) {
            this.path = path;
            this.label = label;
        }
    }

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
            + " frame-ancestors 'none'";

    private final StaticFiles files;

    Layout(StaticFiles files) {
        this.files = files;
    }

    /**
     * A whole page.
     *
     * @param title the title, plain text (escaped here)
     * @param main the content of {@code <main>}, HTML already escaped where needed
     */
    String page(Section section, String title, String main) {
        StringBuilder html = new StringBuilder(4096 + main.length());
        html.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(Html.text(title)).append(" · Bulk mailer</title>\n")
                // No favicon request (and no 404 for it in the console).
                .append("<link rel=\"icon\" href=\"data:,\">\n")
                .append("<link rel=\"stylesheet\" href=\"").append(files.url(StaticFiles.CSS)).append("\">\n")
                .append("<script src=\"").append(files.url(StaticFiles.JS)).append("\" defer></script>\n")
                .append("</head>\n<body>\n<header class=\"top\"><div class=\"bar\">")
                .append("<a class=\"brand\" href=\"/\"><span class=\"logo\" aria-hidden=\"true\">✉</span> Bulk mailer</a>")
                .append("<nav aria-label=\"Main\">");
        for (Section s : Section.values()) {
            if (s != Section.NONE) {
                html.append("<a href=\"").append(s.path).append('"')
                        .append(s == section ? " class=\"current\" aria-current=\"page\"" : "")
                        .append(" id=\"nav-").append(s.name().toLowerCase(java.util.Locale.ROOT)).append("\">")
                        .append(s.label).append("</a>");
            }
        }
        html.append("</nav><span class=\"tagline\">After Response demo</span></div></header>\n<main>\n")
                .append(main)
                .append("\n</main>\n</body>\n</html>\n");
        return html.toString();
    }

    /** Sends a page with its status and the headers every dynamic page has. */
    static void send(HttpServletResponse response, int status, String html) throws IOException {
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("text/html;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "same-origin");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** A page that only says something: an error, or a refusal, with a way on. */
    void message(HttpServletResponse response, int status, String title, String explanation) throws IOException {
        message(response, status, title, explanation, "/campaigns", "See the campaigns");
    }

    /**
     * A page that only says something, with a link back to where it came from.
     *
     * @param back the path of the link, built by the caller from known parts
     */
    void message(HttpServletResponse response, int status, String title, String explanation, String back, String backLabel)
            throws IOException {
        send(response, status, page(Section.NONE, title, "<section class=\"card message\" id=\"message\">"
                + "<p class=\"status\" id=\"status\">" + status + "</p><h1>" + Html.text(title) + "</h1><p id=\"explanation\">"
                + Html.text(explanation) + "</p><p class=\"actions\"><a class=\"button secondary\" href=\"" + Html.text(back)
                + "\">" + Html.text(backLabel) + "</a>" + ("/".equals(back) ? "" : " <a class=\"button secondary\" href=\"/\">Compose a campaign</a>")
                + "</p></section>"));
    }
}
