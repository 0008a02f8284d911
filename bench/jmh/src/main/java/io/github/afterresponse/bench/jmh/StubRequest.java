package io.github.afterresponse.bench.jmh;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletConnection;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.MappingMatch;
import jakarta.servlet.http.Part;
import java.io.BufferedReader;
import java.security.Principal;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The container's request, in memory: a {@code GET /bench} over HTTP/1.1 with two headers, no body,
 * no session, no asynchronous support (so the filter never needs an {@code AsyncContext}). Reused
 * like a container's: {@link #recycle()} drops the attributes the filter set. What the benchmark
 * never needs throws {@link UnsupportedOperationException}, so a change in what the filter reads
 * shows at once.
 */
public final class StubRequest implements HttpServletRequest {

    private static final List<String> HEADER_NAMES = List.of("Host", "User-Agent");
    private static final HttpServletMapping MAPPING = new HttpServletMapping() {
        @Override
        public String getMatchValue() {
            return "bench";
        }

        @Override
        public String getPattern() {
            return "/bench";
        }

        @Override
        public String getServletName() {
            return "bench";
        }

        @Override
        public MappingMatch getMappingMatch() {
            return MappingMatch.EXACT;
        }
    };

    private final ServletContext context;
    private final Map<String, Object> attributes = new HashMap<>();

    public StubRequest(ServletContext context) {
        this.context = context;
    }

    /** Ready for the next request. */
    public void recycle() {
        attributes.clear();
    }

    // ---- what the filter and the snapshot read -------------------------------------------------

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        return Collections.enumeration(List.copyOf(attributes.keySet()));
    }

    @Override
    public void setAttribute(String name, Object value) {
        if (value == null) {
            attributes.remove(name);
        } else {
            attributes.put(name, value);
        }
    }

    @Override
    public void removeAttribute(String name) {
        attributes.remove(name);
    }

    @Override
    public DispatcherType getDispatcherType() {
        return DispatcherType.REQUEST;
    }

    @Override
    public HttpServletMapping getHttpServletMapping() {
        return MAPPING;
    }

    @Override
    public String getMethod() {
        return "GET";
    }

    @Override
    public String getProtocol() {
        return "HTTP/1.1";
    }

    @Override
    public String getScheme() {
        return "http";
    }

    @Override
    public String getServerName() {
        return "127.0.0.1";
    }

    @Override
    public int getServerPort() {
        return 8080;
    }

    @Override
    public String getRequestURI() {
        return "/bench";
    }

    @Override
    public StringBuffer getRequestURL() {
        return new StringBuffer("http://127.0.0.1:8080/bench");
    }

    @Override
    public String getQueryString() {
        return null;
    }

    @Override
    public String getContextPath() {
        return "";
    }

    @Override
    public String getServletPath() {
        return "/bench";
    }

    @Override
    public String getPathInfo() {
        return null;
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return Map.of();
    }

    @Override
    public String getParameter(String name) {
        return null;
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return Collections.emptyEnumeration();
    }

    @Override
    public String[] getParameterValues(String name) {
        return null;
    }

    @Override
    public String getHeader(String name) {
        if ("Host".equalsIgnoreCase(name)) {
            return "127.0.0.1:8080";
        }
        return "User-Agent".equalsIgnoreCase(name) ? "jmh" : null;
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        String value = getHeader(name);
        return value == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(value));
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        return Collections.enumeration(HEADER_NAMES);
    }

    @Override
    public int getIntHeader(String name) {
        String value = getHeader(name);
        return value == null ? -1 : Integer.parseInt(value);
    }

    @Override
    public long getDateHeader(String name) {
        return -1;
    }

    @Override
    public int getContentLength() {
        return -1;
    }

    @Override
    public long getContentLengthLong() {
        return -1;
    }

    @Override
    public String getContentType() {
        return null;
    }

    @Override
    public String getCharacterEncoding() {
        return null;
    }

    @Override
    public void setCharacterEncoding(String encoding) {
        // Nothing to decode.
    }

    @Override
    public HttpSession getSession(boolean create) {
        if (create) {
            throw new UnsupportedOperationException("no sessions in the benchmark");
        }
        return null;
    }

    @Override
    public HttpSession getSession() {
        return getSession(true);
    }

    @Override
    public Principal getUserPrincipal() {
        return null;
    }

    @Override
    public String getRemoteUser() {
        return null;
    }

    @Override
    public String getAuthType() {
        return null;
    }

    @Override
    public boolean isUserInRole(String role) {
        return false;
    }

    @Override
    public Locale getLocale() {
        return Locale.ROOT;
    }

    @Override
    public Enumeration<Locale> getLocales() {
        return Collections.enumeration(List.of(Locale.ROOT));
    }

    @Override
    public String getRemoteAddr() {
        return "127.0.0.1";
    }

    @Override
    public String getRemoteHost() {
        return "127.0.0.1";
    }

    @Override
    public int getRemotePort() {
        return 40000;
    }

    @Override
    public String getLocalName() {
        return "127.0.0.1";
    }

    @Override
    public String getLocalAddr() {
        return "127.0.0.1";
    }

    @Override
    public int getLocalPort() {
        return 8080;
    }

    @Override
    public boolean isSecure() {
        return false;
    }

    @Override
    public String getRequestId() {
        return "1";
    }

    @Override
    public String getProtocolRequestId() {
        return "";
    }

    @Override
    public ServletContext getServletContext() {
        return context;
    }

    @Override
    public boolean isAsyncSupported() {
        return false;
    }

    @Override
    public boolean isAsyncStarted() {
        return false;
    }

    @Override
    public Cookie[] getCookies() {
        return null;
    }

    @Override
    public String getRequestedSessionId() {
        return null;
    }

    @Override
    public boolean isRequestedSessionIdValid() {
        return false;
    }

    @Override
    public boolean isRequestedSessionIdFromCookie() {
        return false;
    }

    @Override
    public boolean isRequestedSessionIdFromURL() {
        return false;
    }

    // ---- what the benchmark never does ---------------------------------------------------------

    private static UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException(what + " is not part of the benchmark's stub request");
    }

    @Override
    public ServletInputStream getInputStream() {
        throw unsupported("getInputStream");
    }

    @Override
    public BufferedReader getReader() {
        throw unsupported("getReader");
    }

    @Override
    public RequestDispatcher getRequestDispatcher(String path) {
        throw unsupported("getRequestDispatcher");
    }

    @Override
    public AsyncContext startAsync() {
        throw new IllegalStateException("asynchronous processing is not supported by the stub");
    }

    @Override
    public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
        throw new IllegalStateException("asynchronous processing is not supported by the stub");
    }

    @Override
    public AsyncContext getAsyncContext() {
        throw new IllegalStateException("not asynchronous");
    }

    @Override
    public ServletConnection getServletConnection() {
        throw unsupported("getServletConnection");
    }

    @Override
    public String getPathTranslated() {
        return null;
    }

    @Override
    public String changeSessionId() {
        throw unsupported("changeSessionId");
    }

    @Override
    public boolean authenticate(HttpServletResponse response) {
        throw unsupported("authenticate");
    }

    @Override
    public void login(String user, String password) {
        throw unsupported("login");
    }

    @Override
    public void logout() {
        throw unsupported("logout");
    }

    @Override
    public Collection<Part> getParts() {
        throw unsupported("getParts");
    }

    @Override
    public Part getPart(String name) {
        throw unsupported("getPart");
    }

    @Override
    public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass) {
        throw unsupported("upgrade");
    }
}
