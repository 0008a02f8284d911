package io.github.afterresponse.testkit;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** RawConnection's parsing and close detection against canned server bytes. */
class RawConnectionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static CannedServer answering(String response) throws Exception {
        return new CannedServer(socket -> {
            CannedServer.readHead(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            out.write(response.getBytes(ISO_8859_1));
            out.flush();
        });
    }

    @Test
    void readsContentLengthBodyAndKeepsHeaderOrderAndCase() throws Exception {
        try (CannedServer server = answering("HTTP/1.1 200 OK\r\nX-B: 1\r\nContent-Length: 3\r\nx-b: 2\r\n\r\nabc");
             RawConnection connection = RawConnection.open(server.port())) {
            connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawResponse response = connection.readResponse(TIMEOUT);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.reason()).isEqualTo("OK");
            assertThat(response.headers()).extracting(HeaderField::name).containsExactly("X-B", "Content-Length", "x-b");
            assertThat(response.headers("x-B")).containsExactly("1", "2");
            assertThat(response.header("missing")).isEmpty();
            assertThat(response.contentLength()).hasValue(3);
            assertThat(response.bodyText(UTF_8)).isEqualTo("abc");
            assertThat(response.rawHead()).isEqualTo("HTTP/1.1 200 OK\r\nX-B: 1\r\nContent-Length: 3\r\nx-b: 2\r\n\r\n");
            assertThat(connection.awaitServerClose(TIMEOUT)).isTrue();
        }
    }

    @Test
    void decodesChunkedWithExtensionsAndTrailers() throws Exception {
        String raw = "4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Trailer: t\r\n\r\n";
        try (CannedServer server = answering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + raw);
             RawConnection connection = RawConnection.open(server.port())) {
            connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawResponse response = connection.readResponse(TIMEOUT);

            assertThat(response.chunked()).isTrue();
            assertThat(response.bodyText(UTF_8)).isEqualTo("Wikipedia");
            assertThat(new String(response.rawBody(), ISO_8859_1)).isEqualTo(raw);
            assertThat(response.trailers()).containsExactly(new HeaderField("X-Trailer", "t"));
            assertThat(response.contentLength()).isEmpty();
        }
    }

    @Test
    void readsUntilCloseWithoutLengthAndNoBodyForHeadAnd204() throws Exception {
        try (CannedServer server = answering("HTTP/1.0 200 OK\r\n\r\nuntil close");
             RawConnection connection = RawConnection.open(server.port())) {
            connection.send("GET / HTTP/1.0\r\n\r\n");
            RawResponse response = connection.readResponse(TIMEOUT);
            assertThat(response.protocol()).isEqualTo("HTTP/1.0");
            assertThat(response.bodyText(UTF_8)).isEqualTo("until close");
            assertThat(connection.serverClosed()).isTrue();
            assertThat(connection.awaitServerClose(TIMEOUT)).isTrue();
        }
        String twoResponses = "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n" + "HTTP/1.1 204 No Content\r\n\r\n";
        try (CannedServer server = new CannedServer(socket -> {
                CannedServer.readHead(socket.getInputStream());
                CannedServer.readHead(socket.getInputStream());
                socket.getOutputStream().write(twoResponses.getBytes(ISO_8859_1));
            });
             RawConnection connection = RawConnection.open(server.port())) {
            connection.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\nDELETE / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawResponse head = connection.readResponse(TIMEOUT, true);
            RawResponse noContent = connection.readResponse(TIMEOUT);

            assertThat(head.contentLength()).hasValue(99);
            assertThat(head.body()).isEmpty();
            assertThat(noContent.statusCode()).isEqualTo(204);
            assertThat(noContent.reason()).isEqualTo("No Content");
            assertThat(connection.awaitServerClose(TIMEOUT)).isTrue();
        }
    }

    @Test
    void extraBytesInsteadOfCloseFailWithTheBytes() throws Exception {
        try (CannedServer server = answering("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxEXTRA\r\n");
             RawConnection connection = RawConnection.open(server.port())) {
            connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(connection.readResponse(TIMEOUT).bodyText(UTF_8)).isEqualTo("x");

            assertThatThrownBy(() -> connection.awaitServerClose(TIMEOUT))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("\"EXTRA\\r\\n\"");
        }
    }

    @Test
    void timesOutWhenTheServerStaysSilentOrOpen() throws Exception {
        CountDownLatch clientDone = new CountDownLatch(1);
        try (CannedServer server = new CannedServer(socket -> {
                CannedServer.readHead(socket.getInputStream());
                socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Len".getBytes(ISO_8859_1));
                socket.getOutputStream().flush();
                clientDone.await(10, TimeUnit.SECONDS);
            });
             RawConnection connection = RawConnection.open(server.port())) {
            connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThatThrownBy(() -> connection.readResponse(Duration.ofMillis(200)))
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("HTTP/1.1 200 OK\\r\\nContent-Len");
            assertThat(connection.awaitServerClose(Duration.ofMillis(100))).isFalse();
            clientDone.countDown();
        }
    }

    @Test
    void prematureCloseIsAnEofWithWhatArrived() throws Exception {
        try (CannedServer server = answering("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
             RawConnection connection = RawConnection.open(server.port())) {
            connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");

            assertThatThrownBy(() -> connection.readResponse(TIMEOUT))
                    .isInstanceOf(EOFException.class)
                    .hasMessageContaining("\\r\\n\\r\\nabc");
        }
    }

    @Test
    void abortSendsReset() throws Exception {
        try (CannedServer server = new CannedServer(socket -> {
                CannedServer.readHead(socket.getInputStream());
                // The client's RST makes the next read fail instead of returning -1 (FIN).
                assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(java.net.SocketException.class);
            })) {
            RawConnection connection = RawConnection.open(server.port());
            connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            connection.abort();
            server.awaitDone();
        }
    }
}
