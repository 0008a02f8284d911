package io.github.afterresponse.bench.jmh;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletResponse;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The container's response, in memory: it stands for what a servlet container hands the filter.
 * Headers go into a small map; the body goes to a {@link ServletOutputStream} that counts the bytes
 * and the write calls, and then either drops them ({@code discard}) or first copies them into a
 * buffer of {@value #CONTAINER_BUFFER} bytes that is "sent" (emptied) whenever it is full
 * ({@code copy}). A real container copies the body at least once, into its own buffer or the
 * socket, on the direct path and behind the filter alike: {@code discard} keeps that common cost
 * out of both, so the difference is the filter's alone (and the direct path costs almost nothing);
 * {@code copy} puts a container's minimum back in (Jetty's output aggregation buffer is 32 KiB by
 * default), so the ratio is closer to what a server sees.
 *
 * <p>Like a container's, it is reused for request after request: {@link #recycle()} puts it back
 * as new, and the writer made for a charset is kept (Jetty and Tomcat keep theirs too), so that a
 * measured request allocates only what the servlet and the filter allocate.
 */
public final class StubResponse implements HttpServletResponse {

    /** Bytes of the {@code copy} container's own output buffer. */
    public static final int CONTAINER_BUFFER = 32 * 1024;

    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private final CountingStream stream;
    private final Map<Charset, PrintWriter> writers = new LinkedHashMap<>();
    private int status;
    private String contentType;
    private String characterEncoding;
    private long contentLength;
    private boolean committed;
    private boolean streamUsed;
    private PrintWriter writer;

    /**
     * @param copy whether the body is copied into the container's buffer ({@code copy}) or only
     *     counted ({@code discard})
     */
    public StubResponse(boolean copy) {
        stream = new CountingStream(copy ? new byte[CONTAINER_BUFFER] : null);
        recycle();
    }

    /** Ready for the next request: no headers, status 200, nothing written. */
    public void recycle() {
        headers.clear();
        stream.bytes = 0;
        stream.writes = 0;
        status = SC_OK;
        contentType = null;
        characterEncoding = null;
        contentLength = -1;
        committed = false;
        streamUsed = false;
        writer = null;
    }

    /** What the container does when the request is over: flush the writer, commit. */
    public void complete() {
        if (writer != null) {
            writer.flush();
        }
        committed = true;
    }

    /** Body bytes that reached the container. */
    public long bytesWritten() {
        return stream.bytes;
    }

    /** Write calls that reached the container's stream. */
    public long writeCalls() {
        return stream.writes;
    }

    /** The Content-Length the response declared, or -1. */
    public long declaredContentLength() {
        return contentLength;
    }

    // ---- body ----------------------------------------------------------------------------------

    @Override
    public ServletOutputStream getOutputStream() {
        if (writer != null) {
            throw new IllegalStateException("getWriter() has already been called");
        }
        streamUsed = true;
        return stream;
    }

    @Override
    public PrintWriter getWriter() {
        if (streamUsed) {
            throw new IllegalStateException("getOutputStream() has already been called");
        }
        if (writer == null) {
            Charset charset = Charset.forName(getCharacterEncoding());
            writer = writers.computeIfAbsent(charset, c -> new PrintWriter(new OutputStreamWriter(stream, c), false));
        }
        return writer;
    }

    @Override
    public void flushBuffer() {
        if (writer != null) {
            writer.flush();
        }
        committed = true;
    }

    @Override
    public boolean isCommitted() {
        return committed;
    }

    @Override
    public void setBufferSize(int size) {
        // The stub holds nothing back.
    }

    @Override
    public int getBufferSize() {
        return 0;
    }

    @Override
    public void resetBuffer() {
        checkNotCommitted();
    }

    @Override
    public void reset() {
        checkNotCommitted();
        headers.clear();
        status = SC_OK;
        contentType = null;
        contentLength = -1;
    }

    private void checkNotCommitted() {
        if (committed) {
            throw new IllegalStateException("committed");
        }
    }

    // ---- headers -------------------------------------------------------------------------------

    @Override
    public String getCharacterEncoding() {
        return characterEncoding != null ? characterEncoding : StandardCharsets.ISO_8859_1.name();
    }

    @Override
    public void setCharacterEncoding(String charset) {
        if (writer == null && !committed) {
            characterEncoding = charset;
        }
    }

    @Override
    public String getContentType() {
        return contentType;
    }

    @Override
    public void setContentType(String type) {
        if (committed) {
            return;
        }
        contentType = type;
        if (type != null) {
            int at = type.toLowerCase(Locale.ROOT).indexOf("charset=");
            if (at >= 0) {
                setCharacterEncoding(type.substring(at + "charset=".length()).trim());
            }
        }
    }

    @Override
    public void setContentLength(int length) {
        setContentLengthLong(length);
    }

    @Override
    public void setContentLengthLong(long length) {
        if (!committed) {
            contentLength = length;
        }
    }

    @Override
    public void setLocale(Locale locale) {
        // Not used by the benchmark.
    }

    @Override
    public Locale getLocale() {
        return Locale.ROOT;
    }

    @Override
    public void addCookie(Cookie cookie) {
        addHeader("Set-Cookie", cookie.getName() + "=" + cookie.getValue());
    }

    @Override
    public boolean containsHeader(String name) {
        return getHeader(name) != null;
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
    public void sendError(int code, String message) {
        checkNotCommitted();
        status = code;
        committed = true;
    }

    @Override
    public void sendError(int code) {
        sendError(code, null);
    }

    @Override
    public void sendRedirect(String location) {
        checkNotCommitted();
        status = SC_FOUND;
        setHeader("Location", location);
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
        if (committed) {
            return;
        }
        if ("Content-Length".equalsIgnoreCase(name)) {
            contentLength = value == null ? -1 : Long.parseLong(value);
            return;
        }
        if ("Content-Type".equalsIgnoreCase(name)) {
            setContentType(value);
            return;
        }
        String key = name.toLowerCase(Locale.ROOT);
        if (value == null) {
            headers.remove(key);
        } else {
            List<String> values = new ArrayList<>(1);
            values.add(value);
            headers.put(key, values);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (committed || value == null) {
            return;
        }
        headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>(1)).add(value);
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
    public void setStatus(int code) {
        if (!committed) {
            status = code;
        }
    }

    @Override
    public int getStatus() {
        return status;
    }

    @Override
    public String getHeader(String name) {
        if ("Content-Length".equalsIgnoreCase(name)) {
            return contentLength < 0 ? null : Long.toString(contentLength);
        }
        if ("Content-Type".equalsIgnoreCase(name)) {
            return contentType;
        }
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public Collection<String> getHeaders(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null ? List.of() : List.copyOf(values);
    }

    @Override
    public Collection<String> getHeaderNames() {
        return List.copyOf(headers.keySet());
    }

    @Override
    public Supplier<Map<String, String>> getTrailerFields() {
        return null; // no trailers: the filter then sends a Content-Length
    }

    /**
     * Counts the body, copies it into the container's buffer if there is one, and drops it; writing
     * or closing it commits the response, as a container's does.
     */
    private final class CountingStream extends ServletOutputStream {
        private final byte[] buffer;
        private int position;
        long bytes;
        long writes;

        CountingStream(byte[] buffer) {
            this.buffer = buffer;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            committed = true;
            bytes += len;
            writes++;
            if (buffer != null) {
                for (int from = off, left = len; left > 0; ) {
                    int n = Math.min(left, buffer.length - position);
                    System.arraycopy(b, from, buffer, position, n);
                    from += n;
                    left -= n;
                    position += n;
                    if (position == buffer.length) {
                        position = 0; // "sent": a real container writes it to the socket here
                    }
                }
            }
        }

        @Override
        public void flush() {
            committed = true;
        }

        @Override
        public void close() {
            committed = true;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            throw new IllegalStateException("blocking I/O only");
        }
    }
}
