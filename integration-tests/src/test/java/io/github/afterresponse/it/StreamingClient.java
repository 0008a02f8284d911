package io.github.afterresponse.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An HTTP/1.1 GET on a raw socket whose chunked response is read piece by piece while the server is
 * still writing it, so that a test can see a streamed line arrive, then leave the way a real client
 * does: {@link #close()} sends FIN, {@link #abort()} sends RST.
 *
 * <p>{@code RawConnection} reads whole responses only; this reads the body as it comes. Every read
 * is bounded by a socket timeout; nothing sleeps. Not thread-safe; use it from the test thread.
 */
final class StreamingClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final int statusCode;
    private final List<String[]> headers = new ArrayList<>();
    private final boolean chunked;
    /** Bytes left in the current chunk; 0 between chunks. */
    private int leftInChunk;
    private boolean firstChunk = true;
    private boolean ended;
    /** Every byte received so far (head, chunk framing and body), for failure messages. */
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    private StreamingClient(Socket socket, Duration timeout) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        setTimeout(timeout);
        String statusLine = readLine();
        String[] status = statusLine.split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
            throw new IOException("malformed status line: " + statusLine);
        }
        statusCode = Integer.parseInt(status[1]);
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            headers.add(new String[] {line.substring(0, colon), line.substring(colon + 1).strip()});
        }
        chunked = header("Transfer-Encoding").map(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))
                .orElse(false);
    }

    /** Connects to {@code 127.0.0.1:port}, sends a GET for {@code path} and reads the head of the response. */
    static StreamingClient get(int port, String path) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port),
                    (int) Deployment.TIMEOUT.toMillis());
            socket.getOutputStream().write(Deployment.request("GET", path).getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new StreamingClient(socket, Deployment.TIMEOUT);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    int statusCode() {
        return statusCode;
    }

    /** The first value of a header, name matched case-insensitively. */
    Optional<String> header(String name) {
        return headers.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).findFirst();
    }

    boolean chunked() {
        return chunked;
    }

    /** The next line of the (de-chunked) body, without its LF, waiting for it at most {@code timeout}. */
    String readBodyLine(Duration timeout) throws IOException {
        setTimeout(timeout);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = bodyByte(); b != '\n'; b = bodyByte()) {
            if (b < 0) {
                throw new EOFException("the response ended in the middle of a line: "
                        + line.toString(StandardCharsets.UTF_8));
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** The next {@code count} bytes of the (de-chunked) body as UTF-8, waiting for them at most {@code timeout}. */
    String readBody(int count, Duration timeout) throws IOException {
        setTimeout(timeout);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            int b = bodyByte();
            if (b < 0) {
                throw new EOFException("the response ended after " + bytes.size() + " of " + count + " bytes");
            }
            bytes.write(b);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** The rest of the body, up to the last chunk, waiting for it at most {@code timeout} per read. */
    String readToEnd(Duration timeout) throws IOException {
        setTimeout(timeout);
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        for (int b = bodyByte(); b >= 0; b = bodyByte()) {
            rest.write(b);
        }
        return rest.toString(StandardCharsets.UTF_8);
    }

    /**
     * Reads and drops whatever has already arrived, so that closing sends a clean FIN: a socket closed
     * with unread bytes in its receive buffer sends RST instead.
     *
     * @return how many bytes were dropped
     */
    int drainAvailable() throws IOException {
        int drained = 0;
        byte[] buffer = new byte[8192];
        while (in.available() > 0) {
            int n = in.read(buffer, 0, Math.min(buffer.length, in.available()));
            if (n < 0) {
                break;
            }
            drained += n;
        }
        return drained;
    }

    /** Closes normally: the server sees FIN. */
    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Closes abortively (SO_LINGER 0): the server sees RST. */
    void abort() throws IOException {
        if (!socket.isClosed()) {
            socket.setSoLinger(true, 0);
            socket.close();
        }
    }

    private void setTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout(Math.toIntExact(Math.max(1, timeout.toMillis())));
    }

    /** One byte of the de-chunked body, or -1 after the last chunk (or at the close, if not chunked). */
    private int bodyByte() throws IOException {
        if (ended) {
            return -1;
        }
        if (!chunked) {
            int b = rawByte();
            ended = b < 0;
            return b;
        }
        if (leftInChunk == 0) {
            if (!firstChunk && !readLine().isEmpty()) {
                throw new IOException("chunk data not followed by CRLF");
            }
            firstChunk = false;
            String sizeLine = readLine();
            int semicolon = sizeLine.indexOf(';');
            leftInChunk = Integer.parseInt((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).strip(), 16);
            if (leftInChunk == 0) {
                while (!readLine().isEmpty()) {
                    // trailers: ignored
                }
                ended = true;
                return -1;
            }
        }
        leftInChunk--;
        return requireByte();
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = requireByte(); b != '\n'; b = requireByte()) {
            line.append((char) b);
        }
        int length = line.length();
        return length > 0 && line.charAt(length - 1) == '\r' ? line.substring(0, length - 1) : line.toString();
    }

    private int requireByte() throws IOException {
        int b = rawByte();
        if (b < 0) {
            throw new EOFException("the server closed the connection in the middle of the response");
        }
        return b;
    }

    private int rawByte() throws IOException {
        try {
            int b = in.read();
            if (b >= 0 && received.size() < 4096) {
                received.write(b);
            }
            return b;
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("nothing more arrived within " + socket.getSoTimeout() + " ms");
        }
    }

    /** The bytes received so far (up to 4 KiB), as received, CR and LF escaped: for failure messages. */
    String received() {
        return received.toString(StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
    }

    @Override
    public String toString() {
        return "StreamingClient[" + socket.getLocalPort() + " -> " + socket.getPort() + "]";
    }
}
