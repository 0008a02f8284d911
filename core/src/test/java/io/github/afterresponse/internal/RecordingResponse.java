package io.github.afterresponse.internal;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A minimal in-memory response that records what reaches it, for unit tests of the wrapper's
 * interception decisions. Behaviour on real containers is proven by the integration tests.
 */
final class RecordingResponse implements HttpServletResponse {

    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    final List<String> calls = new ArrayList<>();
    final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    int status = 200;
    boolean committed;
    String characterEncoding = "ISO-8859-1";
    String contentType;
    long contentLength = -1;

    private boolean usingStream;
    private PrintWriter writer;

    /** Set to make every write and flush fail as a container's does when the client has gone. */
    volatile boolean clientGone;

    /**
     * Set to make only the close fail, as Payara's HTTP/2 does when the client hung up as soon as
     * it had the whole body ("Unable to write GOAWAY").
     */
    volatile boolean closeFails;

    private final ServletOutputStream stream = new ServletOutputStream() {
        @Override
        public void write(int b) throws java.io.IOException {
            if (clientGone) {
                throw new java.io.IOException("Broken pipe");
            }
            body.write(b);
        }

        @Override
        public void flush() throws java.io.IOException {
            if (clientGone) {
                throw new java.io.IOException("Broken pipe");
            }
            committed = true;
        }

        @Override
        public void close() throws java.io.IOException {
            if (clientGone || closeFails) {
                throw new java.io.IOException("Broken pipe");
            }
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            throw new UnsupportedOperationException();
        }
    };

    String header(String name) {
        List<String> values = headers.get(name);
        return values == null ? null : values.get(0);
    }

    @Override
    public void addCookie(Cookie cookie) {
        calls.add("addCookie");
    }

    @Override
    public boolean containsHeader(String name) {
        return headers.containsKey(name);
    }

    @Override
    public String encodeURL(String url) {
        return url;
    }

    @Override
    public String encodeRedirectURL(String url) {
        return url;
    }

    @Override
    public void sendError(int sc, String msg) {
        calls.add("sendError " + sc + " " + msg);
        status = sc;
        committed = true;
    }

    @Override
    public void sendError(int sc) {
        calls.add("sendError " + sc);
        status = sc;
        committed = true;
    }

    @Override
    public void sendRedirect(String location) {
        calls.add("sendRedirect " + location);
        status = 302;
        committed = true;
    }

    @Override
    public void setDateHeader(String name, long date) {
        setHeader(name, Long.toString(date));
    }

    @Override
    public void addDateHeader(String name, long date) {
        addHeader(name, Long.toString(date));
    }

    @Override
    public void setHeader(String name, String value) {
        headers.put(name, new ArrayList<>(List.of(value)));
    }

    @Override
    public void addHeader(String name, String value) {
        headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }

    @Override
    public void setIntHeader(String name, int value) {
        setHeader(name, Integer.toString(value));
    }

    @Override
    public void addIntHeader(String name, int value) {
        addHeader(name, Integer.toString(value));
    }

    @Override
    public void setStatus(int sc) {
        status = sc;
    }

    @Override
    public int getStatus() {
        return status;
    }

    @Override
    public String getHeader(String name) {
        return header(name);
    }

    @Override
    public Collection<String> getHeaders(String name) {
        return headers.getOrDefault(name, List.of());
    }

    @Override
    public Collection<String> getHeaderNames() {
        return headers.keySet();
    }

    @Override
    public String getCharacterEncoding() {
        return characterEncoding;
    }

    @Override
    public String getContentType() {
        return contentType;
    }

    @Override
    public ServletOutputStream getOutputStream() {
        calls.add("getOutputStream");
        if (writer != null) {
            throw new IllegalStateException("getWriter() has already been called for this response");
        }
        usingStream = true;
        return stream;
    }

    /**
     * As a container's: the writer or the stream, not both. The wrapper takes the real writer when
     * it hands a held writer response over to the servlet's own asynchronous processing.
     */
    @Override
    public PrintWriter getWriter() {
        calls.add("getWriter");
        if (usingStream) {
            throw new IllegalStateException("getOutputStream() has already been called for this response");
        }
        if (writer == null) {
            writer = new PrintWriter(new java.io.OutputStreamWriter(body, java.nio.charset.Charset.forName(
                    characterEncoding)), true);
        }
        return writer;
    }

    @Override
    public void setCharacterEncoding(String charset) {
        calls.add("setCharacterEncoding " + charset);
        if (charset != null) {
            characterEncoding = charset;
        }
    }

    @Override
    public void setContentLength(int len) {
        setContentLengthLong(len);
    }

    @Override
    public void setContentLengthLong(long len) {
        calls.add("setContentLengthLong " + len);
        contentLength = len;
    }

    @Override
    public void setContentType(String type) {
        contentType = type;
        int charset = type == null ? -1 : type.indexOf("charset=");
        if (charset >= 0) {
            characterEncoding = type.substring(charset + "charset=".length());
        }
    }

    @Override
    public void setBufferSize(int size) {
        calls.add("setBufferSize " + size);
    }

    @Override
    public int getBufferSize() {
        return 8192;
    }

    @Override
    public void flushBuffer() {
        calls.add("flushBuffer");
        committed = true;
    }

    @Override
    public void resetBuffer() {
        calls.add("resetBuffer");
        body.reset();
    }

    @Override
    public boolean isCommitted() {
        return committed;
    }

    @Override
    public void reset() {
        calls.add("reset");
        if (committed) {
            throw new IllegalStateException("committed");
        }
        headers.clear();
        status = 200;
        body.reset();
        usingStream = false;
        writer = null;
    }

    @Override
    public void setLocale(Locale loc) {
        calls.add("setLocale " + loc);
    }

    @Override
    public Locale getLocale() {
        return Locale.ROOT;
    }
}
