package io.github.afterresponse.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The response the servlet sees. Its body goes to a {@link ResponseOutput}, which holds it back.
 * Everything that would commit the real response is intercepted, since a delegated call would
 * commit it and later headers would be lost silently: flushing, {@code sendError},
 * {@code sendRedirect}, resets, buffer size and {@code Content-Length}. Other headers and the
 * status go straight to the real response, which stays uncommitted until the output sends it.
 *
 * <p>Once the exchange has responded, every method throws {@link IllegalStateException}: the real
 * response may already serve another client.
 */
final class BufferingResponse extends HttpServletResponseWrapper {

    private static final String CONTENT_LENGTH = "Content-Length";

    private final Guard guard;
    /** Never null while the servlet runs; let go by {@link #release()}, after which the guard refuses every call. */
    private volatile @Nullable ResponseOutput output;

    /**
     * @param committedAhead the filter's warning for a response committed before it was sent
     */
    BufferingResponse(HttpServletResponse response, Exchange exchange, int bufferLimit, LogOnce committedAhead) {
        super(response);
        this.guard = exchange.guard();
        this.output = new ResponseOutput(response, exchange, bufferLimit, committedAhead);
    }

    /** The real response, for the toolkit itself (not guarded). */
    HttpServletResponse real() {
        return (HttpServletResponse) super.getResponse();
    }

    /** The body, for the toolkit itself (not guarded). */
    ResponseOutput output() {
        ResponseOutput body = output;
        if (body == null) {
            // A call that passed the guard just before the servlet returned (a thread of the
            // servlet's own, still using the response): refused as any later call is.
            guard.checkResponse();
            throw new IllegalStateException("After Response: the response has been released");
        }
        return body;
    }

    /**
     * The servlet has returned: lets go of the body (its bytes, its encoder, its way to the client)
     * and of the container's response, so that a task that captured this wrapper keeps nothing of
     * them reachable (the container recycles the response for other clients). From now on the
     * guard refuses every call.
     */
    void release() {
        guard.release();
        ResponseOutput body = output;
        if (body != null) {
            body.release();
        }
        output = null;
        setResponse(Gone.RESPONSE);
    }

    // ---- body --------------------------------------------------------------------------------

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        guard.checkResponse();
        return output().outputStream();
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        guard.checkResponse();
        return output().writer();
    }

    @Override
    public void flushBuffer() throws IOException {
        guard.checkResponse();
        output().flushBuffer();
    }

    @Override
    public boolean isCommitted() {
        guard.checkResponse();
        return output().isFinishedByContainer() || !output().holds() && super.isCommitted();
    }

    @Override
    public void reset() {
        guard.checkResponse();
        refuseIfEnded("reset()");
        if (output().holds()) {
            output().reset();
        }
        super.reset(); // when committed, the container throws, as it would without the filter
    }

    @Override
    public void resetBuffer() {
        guard.checkResponse();
        refuseIfEnded("resetBuffer()");
        if (output().holds()) {
            output().resetBuffer();
        } else {
            super.resetBuffer();
        }
    }

    /**
     * Checks the exchange, then tells whether headers and status may still change: not after
     * sendError, sendRedirect or a forward, where a real response would be committed and ignore them.
     */
    private boolean mayChangeHeaders() {
        guard.checkResponse();
        return !output().isFinishedByContainer();
    }

    /** After sendError, sendRedirect or a forward the response counts as committed. */
    private void refuseIfEnded(String what) {
        if (output().isFinishedByContainer()) {
            throw new IllegalStateException("Cannot call " + what + " after the response has been committed");
        }
    }

    @Override
    public void setBufferSize(int size) {
        guard.checkResponse();
        if (output().passesThrough()) {
            super.setBufferSize(size);
            return;
        }
        output().flushWriter();
        if (!output().holds() || output().bufferedBytes() > 0) {
            throw new IllegalStateException("setBufferSize() must be called before any content is written");
        }
        // Otherwise the toolkit's buffer limit applies; the container's buffer never holds the
        // body, so it is left alone.
    }

    @Override
    public int getBufferSize() {
        guard.checkResponse();
        return output().passesThrough() ? super.getBufferSize() : Math.max(super.getBufferSize(), output().bufferLimit());
    }

    // ---- ending the response early -----------------------------------------------------------

    @Override
    public void sendError(int status, String message) throws IOException {
        guard.checkResponse();
        output().end(Ending.error(status, message));
    }

    @Override
    public void sendError(int status) throws IOException {
        guard.checkResponse();
        output().end(Ending.error(status, null));
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        guard.checkResponse();
        output().end(Ending.redirect(location));
    }

    /** Servlet 6.1; declared here so that a 6.1 container's wrapper default does not bypass the buffer. */
    public void sendRedirect(String location, int status) throws IOException {
        sendRedirect(location, status, true);
    }

    /** Servlet 6.1; see {@link #sendRedirect(String, int)}. */
    public void sendRedirect(String location, boolean clearBuffer) throws IOException {
        sendRedirect(location, HttpServletResponse.SC_FOUND, clearBuffer);
    }

    /** Servlet 6.1; see {@link #sendRedirect(String, int)}. */
    public void sendRedirect(String location, int status, boolean clearBuffer) throws IOException {
        guard.checkResponse();
        output().end(Ending.redirect(location, status, clearBuffer));
    }

    // ---- headers that shape the body ---------------------------------------------------------

    @Override
    public void setContentLength(int length) {
        setContentLengthLong(length);
    }

    @Override
    public void setContentLengthLong(long length) {
        if (!mayChangeHeaders()) {
            return;
        }
        output().declareContentLength(length);
    }

    @Override
    public void setHeader(String name, @Nullable String value) {
        if (!mayChangeHeaders()) {
            return;
        }
        if (isContentLength(name)) {
            setDeclaredLength(value);
        } else {
            super.setHeader(name, value);
            keepWriterCharsetIfContentType(name);
        }
    }

    @Override
    public void addHeader(String name, @Nullable String value) {
        if (!mayChangeHeaders()) {
            return;
        }
        if (isContentLength(name)) {
            setDeclaredLength(value);
        } else {
            super.addHeader(name, value);
            keepWriterCharsetIfContentType(name);
        }
    }

    /** Containers treat a Content-Type header as setContentType. */
    private void keepWriterCharsetIfContentType(@Nullable String name) {
        if ("Content-Type".equalsIgnoreCase(name)) {
            keepWriterCharset();
        }
    }

    @Override
    public void setIntHeader(String name, int value) {
        if (!mayChangeHeaders()) {
            return;
        }
        if (isContentLength(name)) {
            setContentLengthLong(value);
        } else {
            super.setIntHeader(name, value);
        }
    }

    @Override
    public void addIntHeader(String name, int value) {
        if (!mayChangeHeaders()) {
            return;
        }
        if (isContentLength(name)) {
            setContentLengthLong(value);
        } else {
            super.addIntHeader(name, value);
        }
    }

    @Override
    public boolean containsHeader(String name) {
        guard.checkResponse();
        return isContentLength(name) && interceptsLength()
                ? output().declaredContentLength() >= 0
                : super.containsHeader(name);
    }

    @Override
    public @Nullable String getHeader(String name) {
        guard.checkResponse();
        if (isContentLength(name) && interceptsLength()) {
            long declared = output().declaredContentLength();
            return declared >= 0 ? Long.toString(declared) : null;
        }
        return super.getHeader(name);
    }

    private boolean interceptsLength() {
        return !output().passesThrough();
    }

    private void setDeclaredLength(@Nullable String value) {
        long length;
        try {
            length = value == null ? -1 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            length = -1; // a malformed Content-Length would break the response; the real length is used
        }
        output().declareContentLength(length);
    }

    private static boolean isContentLength(@Nullable String name) {
        return CONTENT_LENGTH.equalsIgnoreCase(name);
    }

    // ---- character encoding: fixed once the writer exists, as on a real response -------------

    @Override
    public void setCharacterEncoding(@Nullable String charset) {
        if (!mayChangeHeaders()) {
            return;
        }
        if (output().writerCharset() == null) {
            super.setCharacterEncoding(charset);
        }
    }

    /** Servlet 6.1; declared here so that a 6.1 container's wrapper default cannot change a fixed charset. */
    public void setCharacterEncoding(@Nullable Charset charset) {
        setCharacterEncoding(charset == null ? null : charset.name());
    }

    @Override
    public void setContentType(@Nullable String type) {
        if (!mayChangeHeaders()) {
            return;
        }
        super.setContentType(type);
        keepWriterCharset();
    }

    @Override
    public void setLocale(Locale locale) {
        if (!mayChangeHeaders()) {
            return;
        }
        super.setLocale(locale);
        keepWriterCharset();
    }

    /**
     * Once the writer exists its charset is fixed, as on a real response: a later content type or
     * locale cannot change it, and it is named for the new type where the container names it
     * (not for Jetty's JSON).
     */
    private void keepWriterCharset() {
        String fixed = output().writerCharset();
        if (fixed != null && WriterCharsets.containerNames(real())) {
            super.setCharacterEncoding(fixed);
        }
    }

    // ---- everything else: guarded delegation -------------------------------------------------

    @Override
    public @Nullable String getCharacterEncoding() {
        guard.checkResponse();
        return super.getCharacterEncoding();
    }

    @Override
    public @Nullable String getContentType() {
        guard.checkResponse();
        return super.getContentType();
    }

    @Override
    public Locale getLocale() {
        guard.checkResponse();
        return super.getLocale();
    }

    @Override
    public void addCookie(Cookie cookie) {
        if (!mayChangeHeaders()) {
            return;
        }
        super.addCookie(cookie);
    }

    @Override
    public String encodeURL(String url) {
        guard.checkResponse();
        return super.encodeURL(url);
    }

    @Override
    public String encodeRedirectURL(String url) {
        guard.checkResponse();
        return super.encodeRedirectURL(url);
    }

    @Override
    public void setDateHeader(String name, long date) {
        if (!mayChangeHeaders()) {
            return;
        }
        super.setDateHeader(name, date);
    }

    @Override
    public void addDateHeader(String name, long date) {
        if (!mayChangeHeaders()) {
            return;
        }
        super.addDateHeader(name, date);
    }

    @Override
    public void setStatus(int status) {
        if (!mayChangeHeaders()) {
            return;
        }
        super.setStatus(status);
    }

    @Override
    public int getStatus() {
        guard.checkResponse();
        int pending = output().pendingStatus();
        return pending >= 0 ? pending : super.getStatus();
    }

    @Override
    public Collection<String> getHeaders(String name) {
        guard.checkResponse();
        return super.getHeaders(name);
    }

    @Override
    public Collection<String> getHeaderNames() {
        guard.checkResponse();
        return super.getHeaderNames();
    }

    @Override
    public void setTrailerFields(Supplier<Map<String, String>> supplier) {
        guard.checkResponse();
        super.setTrailerFields(supplier);
    }

    @Override
    public Supplier<Map<String, String>> getTrailerFields() {
        guard.checkResponse();
        return super.getTrailerFields();
    }
}
