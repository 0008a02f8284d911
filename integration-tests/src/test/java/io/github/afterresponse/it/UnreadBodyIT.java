package io.github.afterresponse.it;

import static io.github.afterresponse.it.Deployment.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import io.github.afterresponse.testkit.RunningServer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A servlet that registers background work and leaves a large request body unread: the filter
 * sends its response whole, with Content-Length and {@code Connection: close}, and the container
 * then closes a connection whose input may still hold the rest of the body. A TCP socket closed
 * with unread input sends RST instead of FIN, and the kernel drops whatever of the response it has
 * not delivered yet; a client that has not read the whole response by then gets it cut short. So
 * the filter reads and drops what is left of a body of up to 2 MiB before it sends such a
 * response, and these tests require every Content-Length byte to arrive, for a client that reads
 * while it uploads and for one that reads only after its upload has ended, on both executors.
 *
 * <p>What the containers do with unread input when they end an exchange, without the drain:
 * <ul>
 *   <li>Jetty 12.1 reads what is available without waiting ({@code HttpStream.consumeAvailable},
 *       at most {@code maxUnconsumedRequestContentReads}, 16) and, short of the end, makes the
 *       connection non-persistent; the next read of the closed parser fails ("Parser is
 *       terminated", {@code HttpConnection.parseRequestBuffer}) and the endpoint is closed: RST.
 *       Without the filter it does the same.</li>
 *   <li>Tomcat 11 swallows up to {@code maxSwallowSize} (2 MiB) when the request ends on its
 *       thread ({@code Http11Processor.endRequest}), and closes (RST) past that. An exchange that
 *       ends asynchronously without keep-alive is closed without swallowing
 *       ({@code Http11Processor.dispatchEndRequest}): the default executor's path here.</li>
 *   <li>Undertow 2.3 drains the body when an asynchronous exchange completes
 *       ({@code AsyncContextImpl} calls {@code closeAndDrainRequest}); when the exchange ends on
 *       the request thread and is not persistent it closes the request channel instead
 *       ({@code HttpServerConnection.terminateRequestChannel}): RST. It refuses a body over
 *       {@code MAX_ENTITY_SIZE} (2 MiB by default) with 413 before any servlet runs.</li>
 * </ul>
 * Past 2 MiB the filter does not drain (it would make every such client wait for its whole
 * upload), and the containers reset as they do without it. A failure names the container,
 * executor, client, body and response sizes, and what the same case gives without the filter and
 * with the filter but no task.
 */
class UnreadBodyIT {

    private static final int KiB = 1024;
    private static final int MiB = 1024 * KiB;

    /** Larger than what a client socket holds unread (about 125 KiB on Linux), under the 1 MiB buffer limit. */
    private static final int LARGE_RESPONSE = 900 * KiB;
    /** Fits in the client's socket buffer: it survives a reset that comes after it was delivered. */
    private static final int SMALL_RESPONSE = 64 * KiB;

    /** How the client reads the response. */
    private enum Client {
        /** Reads the response while its body is still being sent, as curl does. */
        READING_WHILE_UPLOADING("client reading while it uploads", 5, 0, List.of(SMALL_RESPONSE, LARGE_RESPONSE)),
        /**
         * Reads only once its upload has ended, whole or broken off by the server. Its send buffer
         * is held to 64 KiB, as a network link holds the bytes in flight; loopback buffers of
         * several MiB would take the whole upload and hide what the server does with it.
         */
        READING_AFTER_UPLOAD("client reading after its upload ended", 2, 64 * KiB, List.of(LARGE_RESPONSE));

        final String description;
        /**
         * Repetitions per case: reading while uploading, the outcome depends on timing; reading
         * after the upload, it did not vary in 20 runs of each case when this test was written.
         */
        final int runs;
        final int sendBuffer;
        final List<Integer> responseSizes;

        Client(String description, int runs, int sendBuffer, List<Integer> responseSizes) {
            this.description = description;
            this.runs = runs;
            this.sendBuffer = sendBuffer;
            this.responseSizes = responseSizes;
        }
    }

    @EveryContainer
    void clientReadingWhileUploadingGetsTheWholeResponse(Container container) throws Exception {
        assertWholeResponses(container, "container", Client.READING_WHILE_UPLOADING);
    }

    @EveryContainer
    void clientReadingAfterItsUploadGetsTheWholeResponse(Container container) throws Exception {
        assertWholeResponses(container, "container", Client.READING_AFTER_UPLOAD);
    }

    @EveryContainer
    void clientReadingWhileUploadingGetsTheWholeResponseOnTheDedicatedExecutor(Container container)
            throws Exception {
        assertWholeResponses(container, "dedicated", Client.READING_WHILE_UPLOADING);
    }

    @EveryContainer
    void clientReadingAfterItsUploadGetsTheWholeResponseOnTheDedicatedExecutor(Container container)
            throws Exception {
        assertWholeResponses(container, "dedicated", Client.READING_AFTER_UPLOAD);
    }

    /** The unread bodies: up to the filter's drain limit, which is Tomcat's swallow limit and Undertow's entity limit. */
    private static List<Integer> unreadBodies(Container container) {
        return List.of(MiB, 2 * MiB);
    }

    private static void assertWholeResponses(Container container, String executor, Client client)
            throws Exception {
        try (Deployment app = Deployment.on(container, Map.of("executor", executor))
                .servlet("/with-task", (request, response) -> {
                    respond(request, response);
                    AfterResponse.of(request).then(task -> { });
                })
                .servlet("/without-task", UnreadBodyIT::respond)
                .start()) {
            RunningServer bare = app.startWithoutFilter();
            List<Run> withTask = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            for (int unread : unreadBodies(container)) {
                for (int responseSize : client.responseSizes) {
                    List<Run> runs = repeat(client, app.port(), "/with-task", unread, responseSize);
                    withTask.addAll(runs);
                    long whole = wholeCount(runs);
                    if (whole < runs.size()) {
                        // The same case without the filter, and through the filter without a task
                        // (so without Connection: close): is it the toolkit's doing?
                        long bareWhole = wholeCount(repeat(client, bare.port(), "/without-task", unread, responseSize));
                        long noTaskWhole = wholeCount(repeat(client, app.port(), "/without-task", unread, responseSize));
                        failures.add(String.format(Locale.ROOT,
                                "%s unread, %s response: %d of %d cut short (%s); same case without the filter: "
                                        + "%d of %d whole, with the filter but no task: %d of %d whole",
                                size(unread), size(responseSize), runs.size() - whole, runs.size(),
                                runs.stream().filter(r -> !r.whole()).findFirst().orElseThrow().describe(),
                                bareWhole, runs.size(), noTaskWhole, runs.size()));
                    }
                }
            }

            String where = container + ", " + executor + " executor, " + client.description;
            assertThat(withTask).as("%s: the servlet registered a task, so the filter closes the connection", where)
                    .filteredOn(run -> run.status() == 200)
                    .isNotEmpty()
                    .allSatisfy(run -> assertThat(run.connection()).isEqualToIgnoringCase("close"));
            assertThat(failures).withFailMessage("%s: the response was cut short with a request body left unread:%n  %s",
                    where, String.join(System.lineSeparator() + "  ", failures)).isEmpty();
        }
    }

    /**
     * Writes {@code size} bytes of {@link ResponseShapesIT#pattern}, declaring their length so that
     * the container alone sends Content-Length too, and leaves the request body unread.
     */
    private static void respond(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int size = Integer.parseInt(request.getParameter("size")); // from the query: the body is not a form
        response.setContentType("application/octet-stream");
        response.setContentLength(size);
        response.getOutputStream().write(ResponseShapesIT.pattern(size));
    }

    private static List<Run> repeat(Client client, int port, String path, int unread, int responseSize)
            throws Exception {
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < client.runs; i++) {
            runs.add(exchange(client, port, path + "?size=" + responseSize, unread, responseSize));
        }
        return runs;
    }

    private static long wholeCount(List<Run> runs) {
        return runs.stream().filter(Run::whole).count();
    }

    private static String size(long bytes) {
        return bytes >= MiB ? bytes / MiB + " MiB" : bytes / KiB + " KiB";
    }

    // ---- one exchange ----

    /** What the client got. */
    private record Run(int status, String connection, long length, long received, String end, String upload) {

        /** Status 200 and every Content-Length byte, the right ones. */
        boolean whole() {
            return status == 200 && end == null && received == length;
        }

        String describe() {
            if (status != 200) {
                return status < 0 ? "no response head: " + end : "status " + status;
            }
            return String.format(Locale.ROOT, "e.g. %s of %s, then %s; the upload: %s", size(received), size(length),
                    end, upload);
        }
    }

    /**
     * POSTs a body of {@code bodyBytes} zeros on a raw socket from a second thread (a write the
     * server never lets through blocks until the socket closes, and then fails, which is ignored),
     * reads the response on this one and compares it with the pattern of {@code expected} bytes.
     */
    private static Run exchange(Client client, int port, String path, long bodyBytes, int expected)
            throws Exception {
        Upload upload;
        Run run;
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            if (client.sendBuffer > 0) {
                socket.setSendBufferSize(client.sendBuffer);
            }
            socket.connect(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port),
                    (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + bodyBytes + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            upload = Upload.start(out, bodyBytes);
            if (client == Client.READING_AFTER_UPLOAD) {
                // Bounded: should the server neither read the body nor close, the response is read anyway.
                upload.ended.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            run = read(new BufferedInputStream(socket.getInputStream(), 64 * KiB), expected, upload);
        }
        upload.thread.join(TIMEOUT.toMillis()); // the close above ends a blocked write
        return run;
    }

    /** The request body, written by its own thread so that a server that does not read it cannot block the test. */
    private static final class Upload implements Runnable {
        final CountDownLatch ended = new CountDownLatch(1);
        final Thread thread = new Thread(this, "unread-body-upload");
        private final OutputStream out;
        private final long bytes;
        private volatile long sent;
        private volatile String outcome = "still being sent";

        private Upload(OutputStream out, long bytes) {
            this.out = out;
            this.bytes = bytes;
        }

        static Upload start(OutputStream out, long bytes) {
            Upload upload = new Upload(out, bytes);
            upload.thread.setDaemon(true);
            upload.thread.start();
            return upload;
        }

        @Override
        public void run() {
            byte[] chunk = new byte[64 * KiB];
            try {
                while (sent < bytes) {
                    int n = (int) Math.min(chunk.length, bytes - sent);
                    out.write(chunk, 0, n);
                    sent += n;
                }
                out.flush();
                outcome = "sent whole";
            } catch (IOException e) {
                outcome = "failed after " + size(sent) + " (" + e.getMessage() + ")";
            } finally {
                ended.countDown();
            }
        }

        @Override
        public String toString() {
            return outcome;
        }
    }

    private static Run read(InputStream in, int expected, Upload upload) {
        int status = -1;
        String connection = "";
        long length = -1;
        long received = 0;
        try {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int last4 = 0;
            while (last4 != 0x0D0A0D0A) {
                int b = in.read();
                if (b < 0) {
                    return new Run(-1, "", -1, 0, "the connection closed in the head", upload.toString());
                }
                head.write(b);
                last4 = (last4 << 8) | b;
            }
            String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            status = Integer.parseInt(lines[0].split(" ")[1]);
            for (String line : lines) {
                int colon = line.indexOf(':');
                String name = colon > 0 ? line.substring(0, colon).trim() : "";
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Long.parseLong(line.substring(colon + 1).trim());
                } else if (name.equalsIgnoreCase("Connection")) {
                    connection = line.substring(colon + 1).trim();
                }
            }
            if (status != 200 || length != expected) {
                return new Run(status, connection, length, 0, "Content-Length " + length, upload.toString());
            }
            byte[] pattern = ResponseShapesIT.pattern(expected);
            byte[] buffer = new byte[64 * KiB];
            while (received < length) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - received));
                if (n < 0) {
                    // After a reset the upload thread saw first, the reader sees a plain end of stream.
                    return new Run(status, connection, length, received, "the connection closed", upload.toString());
                }
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != pattern[(int) received + i]) {
                        return new Run(status, connection, length, received + i, "a wrong byte", upload.toString());
                    }
                }
                received += n;
            }
            return new Run(status, connection, length, received, null, upload.toString());
        } catch (SocketTimeoutException e) {
            return new Run(status, connection, length, received, "nothing for " + TIMEOUT.toSeconds() + " s",
                    upload.toString());
        } catch (SocketException e) {
            return new Run(status, connection, length, received, "\"" + e.getMessage() + "\"", upload.toString());
        } catch (IOException | RuntimeException e) {
            return new Run(status, connection, length, received, e.toString(), upload.toString());
        }
    }
}
