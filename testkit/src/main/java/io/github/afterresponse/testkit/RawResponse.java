package io.github.afterresponse.testkit;

import java.nio.charset.Charset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One HTTP/1.x response exactly as read by {@link RawConnection#readResponse}: status line, header fields in
 * order and original case, and the body (de-chunked if the transfer coding was chunked; the bytes as received
 * are in {@link #rawBody()}).
 */
public final class RawResponse {

    private final String protocol;
    private final int statusCode;
    private final String reason;
    private final List<HeaderField> headers;
    private final String rawHead;
    private final byte[] body;
    private final byte[] rawBody;
    private final boolean chunked;
    private final List<HeaderField> trailers;

    RawResponse(String protocol, int statusCode, String reason, List<HeaderField> headers, String rawHead,
                byte[] body, byte[] rawBody, boolean chunked, List<HeaderField> trailers) {
        this.protocol = protocol;
        this.statusCode = statusCode;
        this.reason = reason;
        this.headers = List.copyOf(headers);
        this.rawHead = rawHead;
        this.body = body;
        this.rawBody = rawBody;
        this.chunked = chunked;
        this.trailers = List.copyOf(trailers);
    }

    /** The protocol of the status line, e.g. {@code HTTP/1.1}. */
    public String protocol() {
        return protocol;
    }

    /** The status code. */
    public int statusCode() {
        return statusCode;
    }

    /** The reason phrase, possibly empty. */
    public String reason() {
        return reason;
    }

    /** All header fields in the order received, names in their original case. */
    public List<HeaderField> headers() {
        return headers;
    }

    /** The first value of a header, name matched case-insensitively. */
    public Optional<String> header(String name) {
        return HeaderField.first(headers, name);
    }

    /** All values of a header (one per field line, not split at commas), name matched case-insensitively. */
    public List<String> headers(String name) {
        return HeaderField.all(headers, name);
    }

    /** The Content-Length header as a number, if present. */
    public OptionalLong contentLength() {
        return header("Content-Length").map(v -> OptionalLong.of(Long.parseLong(v.trim()))).orElse(OptionalLong.empty());
    }

    /** Whether the body came with the chunked transfer coding. */
    public boolean chunked() {
        return chunked;
    }

    /** Trailer fields after the last chunk (empty unless chunked). */
    public List<HeaderField> trailers() {
        return trailers;
    }

    /** The head exactly as received (ISO-8859-1): status line and header lines up to and including the empty line. */
    public String rawHead() {
        return rawHead;
    }

    /** The body; de-chunked if {@link #chunked()}. */
    public byte[] body() {
        return body.clone();
    }

    /** The body decoded with the given charset. */
    public String bodyText(Charset charset) {
        return new String(body, charset);
    }

    /** The body bytes exactly as received (including chunk framing when chunked). */
    public byte[] rawBody() {
        return rawBody.clone();
    }

    @Override
    public String toString() {
        return rawHead + "[" + body.length + " body bytes" + (chunked ? ", chunked" : "") + "]";
    }
}
