package io.github.afterresponse.internal;

import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a container's own {@code getWriter()} would name the writer's charset in
 * {@code Content-Type}. The buffering response never calls the real {@code getWriter()} (it sends
 * bytes through the real output stream), so it names the charset itself where the container
 * would. Measured ({@code ResponseFramingIT.writerCharsetIsNamedAsTheContainerNamesIt}): Tomcat
 * and Undertow always name it; Jetty names it except for the media types whose charset its MIME
 * table assumes ({@code encoding.properties}: JSON is UTF-8 by definition, so
 * {@code application/json} leaves as it is, not as {@code application/json;charset=utf-8}).
 */
final class WriterCharsets {

    /** Jetty 12's assumed charsets ({@code org/eclipse/jetty/http/encoding.properties}, the entries marked {@code -}). */
    private static final Set<String> JETTY_ASSUMED = Set.of("application/json", "text/json", "application/vnd.api+json");

    private WriterCharsets() {}

    /**
     * Whether the writer's charset is in Content-Type once the container's {@code getWriter()} has
     * fixed it: because the servlet named it, or because the container names it.
     */
    static boolean containerNames(ServletResponse response) {
        String contentType = response.getContentType();
        if (contentType == null) {
            return false; // nothing to name it in yet; it is named when a type is set
        }
        String lower = contentType.toLowerCase(Locale.ROOT);
        if (lower.contains("charset=")) {
            return true; // the servlet named it
        }
        int semicolon = lower.indexOf(';');
        String mediaType = (semicolon < 0 ? lower : lower.substring(0, semicolon)).trim();
        return !(isJetty(response) && JETTY_ASSUMED.contains(mediaType));
    }

    private static boolean isJetty(ServletResponse response) {
        ServletResponse inner = response;
        while (inner instanceof ServletResponseWrapper wrapper) {
            inner = wrapper.getResponse();
        }
        return inner.getClass().getName().startsWith("org.eclipse.jetty.");
    }
}
