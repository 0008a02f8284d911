package io.github.afterresponse.testkit;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.http2.hpack.HpackException;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * An HTTP/2 client for cleartext prior knowledge (h2c: it starts with the {@code PRI * HTTP/2.0} preface) to
 * {@code 127.0.0.1}, built on Jetty's {@code HttpClient} over {@code HTTP2Client}.
 *
 * <p>It fails loudly on protocol violations: a response carrying a connection-specific header such as
 * {@code connection: close} (illegal in HTTP/2, RFC 9113 §8.2.2) is rejected by Jetty's HPACK decoder, and the
 * call throws an {@link IOException} whose message says so. No content decoding is done (no
 * {@code Accept-Encoding} is sent).
 *
 * <p>One client instance (daemon threads) is started lazily and shared; it is stopped by a JVM shutdown hook.
 */
public final class H2cClient {

    /** The time allowed for a whole exchange. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static HttpClient client;

    private H2cClient() {
    }

    /** {@code GET path} over h2c to {@code 127.0.0.1:port}. */
    public static H2cResponse get(int port, String path) throws IOException {
        return request(port, "GET", path, null);
    }

    /** {@code HEAD path} over h2c to {@code 127.0.0.1:port}. */
    public static H2cResponse head(int port, String path) throws IOException {
        return request(port, "HEAD", path, null);
    }

    /**
     * Sends a request over h2c to {@code 127.0.0.1:port} and waits for the complete response.
     *
     * @param body the request content, or null for none
     * @throws IOException if the exchange failed (e.g. the server violated HTTP/2) or timed out
     */
    public static H2cResponse request(int port, String method, String path, byte[] body) throws IOException {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + path);
        }
        Request request = client().newRequest("http://127.0.0.1:" + port + path)
                .method(method)
                .timeout(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (body != null) {
            request.body(new BytesRequestContent(body));
        }
        ContentResponse response;
        try {
            response = request.send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during h2c " + method + " " + path);
        } catch (TimeoutException e) {
            throw new IOException("h2c " + method + " " + path + " on port " + port + " timed out", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException("h2c " + method + " " + path + " on port " + port + " failed: "
                    + (hasHpackFailure(cause) ? "the server sent an illegal HTTP/2 response: " : "")
                    + describe(cause), cause);
        }
        List<HeaderField> headers = response.getHeaders().stream()
                .map(f -> new HeaderField(f.getName().toLowerCase(Locale.ROOT), f.getValue()))
                .toList();
        return new H2cResponse(response.getVersion().asString(), response.getStatus(), headers, response.getContent());
    }

    /** Whether Jetty's HPACK decoder rejected the response headers (e.g. a connection-specific field). */
    private static boolean hasHpackFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HpackException) {
                return true;
            }
        }
        return false;
    }

    /** The cause chain's messages, so e.g. the HPACK decoder's "Connection specific field" reaches the message. */
    private static String describe(Throwable failure) {
        StringBuilder s = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (s.length() > 0) {
                s.append(" <- ");
            }
            s.append(t);
        }
        return s.toString();
    }

    private static synchronized HttpClient client() throws IOException {
        if (client == null) {
            QueuedThreadPool threads = new QueuedThreadPool();
            threads.setName("testkit-h2c-client");
            threads.setDaemon(true);
            HttpClient c = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()));
            c.setExecutor(threads);
            c.setScheduler(new ScheduledExecutorScheduler("testkit-h2c-client-scheduler", true));
            c.getContentDecoderFactories().clear(); // raw bodies; no Accept-Encoding
            c.setFollowRedirects(false);
            try {
                c.start();
            } catch (Exception e) {
                throw new IOException("cannot start the h2c client", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    c.stop();
                } catch (Exception ignored) {
                    // JVM is exiting
                }
            }, "testkit-h2c-client-stop"));
            client = c;
        }
        return client;
    }
}
