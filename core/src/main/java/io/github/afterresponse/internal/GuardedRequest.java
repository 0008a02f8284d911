package io.github.afterresponse.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletConnection;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.Part;
import jakarta.servlet.http.PushBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.security.Principal;
import java.util.Collection;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The request the servlet sees. Every call is refused with {@link IllegalStateException} once the
 * exchange has responded: after that the container may have recycled the real request for another
 * client (on Jetty a stale request reads the next request's headers on the same connection). So
 * are the body's stream, reader and parts it gives. {@code startAsync} is intercepted so that a
 * servlet doing its own asynchronous processing gets an unbuffered response.
 *
 * <p>Deliberately not guarded beyond the call that returns them: the {@link HttpSession} (session
 * objects belong to their session, not to the request, and are not recycled for other clients;
 * see {@code snapshot-session-attributes} for using their attributes in a task), the
 * {@link AsyncContext} (only the servlet's own asynchronous processing has one, and it keeps the
 * guard open), and the {@link ServletConnection}, which is handed out as an immutable copy.
 */
final class GuardedRequest extends HttpServletRequestWrapper {

    private final ExchangeFacade facade;
    private final Guard guard;
    /** Let go by {@link #release()}, as everything below that leads to the container's objects. */
    private volatile @Nullable BufferingResponse response;
    private volatile @Nullable OwnAsync onOwnAsync;
    /**
     * The parts handed out, one wrapper per container part, let go with the request; guarded by
     * {@code this} (null until the servlet asks for one).
     */
    private java.util.@Nullable Map<Part, Part> parts;
    /** Set by {@link #release()} under {@code this}: a part handed out after it is let go at once. */
    private boolean partsReleased;
    // The same stream and reader for every call, as the container gives them.
    private @Nullable ServletInputStream rawInput;
    private @Nullable ServletInputStream input;
    private @Nullable BufferedReader rawReader;
    private @Nullable BufferedReader reader;
    /** Whether the servlet asked for anything that reads the body: its stream, reader, parts, or a form's parameters. */
    private volatile boolean bodyTouched;

    /** Hands the exchange over to asynchronous processing the servlet started itself. */
    @FunctionalInterface
    interface OwnAsync {
        void handOver(AsyncContext async) throws IOException;
    }

    /**
     * @param onOwnAsync called once the servlet's own startAsync succeeded
     */
    GuardedRequest(HttpServletRequest request, ExchangeFacade facade, BufferingResponse response, OwnAsync onOwnAsync) {
        super(request);
        this.facade = facade;
        this.guard = facade.exchange().guard();
        this.response = response;
        this.onOwnAsync = onOwnAsync;
    }

    ExchangeFacade facade() {
        return facade;
    }

    /**
     * The servlet has returned: lets go of the container's request, its body's stream and reader,
     * and the response wrapper, so that a task that captured this wrapper keeps nothing of them
     * reachable (the container recycles them for other clients). From now on the guard refuses every
     * call. What stays is the facade, which by then leads only to the exchange.
     */
    void release() {
        guard.release();
        setRequest(Gone.REQUEST);
        response = null;
        onOwnAsync = null;
        if (input instanceof GuardedBody.Releasable body) {
            body.release();
        }
        if (reader instanceof GuardedBody.Releasable body) {
            body.release();
        }
        rawInput = null;
        rawReader = null;
        synchronized (this) {
            partsReleased = true;
            if (parts != null) {
                parts.values().forEach(part -> ((GuardedBody.Releasable) part).release());
            }
        }
    }

    /**
     * What a call that passed the guard just before {@link #release()} finds: the object, or, once
     * released, the guard's refusal (a thread of the servlet's own still using the request).
     */
    private <T> T released(@Nullable T object) {
        if (object == null) {
            guard.checkRequest();
            throw new IllegalStateException("After Response: the request has been released");
        }
        return object;
    }

    /**
     * The guarded wrapper of a container part: the same one each time the servlet asks for it, so
     * that repeated getParts() calls do not pile up wrappers; let go at once when the request has
     * been released meanwhile (a thread of the servlet's own, racing its return).
     */
    private synchronized Part handOut(Part part) {
        if (parts == null) {
            parts = new java.util.IdentityHashMap<>();
        }
        Part guarded = parts.computeIfAbsent(part, container -> GuardedBody.part(container, guard));
        if (partsReleased) {
            ((GuardedBody.Releasable) guarded).release();
        }
        return guarded;
    }

    /** Whether the servlet asked for anything that may have read the body (the container may then have sent 100 Continue). */
    boolean isBodyTouched() {
        return bodyTouched;
    }

    /** The live request, for a call that reads the body. */
    private HttpServletRequest liveBody() {
        HttpServletRequest live = live();
        bodyTouched = true;
        return live;
    }

    /** The live request, for a parameter call: it reads the body only when that is a form. */
    private HttpServletRequest liveParameters() {
        HttpServletRequest live = live();
        if (!bodyTouched && isForm(live.getContentType())) {
            bodyTouched = true;
        }
        return live;
    }

    private static boolean isForm(@Nullable String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.trim().toLowerCase(Locale.ROOT);
        return type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data");
    }

    private HttpServletRequest live() {
        guard.checkRequest();
        return (HttpServletRequest) getRequest();
    }

    // ---- asynchronous processing started by the servlet itself ------------------------------

    @Override
    public AsyncContext startAsync() {
        return ownAsync(() -> live().startAsync());
    }

    @Override
    public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
        return ownAsync(() -> live().startAsync(request, response));
    }

    private AsyncContext ownAsync(Supplier<AsyncContext> start) {
        guard.checkRequest();
        facade.exchange().checkOwnAsyncAllowed(); // before starting: a refusal must leave nothing started
        AsyncContext context = start.get(); // if the container refuses, the exchange stays as it was
        try {
            released(onOwnAsync).handOver(context);
        } catch (IOException e) {
            // The exchange is handed over all the same: it ends when the asynchronous processing does.
            throw new UncheckedIOException("After Response: could not pass the buffered output on to the "
                    + "response", e);
        }
        return context;
    }

    @Override
    public boolean isAsyncStarted() {
        return live().isAsyncStarted();
    }

    @Override
    public boolean isAsyncSupported() {
        return live().isAsyncSupported();
    }

    @Override
    public AsyncContext getAsyncContext() {
        return live().getAsyncContext();
    }

    // ---- everything else: guarded delegation -------------------------------------------------

    @Override
    public @Nullable Object getAttribute(String name) {
        return live().getAttribute(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        return live().getAttributeNames();
    }

    @Override
    public @Nullable String getCharacterEncoding() {
        return live().getCharacterEncoding();
    }

    @Override
    public void setCharacterEncoding(String encoding) throws UnsupportedEncodingException {
        live().setCharacterEncoding(encoding);
    }

    /** Servlet 6.1; declared here so that a 6.1 container's wrapper default is guarded too. */
    public void setCharacterEncoding(Charset encoding) throws UnsupportedEncodingException {
        live().setCharacterEncoding(encoding.name());
    }

    @Override
    public int getContentLength() {
        return live().getContentLength();
    }

    @Override
    public long getContentLengthLong() {
        return live().getContentLengthLong();
    }

    @Override
    public @Nullable String getContentType() {
        return live().getContentType();
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        ServletInputStream raw = liveBody().getInputStream();
        if (input == null || rawInput != raw) {
            rawInput = raw;
            input = GuardedBody.stream(raw, guard);
        }
        return input;
    }

    @Override
    public @Nullable String getParameter(String name) {
        return liveParameters().getParameter(name);
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return liveParameters().getParameterMap();
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return liveParameters().getParameterNames();
    }

    @Override
    public String @Nullable [] getParameterValues(String name) {
        return liveParameters().getParameterValues(name);
    }

    @Override
    public String getProtocol() {
        return live().getProtocol();
    }

    @Override
    public String getScheme() {
        return live().getScheme();
    }

    @Override
    public String getServerName() {
        return live().getServerName();
    }

    @Override
    public int getServerPort() {
        return live().getServerPort();
    }

    @Override
    public BufferedReader getReader() throws IOException {
        BufferedReader raw = liveBody().getReader();
        if (reader == null || rawReader != raw) {
            rawReader = raw;
            reader = GuardedBody.reader(raw, guard);
        }
        return reader;
    }

    @Override
    public String getRemoteAddr() {
        return live().getRemoteAddr();
    }

    @Override
    public String getRemoteHost() {
        return live().getRemoteHost();
    }

    @Override
    public void setAttribute(String name, @Nullable Object value) {
        live().setAttribute(name, value);
    }

    @Override
    public void removeAttribute(String name) {
        live().removeAttribute(name);
    }

    @Override
    public Locale getLocale() {
        return live().getLocale();
    }

    @Override
    public Enumeration<Locale> getLocales() {
        return live().getLocales();
    }

    @Override
    public boolean isSecure() {
        return live().isSecure();
    }

    @Override
    public @Nullable RequestDispatcher getRequestDispatcher(String path) {
        RequestDispatcher dispatcher = live().getRequestDispatcher(path);
        return dispatcher == null ? null : new ForwardingDispatcher(dispatcher, released(response), guard);
    }

    @Override
    public int getRemotePort() {
        return live().getRemotePort();
    }

    @Override
    public String getLocalName() {
        return live().getLocalName();
    }

    @Override
    public String getLocalAddr() {
        return live().getLocalAddr();
    }

    @Override
    public int getLocalPort() {
        return live().getLocalPort();
    }

    @Override
    public ServletContext getServletContext() {
        return live().getServletContext();
    }

    @Override
    public DispatcherType getDispatcherType() {
        return live().getDispatcherType();
    }

    @Override
    public String getRequestId() {
        return live().getRequestId();
    }

    @Override
    public String getProtocolRequestId() {
        return live().getProtocolRequestId();
    }

    @Override
    public ServletConnection getServletConnection() {
        return ConnectionCopy.of(live().getServletConnection());
    }

    @Override
    public @Nullable String getAuthType() {
        return live().getAuthType();
    }

    @Override
    public Cookie @Nullable [] getCookies() {
        return live().getCookies();
    }

    @Override
    public long getDateHeader(String name) {
        return live().getDateHeader(name);
    }

    @Override
    public @Nullable String getHeader(String name) {
        return live().getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        return live().getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        return live().getHeaderNames();
    }

    @Override
    public int getIntHeader(String name) {
        return live().getIntHeader(name);
    }

    @Override
    public HttpServletMapping getHttpServletMapping() {
        return live().getHttpServletMapping();
    }

    @Override
    public String getMethod() {
        return live().getMethod();
    }

    @Override
    public @Nullable String getPathInfo() {
        return live().getPathInfo();
    }

    @Override
    public @Nullable String getPathTranslated() {
        return live().getPathTranslated();
    }

    @Override
    @SuppressWarnings("deprecation") // HTTP/2 push is deprecated in Servlet 6.1, still part of the interface
    public @Nullable PushBuilder newPushBuilder() {
        return live().newPushBuilder();
    }

    @Override
    public String getContextPath() {
        return live().getContextPath();
    }

    @Override
    public @Nullable String getQueryString() {
        return live().getQueryString();
    }

    @Override
    public @Nullable String getRemoteUser() {
        return live().getRemoteUser();
    }

    @Override
    public boolean isUserInRole(String role) {
        return live().isUserInRole(role);
    }

    @Override
    public @Nullable Principal getUserPrincipal() {
        return live().getUserPrincipal();
    }

    @Override
    public @Nullable String getRequestedSessionId() {
        return live().getRequestedSessionId();
    }

    @Override
    public String getRequestURI() {
        return live().getRequestURI();
    }

    @Override
    public StringBuffer getRequestURL() {
        return live().getRequestURL();
    }

    @Override
    public String getServletPath() {
        return live().getServletPath();
    }

    @Override
    public @Nullable HttpSession getSession(boolean create) {
        return live().getSession(create);
    }

    @Override
    public HttpSession getSession() {
        return live().getSession();
    }

    @Override
    public String changeSessionId() {
        return live().changeSessionId();
    }

    @Override
    public boolean isRequestedSessionIdValid() {
        return live().isRequestedSessionIdValid();
    }

    @Override
    public boolean isRequestedSessionIdFromCookie() {
        return live().isRequestedSessionIdFromCookie();
    }

    @Override
    public boolean isRequestedSessionIdFromURL() {
        return live().isRequestedSessionIdFromURL();
    }

    @Override
    public boolean authenticate(HttpServletResponse response) throws IOException, ServletException {
        return live().authenticate(response);
    }

    @Override
    public void login(String username, String password) throws ServletException {
        live().login(username, password);
    }

    @Override
    public void logout() throws ServletException {
        live().logout();
    }

    @Override
    public Collection<Part> getParts() throws IOException, ServletException {
        return liveBody().getParts().stream().map(this::handOut).toList();
    }

    @Override
    public @Nullable Part getPart(String name) throws IOException, ServletException {
        Part part = liveBody().getPart(name);
        return part == null ? null : handOut(part);
    }

    @Override
    public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass) throws IOException, ServletException {
        return live().upgrade(handlerClass);
    }

    @Override
    public Map<String, String> getTrailerFields() {
        return live().getTrailerFields();
    }

    @Override
    public boolean isTrailerFieldsReady() {
        return live().isTrailerFieldsReady();
    }
}
