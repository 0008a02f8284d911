package io.github.afterresponse.it;

import static io.github.afterresponse.it.Deployment.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import io.github.afterresponse.testkit.RawConnection;
import io.github.afterresponse.testkit.RawResponse;
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
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Clients that send {@code Expect: 100-continue}, and wait to be told before they send their body
 * (RFC 9110 10.1.1), when the servlet never asks for it. Whether the body comes depends on the
 * container: Tomcat answers 100 before the servlet runs, Jetty and Undertow only when the body is
 * read. So the filter leaves such a response as the bare container would send it: no
 * {@code Connection: close}, and no drain of a body nobody wants (see {@link UnreadBodyIT}).
 */
class ExpectContinueIT {

    private static final int KiB = 1024;
    private static final int MiB = 1024 * KiB;
    private static final int RESPONSE = 900 * KiB;

    /**
     * A client that, like curl, sends its body once it gets "100 Continue". Tomcat answers 100
     * before the servlet runs (continueResponseTiming "immediately", its default), so the body
     * arrives although the servlet never asked for it; Jetty and Undertow send no 100, and the
     * client sends nothing. Either way the response must arrive whole, as from the bare container:
     * with Connection: close and no drain, Tomcat reset the connection and cut it short.
     */
    @EveryContainer
    void aClientThatGot100ContinueAndSentItsBodyGetsTheWholeResponse(Container container) throws Exception {
        try (Deployment app = Deployment.on(container)
                .servlet("/with-task", (request, response) -> {
                    respond(request, response);
                    AfterResponse.of(request).then(task -> { });
                })
                .servlet("/without-task", ExpectContinueIT::respond)
                .start()) {
            RunningServer bare = app.startWithoutFilter();
            String bareResult = exchange(bare.port(), "/without-task");
            String filtered = exchange(app.port(), "/with-task");
            assertThat(bareResult).as("%s without the filter", container).startsWith("whole");
            assertThat(filtered).as("%s with the filter and a task (bare: %s)", container, bareResult)
                    .startsWith("whole");
        }
    }

    private static void respond(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/octet-stream");
        response.setContentLength(RESPONSE);
        response.getOutputStream().write(ResponseShapesIT.pattern(RESPONSE));
    }

    /** One exchange; says "whole ..." or what went wrong. */
    private static String exchange(int port, String path) throws Exception {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.setSendBufferSize(64 * KiB);
            socket.connect(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port),
                    (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + MiB + "\r\nExpect: 100-continue\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * KiB);
            String head;
            try {
                head = readHead(in);
            } catch (IOException e) {
                return "no head: " + e;
            }
            String uploadOutcome = "not sent (no 100)";
            if (head.startsWith("HTTP/1.1 100")) {
                CountDownLatch ended = new CountDownLatch(1);
                String[] outcome = {"still sending"};
                Thread upload = new Thread(() -> {
                    try {
                        byte[] chunk = new byte[64 * KiB];
                        for (int sent = 0; sent < MiB; sent += chunk.length) {
                            out.write(chunk);
                        }
                        out.flush();
                        outcome[0] = "sent whole";
                    } catch (IOException e) {
                        outcome[0] = "failed: " + e.getMessage();
                    } finally {
                        ended.countDown();
                    }
                });
                upload.setDaemon(true);
                upload.start();
                ended.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                uploadOutcome = outcome[0];
                try {
                    head = readHead(in);
                } catch (IOException e) {
                    return "no final head after 100 (upload " + uploadOutcome + "): " + e;
                }
            }
            long length = -1;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Long.parseLong(line.substring(15).trim());
                }
            }
            if (!head.startsWith("HTTP/1.1 200") || length != RESPONSE) {
                return "head: " + head.replace("\r\n", " | ");
            }
            long received = 0;
            byte[] buffer = new byte[64 * KiB];
            try {
                while (received < length) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, length - received));
                    if (n < 0) {
                        return "cut short: " + received + " of " + length + " then EOF (upload " + uploadOutcome + ")";
                    }
                    received += n;
                }
            } catch (IOException e) {
                return "cut short: " + received + " of " + length + " then " + e + " (upload " + uploadOutcome
                        + "), head: " + head.replace("\r\n", " | ");
            }
            return "whole (upload " + uploadOutcome + ")";
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0D0A0D0A) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed in the head");
            }
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * A client that sends Expect: 100-continue waits to be told before it sends its body (RFC 9110
     * 10.1.1). When the servlet refuses without asking for the body, the filter does not drain it:
     * reading it would make the container ask for it, and the answer would wait for a body nobody
     * wants. The client gets what the bare container gives (Tomcat answers 100 at once, then 413).
     */
    @EveryContainer
    void aRejectedUploadIsAnsweredWithoutWaitingForItsBody(Container container) throws Exception {
        try (Deployment app = Deployment.on(container).servlet("/upload", (request, response) -> {
            AfterResponse.find(request).ifPresent(exchange -> exchange.then(task -> { })); // audit the refusal
            response.sendError(413);
        }).start()) {
            RunningServer bare = app.startWithoutFilter();
            List<String> withoutFilter = statusesWithoutSendingTheBody(bare.port(), "/upload");
            List<String> withFilter = statusesWithoutSendingTheBody(app.port(), "/upload");
            assertThat(withoutFilter).as("the bare container").last().isEqualTo("413");
            assertThat(withFilter).isEqualTo(withoutFilter);
        }
    }

    /**
     * The same refusal after the servlet looked at a query parameter (an API key, say): for a body
     * that is not a form no container reads it, so it still counts as never asked for.
     */
    @EveryContainer
    void aRejectionAfterReadingAQueryParameterIsAnsweredWithoutWaitingForTheBody(Container container)
            throws Exception {
        try (Deployment app = Deployment.on(container).servlet("/upload", (request, response) -> {
            if (!"secret".equals(request.getParameter("key"))) { // from the query; the body is not a form
                AfterResponse.find(request).ifPresent(exchange -> exchange.then(task -> { })); // audit
                response.sendError(401);
            }
        }).start()) {
            RunningServer bare = app.startWithoutFilter();
            List<String> withoutFilter = statusesWithoutSendingTheBody(bare.port(), "/upload?key=wrong");
            List<String> withFilter = statusesWithoutSendingTheBody(app.port(), "/upload?key=wrong");
            assertThat(withoutFilter).as("the bare container").last().isEqualTo("401");
            assertThat(withFilter).as("%s with the filter (bare: %s)", container, withoutFilter)
                    .isEqualTo(withoutFilter);
        }
    }

    /** The status codes received, 1xx included, until the final one or 5 s of silence; the body is never sent. */
    static List<String> statusesWithoutSendingTheBody(int port, String path) throws Exception {
        List<String> statuses = new ArrayList<>();
        try (RawConnection connection = RawConnection.open(port)) {
            connection.send("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: 1048576\r\n"
                    + "Expect: 100-continue\r\n\r\n");
            while (true) {
                RawResponse response;
                try {
                    response = connection.readResponse(Duration.ofSeconds(5));
                } catch (SocketTimeoutException e) {
                    statuses.add("nothing for 5 s");
                    return statuses;
                }
                statuses.add(Integer.toString(response.statusCode()));
                if (response.statusCode() >= 200) {
                    return statuses;
                }
            }
        }
    }
}
