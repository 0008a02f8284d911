package io.github.afterresponse.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * The part of the request body the servlet left unread, read and dropped before a response that
 * closes the connection. A socket closed with unread input sends RST, and the kernel then drops
 * what of the response the client has not read yet: measured ({@code UnreadBodyIT}), Jetty always
 * cuts such a response short, Tomcat does when the exchange ends asynchronously (it swallows the
 * rest only on the request thread), Undertow when it ends on the request thread. Reading the rest
 * first, up to a bound, avoids it on all three.
 */
final class UnreadBody {

    /** As much as Tomcat swallows ({@code maxSwallowSize}) and Undertow accepts ({@code MAX_ENTITY_SIZE}) by default. */
    static final long LIMIT = 2L * 1024 * 1024;

    private UnreadBody() {}

    /**
     * Reads what is left of the body, if it is at most {@code limit} bytes; a longer one, or one
     * whose length is unknown and turns out longer, is left to the container, which then resets
     * the connection as it would without the filter. On the request thread; it blocks while the
     * client still sends, bounded by the container's read timeout.
     *
     * @return whether the body has been read to its end
     */
    static boolean drain(HttpServletRequest request, long limit) {
        long length = request.getContentLengthLong();
        String coding = request.getHeader("Transfer-Encoding");
        boolean chunked = coding != null && coding.toLowerCase(Locale.ROOT).contains("chunked");
        if (length == 0 || length < 0 && !chunked) {
            return true;
        }
        if (length > limit) {
            // The whole body's length, not what is left of it: a servlet that read most of a long
            // body leaves it to the container. Not worth making the client wait for.
            return false;
        }
        try {
            return drainStream(request, limit);
        } catch (IOException | RuntimeException e) {
            // The client went away, or the container refuses (the servlet consumed a form). Never
            // read again after a failure: Undertow then hands out stale pooled bytes.
            return false;
        }
    }

    private static boolean drainStream(HttpServletRequest request, long limit) throws IOException {
        InputStream in;
        try {
            in = request.getInputStream();
        } catch (IllegalStateException e) {
            BufferedReader reader = request.getReader(); // the servlet took the reader
            char[] sink = new char[8192]; // counted in characters: at most a few times the bytes, still bounded
            return readToEnd(() -> reader.read(sink), limit);
        }
        byte[] sink = new byte[8192];
        return readToEnd(() -> in.read(sink), limit);
    }

    /** One read into a sink: how much it read, or -1 at the end. */
    @FunctionalInterface
    private interface Read {
        int next() throws IOException;
    }

    private static boolean readToEnd(Read read, long limit) throws IOException {
        for (long total = 0; total <= limit; ) {
            int n = read.next();
            if (n < 0) {
                return true;
            }
            total += n;
        }
        return false;
    }
}
