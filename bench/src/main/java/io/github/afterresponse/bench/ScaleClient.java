package io.github.afterresponse.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The scale test's load client (bench/scale.sh): sends {@code --requests} GET requests to one path
 * over {@code --connections} kept-alive HTTP/1.1 connections, one request at a time on each, and
 * prints how they were answered. Raw sockets, so that it needs nothing but the JDK and opens no
 * more connections than asked (N requests over a few hundred connections, not N connections: the
 * loopback has about 28,000 ephemeral ports). A connection the server closes is opened again.
 *
 * <pre>
 * java -cp after-response-bench.jar io.github.afterresponse.bench.ScaleClient --port=P --requests=N \
 *     [--connections=256] [--path=/work] [--timeout-ms=30000]
 * </pre>
 *
 * <p>Prints one line of {@code name=value} pairs: {@code requests}, {@code ok} (200s),
 * {@code status.<code>} per other status, {@code errors} (I/O failures), {@code reconnects},
 * {@code millis}. Exits 1 unless every request got a 200.
 */
public final class ScaleClient {

    private final String host = "127.0.0.1";
    private final int port;
    private final String path;
    private final int timeoutMillis;
    private final AtomicLong left;
    private final LongAdder ok = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final Map<Integer, LongAdder> otherStatus = new ConcurrentHashMap<>();

    private ScaleClient(int port, String path, long requests, int timeoutMillis) {
        this.port = port;
        this.path = path;
        this.left = new AtomicLong(requests);
        this.timeoutMillis = timeoutMillis;
    }

    /** One connection's loop: takes requests from the common count until none is left. */
    private void connection() {
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUser-Agent: scale-client\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        Connection connection = null;
        try {
            while (left.getAndDecrement() > 0) {
                try {
                    if (connection == null) {
                        connection = open();
                    }
                    connection.out().write(request);
                    connection.out().flush();
                    Response response = Response.read(connection.in());
                    if (response.status() == 200) {
                        ok.increment();
                    } else {
                        otherStatus.computeIfAbsent(response.status(), s -> new LongAdder()).increment();
                    }
                    if (response.close()) {
                        connection.close();
                        connection = null;
                        reconnects.increment();
                    }
                } catch (IOException e) {
                    errors.increment();
                    if (connection != null) {
                        connection.close();
                    }
                    connection = null;
                }
            }
        } finally {
            if (connection != null) {
                connection.close();
            }
        }
    }

    private Connection open() throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(timeoutMillis);
        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
        // Buffered input: reading a response line by line then costs no system call per byte.
        return new Connection(socket, new BufferedInputStream(socket.getInputStream(), 8192), socket.getOutputStream());
    }

    /** One kept-alive connection. */
    private record Connection(Socket socket, InputStream in, OutputStream out) {
        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** A response's status, and whether the server closes the connection after it; the body is read and dropped. */
    private record Response(int status, boolean close) {

        static Response read(InputStream in) throws IOException {
            String statusLine = line(in);
            if (statusLine == null) {
                throw new IOException("connection closed before a response");
            }
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.x status line: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close");
                    default -> {
                        // not needed
                    }
                }
            }
            if (chunked) {
                for (long size = chunkSize(in); size > 0; size = chunkSize(in)) {
                    skip(in, size);
                    line(in);
                }
                for (String trailer = line(in); trailer != null && !trailer.isEmpty(); trailer = line(in)) {
                    // trailers dropped
                }
            } else if (length >= 0) {
                skip(in, length);
            } else {
                close = true; // the body ends with the connection
                in.transferTo(OutputStream.nullOutputStream());
            }
            return new Response(status, close);
        }

        private static long chunkSize(InputStream in) throws IOException {
            String size = line(in);
            if (size == null) {
                throw new IOException("connection closed in a chunked body");
            }
            int semicolon = size.indexOf(';');
            return Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
        }

        private static void skip(InputStream in, long count) throws IOException {
            for (long left = count; left > 0; ) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed in a body");
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
        }

        /** One CRLF-ended line without its end, or null at the end of the stream. */
        private static String line(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder(64);
            for (int c = in.read(); ; c = in.read()) {
                if (c < 0) {
                    return line.length() == 0 ? null : line.toString();
                }
                if (c == '\n') {
                    int end = line.length();
                    if (end > 0 && line.charAt(end - 1) == '\r') {
                        line.setLength(end - 1);
                    }
                    return line.toString();
                }
                line.append((char) c);
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options = new TreeMap<>(Map.of("port", "", "requests", "", "connections", "256",
                "path", "/work", "timeout-ms", "30000"));
        for (String arg : args) {
            int equals = arg.indexOf('=');
            String name = arg.startsWith("--") && equals > 2 ? arg.substring(2, equals) : "";
            if (!options.containsKey(name)) {
                System.err.println("scale client: unknown option '" + arg + "'; the options are --port=P --requests=N "
                        + "[--connections=256] [--path=/work] [--timeout-ms=30000]");
                System.exit(2);
            }
            options.put(name, arg.substring(equals + 1));
        }
        int port = Integer.parseInt(options.get("port"));
        long requests = Long.parseLong(options.get("requests"));
        int connections = (int) Math.max(1, Math.min(Integer.parseInt(options.get("connections")), requests));
        ScaleClient client = new ScaleClient(port, options.get("path"), requests, Integer.parseInt(options.get("timeout-ms")));
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Thread thread = new Thread(client::connection, "scale-client-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        StringBuilder line = new StringBuilder("requests=" + requests + " connections=" + connections + " ok="
                + client.ok.sum() + " errors=" + client.errors.sum() + " reconnects=" + client.reconnects.sum());
        new TreeMap<>(client.otherStatus).forEach((status, count) -> line.append(" status.").append(status)
                .append('=').append(count.sum()));
        line.append(" millis=").append(millis);
        System.out.println(line);
        System.exit(client.ok.sum() == requests ? 0 : 1);
    }
}
