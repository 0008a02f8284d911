package io.github.afterresponse.testkit;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A plain TCP connection to {@code 127.0.0.1} for speaking HTTP/1.1 byte by byte: the test writes the request
 * exactly as it should appear on the wire, reads exactly one response at a time, and can then observe whether
 * the server closes the connection. All waits are socket read timeouts; nothing sleeps.
 *
 * <pre>{@code
 * try (RawConnection c = RawConnection.open(server.port())) {
 *     c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
 *     RawResponse r = c.readResponse(Duration.ofSeconds(5));
 *     assertThat(c.awaitServerClose(Duration.ofMillis(200))).isFalse(); // kept alive
 * }
 * }</pre>
 *
 * <p>Not thread-safe; use it from the test thread.
 */
public final class RawConnection implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int MAX_SHOWN_BYTES = 4_096;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[16 * 1024];
    private int position;
    private int limit;
    private boolean endOfStream;
    /** The bytes of the response being read, for diagnostics and raw views. */
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code 127.0.0.1:port} (TCP_NODELAY on). */
    public static RawConnection open(int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port),
                    CONNECT_TIMEOUT_MS);
            return new RawConnection(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Writes the text as ISO-8859-1 bytes exactly as given (the test supplies every CRLF) and flushes.
     *
     * @throws IllegalArgumentException if the text has characters outside ISO-8859-1
     */
    public RawConnection send(String text) throws IOException {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0xFF) {
                throw new IllegalArgumentException("not ISO-8859-1 at index " + i + ": " + text);
            }
        }
        return sendBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Writes the bytes exactly as given and flushes. */
    public RawConnection sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Half-closes: sends FIN to the server while still being able to read. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Reads exactly one response to a request that was not HEAD. See {@link #readResponse(Duration, boolean)}. */
    public RawResponse readResponse(Duration timeout) throws IOException {
        return readResponse(timeout, false);
    }

    /**
     * Reads exactly one response and leaves the connection open. The body is delimited by the chunked transfer
     * coding, else by Content-Length, else by the server closing the connection; responses to HEAD and 1xx, 204
     * and 304 responses have no body. A 1xx response is returned as it is; call again for the final response.
     *
     * @param timeout     the time allowed for the whole response
     * @param headRequest whether the request was HEAD (the response then has no body)
     * @throws SocketTimeoutException if the response is not complete in time (the message shows what arrived)
     * @throws EOFException           if the server closed before the response was complete
     * @throws IOException            on a malformed response or I/O failure
     */
    public RawResponse readResponse(Duration timeout, boolean headRequest) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        received.reset();

        String statusLine = readLine(deadline);
        String[] status = statusLine.split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/") || !status[1].matches("\\d{3}")) {
            throw new IOException("malformed status line: " + show(received.toByteArray()));
        }
        int statusCode = Integer.parseInt(status[1]);
        List<HeaderField> headers = readFields(deadline);
        String rawHead = received.toString(StandardCharsets.ISO_8859_1);
        int headLength = received.size();

        boolean noBody = headRequest || statusCode / 100 == 1 || statusCode == 204 || statusCode == 304;
        byte[] body;
        boolean chunked = false;
        List<HeaderField> trailers = List.of();
        String transferEncoding = lastValue(headers, "Transfer-Encoding");
        String contentLength = lastValue(headers, "Content-Length");
        if (noBody) {
            body = new byte[0];
        } else if (transferEncoding != null
                && transferEncoding.toLowerCase(Locale.ROOT).trim().endsWith("chunked")) {
            chunked = true;
            ByteArrayOutputStream decoded = new ByteArrayOutputStream();
            trailers = readChunks(decoded, deadline);
            body = decoded.toByteArray();
        } else if (contentLength != null) {
            long length;
            try {
                length = Long.parseLong(contentLength.trim());
            } catch (NumberFormatException e) {
                throw new IOException("bad Content-Length: " + show(received.toByteArray()), e);
            }
            body = readExactly(Math.toIntExact(length), deadline);
        } else {
            body = readUntilClose(deadline);
        }
        byte[] all = received.toByteArray();
        byte[] rawBody = Arrays.copyOfRange(all, headLength, all.length);
        return new RawResponse(status[0], statusCode, status.length > 2 ? status[2] : "", headers, rawHead, body,
                rawBody, chunked, trailers);
    }

    /**
     * Waits for the server to close the connection.
     *
     * @return true when the server closed it (FIN; a reset counts as closed too), false if it was still open when
     *         the timeout expired
     * @throws AssertionError if the server sent more bytes instead (they are shown in the message)
     */
    public boolean awaitServerClose(Duration timeout) throws IOException {
        if (position < limit) {
            throw unexpectedBytes(Arrays.copyOfRange(buffer, position, limit));
        }
        if (endOfStream) {
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            int n = fill(deadline);
            if (n < 0) {
                return true;
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            if (socket.isClosed()) {
                throw e;
            }
            return true; // "Connection reset": the server closed abortively
        }
        // Collect what else is already there, to show it.
        ByteArrayOutputStream extra = new ByteArrayOutputStream();
        extra.write(buffer, position, limit - position);
        position = limit;
        while (in.available() > 0 && extra.size() < MAX_SHOWN_BYTES) {
            int n = in.read(buffer, 0, Math.min(buffer.length, in.available()));
            if (n < 0) {
                break;
            }
            extra.write(buffer, 0, n);
        }
        throw unexpectedBytes(extra.toByteArray());
    }

    /** Whether the server's end of the stream has been seen. */
    public boolean serverClosed() {
        return endOfStream && position == limit;
    }

    /** The local (client) port of this connection. */
    public int localPort() {
        return socket.getLocalPort();
    }

    /** Closes normally (FIN). */
    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Closes abortively: SO_LINGER 0, so the server sees a reset (RST) instead of FIN. */
    public void abort() throws IOException {
        if (!socket.isClosed()) {
            socket.setSoLinger(true, 0);
            socket.close();
        }
    }

    // ---- reading ----

    /** Reads more bytes into the buffer (which must be consumed); returns the count or -1 at end of stream. */
    private int fill(long deadline) throws IOException {
        if (endOfStream) {
            return -1;
        }
        long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
        if (remainingMs <= 0) {
            throw new SocketTimeoutException("timed out");
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, remainingMs));
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) {
            endOfStream = true;
            return -1;
        }
        position = 0;
        limit = n;
        return n;
    }

    private int readByte(long deadline) throws IOException {
        if (position == limit) {
            int n;
            try {
                n = fill(deadline);
            } catch (SocketTimeoutException e) {
                throw new SocketTimeoutException("response incomplete at timeout; received so far: "
                        + show(received.toByteArray()));
            }
            if (n < 0) {
                return -1;
            }
        }
        int b = buffer[position++] & 0xFF;
        received.write(b);
        return b;
    }

    private int requireByte(long deadline) throws IOException {
        int b = readByte(deadline);
        if (b < 0) {
            throw new EOFException("server closed the connection before the response was complete; received: "
                    + show(received.toByteArray()));
        }
        return b;
    }

    /** Reads a line ending in LF; returns it without CRLF/LF. */
    private String readLine(long deadline) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = requireByte(deadline);
            if (b == '\n') {
                int len = line.length();
                if (len > 0 && line.charAt(len - 1) == '\r') {
                    line.setLength(len - 1);
                }
                return line.toString();
            }
            line.append((char) b);
        }
    }

    private List<HeaderField> readFields(long deadline) throws IOException {
        List<HeaderField> fields = new ArrayList<>();
        for (String line = readLine(deadline); !line.isEmpty(); line = readLine(deadline)) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line '" + line + "' in: " + show(received.toByteArray()));
            }
            fields.add(new HeaderField(line.substring(0, colon), line.substring(colon + 1).strip()));
        }
        return fields;
    }

    private byte[] readExactly(int length, long deadline) throws IOException {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) requireByte(deadline);
        }
        return bytes;
    }

    private byte[] readUntilClose(long deadline) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int b = readByte(deadline); b >= 0; b = readByte(deadline)) {
            body.write(b);
        }
        return body.toByteArray();
    }

    private List<HeaderField> readChunks(ByteArrayOutputStream decoded, long deadline) throws IOException {
        while (true) {
            String sizeLine = readLine(deadline);
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).strip();
            int size;
            try {
                size = Integer.parseInt(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size line '" + sizeLine + "' in: " + show(received.toByteArray()), e);
            }
            if (size == 0) {
                return readFields(deadline);
            }
            decoded.write(readExactly(size, deadline));
            if (!readLine(deadline).isEmpty()) {
                throw new IOException("chunk data not followed by CRLF in: " + show(received.toByteArray()));
            }
        }
    }

    private static String lastValue(List<HeaderField> headers, String name) {
        String value = null;
        for (HeaderField h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                value = h.value();
            }
        }
        return value;
    }

    private static AssertionError unexpectedBytes(byte[] bytes) {
        return new AssertionError("expected the server to close the connection, but it sent "
                + bytes.length + " more byte(s): " + show(bytes));
    }

    /** Shows bytes readably: printable ASCII as is, CR/LF/TAB escaped, the rest as \xHH. */
    static String show(byte[] bytes) {
        StringBuilder s = new StringBuilder("\"");
        int shown = Math.min(bytes.length, MAX_SHOWN_BYTES);
        for (int i = 0; i < shown; i++) {
            int b = bytes[i] & 0xFF;
            switch (b) {
                case '\r' -> s.append("\\r");
                case '\n' -> s.append("\\n");
                case '\t' -> s.append("\\t");
                case '"', '\\' -> s.append('\\').append((char) b);
                default -> {
                    if (b >= 0x20 && b < 0x7F) {
                        s.append((char) b);
                    } else {
                        s.append(String.format("\\x%02X", b));
                    }
                }
            }
        }
        s.append('"');
        if (shown < bytes.length) {
            s.append("... (").append(bytes.length - shown).append(" more)");
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return "RawConnection[" + socket.getLocalPort() + " -> " + socket.getPort() + "]";
    }
}
