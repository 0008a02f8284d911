package io.github.afterresponse;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * An immutable copy of what a background task may need from the request once the container has
 * taken the request object back: method, URI, query, parameters, headers, chosen request and
 * session attributes, the session id, user principal, locales and addresses.
 *
 * <p>The toolkit takes the snapshot just before it sends the response, so it sees everything the
 * servlet did with the request (including attributes it set). Attribute values are copied by
 * reference: put only values there that are safe to use from another thread.
 *
 * <p>Parameters the container cannot parse (a malformed query such as {@code ?x=%zz}, on which
 * Jetty and Tomcat throw) do not cost the others: the snapshot then holds every query parameter
 * that can be decoded, and {@link #parameterError()} says what went wrong.
 */
public final class RequestSnapshot {

    private final String method;
    private final String requestUri;
    private final @Nullable String queryString;
    private final String requestUrl;
    private final String protocol;
    private final String scheme;
    private final String serverName;
    private final int serverPort;
    private final String contextPath;
    private final String servletPath;
    private final @Nullable String pathInfo;
    private final Map<String, List<String>> parameters;
    private final Map<String, List<String>> headers;
    private final Map<String, Object> attributes;
    private final @Nullable String parameterError;
    private final @Nullable String sessionId;
    private final Map<String, Object> sessionAttributes;
    private final @Nullable Principal userPrincipal;
    private final List<Locale> locales;
    private final String remoteAddr;
    private final int remotePort;
    private final String localAddr;
    private final int localPort;
    private final boolean secure;
    private final String requestId;

    private RequestSnapshot(HttpServletRequest request, Collection<String> attributeNames,
            Collection<String> sessionAttributeNames) {
        method = request.getMethod();
        requestUri = request.getRequestURI();
        queryString = request.getQueryString();
        requestUrl = request.getRequestURL().toString();
        protocol = request.getProtocol();
        scheme = request.getScheme();
        serverName = request.getServerName();
        serverPort = request.getServerPort();
        contextPath = request.getContextPath();
        servletPath = request.getServletPath();
        pathInfo = request.getPathInfo();
        Parameters read = Parameters.of(request);
        parameters = read.values();
        parameterError = read.error();
        headers = copyHeaders(request);
        attributes = copyAttributes(request, attributeNames);
        HttpSession session = request.getSession(false);
        sessionId = session == null ? null : session.getId();
        sessionAttributes = session == null ? Map.of() : copySessionAttributes(session, sessionAttributeNames);
        userPrincipal = request.getUserPrincipal();
        locales = List.copyOf(Collections.list(request.getLocales()));
        remoteAddr = request.getRemoteAddr();
        remotePort = request.getRemotePort();
        localAddr = request.getLocalAddr();
        localPort = request.getLocalPort();
        secure = request.isSecure();
        requestId = request.getRequestId();
    }

    /**
     * Copies a live request. Call it only while the request is live (before the response was sent).
     *
     * @param request the request, still in the hands of the servlet
     * @param attributeNames the request attributes to copy; absent ones are skipped
     */
    public static RequestSnapshot of(HttpServletRequest request, Collection<String> attributeNames) {
        return of(request, attributeNames, List.of());
    }

    /**
     * Copies a live request and chosen attributes of its session, if it has one (none is created).
     * Call it only while the request is live (before the response was sent).
     *
     * @param request the request, still in the hands of the servlet
     * @param attributeNames the request attributes to copy; absent ones are skipped
     * @param sessionAttributeNames the session attributes to copy; absent ones are skipped
     */
    public static RequestSnapshot of(HttpServletRequest request, Collection<String> attributeNames,
            Collection<String> sessionAttributeNames) {
        return new RequestSnapshot(request, attributeNames, sessionAttributeNames);
    }

    /**
     * The parameters, or, where the container cannot parse them, those of the query string that
     * can be decoded, and why the others are missing.
     */
    private record Parameters(Map<String, List<String>> values, @Nullable String error) {
        static Parameters of(HttpServletRequest request) {
            Map<String, String[]> parameters;
            try {
                parameters = request.getParameterMap();
            } catch (RuntimeException e) {
                // The container could not parse them: a malformed query or form body. The servlet,
                // had it asked, would have failed the same way; the task keeps what can be read.
                return new Parameters(decodableQuery(request.getQueryString()),
                        e.getMessage() == null ? e.getClass().getName() : e.getMessage());
            }
            Map<String, List<String>> copy = new LinkedHashMap<>();
            parameters.forEach((name, values) -> copy.put(name, List.of(values)));
            return new Parameters(Collections.unmodifiableMap(copy), null);
        }
    }

    /** The pairs of a query string that decode as UTF-8 form encoding, in order; the others are left out. */
    private static Map<String, List<String>> decodableQuery(@Nullable String query) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                try {
                    String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                    String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                    copy.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
                } catch (IllegalArgumentException e) {
                    // not decodable (%zz, a lone %): left out, as the container could not read it either
                }
            }
        }
        copy.replaceAll((name, values) -> List.copyOf(values));
        return Collections.unmodifiableMap(copy);
    }

    private static Map<String, List<String>> copyHeaders(HttpServletRequest request) {
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Enumeration<String> names = request.getHeaderNames();
        while (names.hasMoreElements()) {
            String name = names.nextElement();
            List<String> values = copy.computeIfAbsent(name, n -> new ArrayList<>());
            values.addAll(Collections.list(request.getHeaders(name)));
        }
        copy.replaceAll((name, values) -> List.copyOf(values));
        return Collections.unmodifiableMap(copy);
    }

    private static Map<String, Object> copySessionAttributes(HttpSession session, Collection<String> names) {
        Map<String, Object> copy = new LinkedHashMap<>();
        try {
            for (String name : names) {
                Object value = session.getAttribute(name);
                if (value != null) {
                    copy.put(name, value);
                }
            }
        } catch (IllegalStateException e) {
            return Map.of(); // invalidated by the servlet: it has no attributes any more
        }
        return Collections.unmodifiableMap(copy);
    }

    private static Map<String, Object> copyAttributes(HttpServletRequest request, Collection<String> names) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (String name : names) {
            Object value = request.getAttribute(name);
            if (value != null) {
                copy.put(name, value);
            }
        }
        return Collections.unmodifiableMap(copy);
    }

    /** The HTTP method, such as {@code GET}. */
    public String method() {
        return method;
    }

    /** The request URI without the query string, as {@link HttpServletRequest#getRequestURI()}. */
    public String requestUri() {
        return requestUri;
    }

    /** The query string without the {@code ?}, if the request had one. */
    public Optional<String> queryString() {
        return Optional.ofNullable(queryString);
    }

    /** The URL the client used, without the query string, as {@link HttpServletRequest#getRequestURL()}. */
    public String requestUrl() {
        return requestUrl;
    }

    /** The protocol, such as {@code HTTP/1.1} or {@code HTTP/2.0}. */
    public String protocol() {
        return protocol;
    }

    /** The scheme, {@code http} or {@code https}. */
    public String scheme() {
        return scheme;
    }

    /** The host name the client asked for. */
    public String serverName() {
        return serverName;
    }

    /** The port the client asked for. */
    public int serverPort() {
        return serverPort;
    }

    /** The context path of the web application, {@code ""} for the root. */
    public String contextPath() {
        return contextPath;
    }

    /** The servlet path, as {@link HttpServletRequest#getServletPath()}. */
    public String servletPath() {
        return servletPath;
    }

    /** The path info, as {@link HttpServletRequest#getPathInfo()}. */
    public Optional<String> pathInfo() {
        return Optional.ofNullable(pathInfo);
    }

    /** All parameters (query string and form body), in the order the container gave them. */
    public Map<String, List<String>> parameters() {
        return parameters;
    }

    /** The first value of a parameter. */
    public Optional<String> parameter(String name) {
        return first(parameters.get(name));
    }

    /** All values of a parameter; empty if there are none. */
    public List<String> parameterValues(String name) {
        return parameters.getOrDefault(name, List.of());
    }

    /** All headers; the map looks names up ignoring case. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of a header, whatever the case of its name. */
    public Optional<String> header(String name) {
        return first(headers.get(name));
    }

    /** All values of a header, whatever the case of its name; empty if there are none. */
    public List<String> headerValues(String name) {
        return headers.getOrDefault(name, List.of());
    }

    /** The names of all headers, as the container spelled them. */
    public Set<String> headerNames() {
        return headers.keySet();
    }

    /** The attributes chosen by the configuration that were present. */
    public Map<String, Object> attributes() {
        return attributes;
    }

    /** One of the chosen attributes, if it was present. */
    public Optional<Object> attribute(String name) {
        return Optional.ofNullable(attributes.get(name));
    }

    /**
     * Why the container could not read the parameters, if it could not (a malformed query or form
     * body); {@link #parameters()} then holds the query parameters that could be decoded, and none
     * of a form body.
     */
    public Optional<String> parameterError() {
        return Optional.ofNullable(parameterError);
    }

    /** The id of the request's session, if it had one when the snapshot was taken. */
    public Optional<String> sessionId() {
        return Optional.ofNullable(sessionId);
    }

    /**
     * The session attributes chosen by the configuration ({@code snapshot-session-attributes}) that
     * were present, copied by reference; empty without a session.
     */
    public Map<String, Object> sessionAttributes() {
        return sessionAttributes;
    }

    /** One of the chosen session attributes, if it was present. */
    public Optional<Object> sessionAttribute(String name) {
        return Optional.ofNullable(sessionAttributes.get(name));
    }

    /** The authenticated user, if any. */
    public Optional<Principal> userPrincipal() {
        return Optional.ofNullable(userPrincipal);
    }

    /** The client's preferred locale (the container's default if it sent none). */
    public Locale locale() {
        return locales.get(0);
    }

    /** The client's locales in order of preference; never empty. */
    public List<Locale> locales() {
        return locales;
    }

    /** The client's IP address. */
    public String remoteAddr() {
        return remoteAddr;
    }

    /** The client's port. */
    public int remotePort() {
        return remotePort;
    }

    /** The IP address the request arrived on. */
    public String localAddr() {
        return localAddr;
    }

    /** The port the request arrived on. */
    public int localPort() {
        return localPort;
    }

    /** Whether the request came over a secure channel. */
    public boolean isSecure() {
        return secure;
    }

    /** The container's id for the request ({@link jakarta.servlet.ServletRequest#getRequestId()}). */
    public String requestId() {
        return requestId;
    }

    private static Optional<String> first(@Nullable List<String> values) {
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    @Override
    public String toString() {
        return method + " " + requestUri + (queryString == null ? "" : "?" + queryString) + " " + protocol
                + " from " + remoteAddr + ":" + remotePort;
    }
}
