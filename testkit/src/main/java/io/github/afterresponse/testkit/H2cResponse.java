package io.github.afterresponse.testkit;

import java.nio.charset.Charset;
import java.util.List;
import java.util.Optional;

/** An HTTP/2 response as received by {@link H2cClient}: status, header fields (names lower-cased), body. */
public final class H2cResponse {

    private final String protocol;
    private final int statusCode;
    private final List<HeaderField> headers;
    private final byte[] body;

    H2cResponse(String protocol, int statusCode, List<HeaderField> headers, byte[] body) {
        this.protocol = protocol;
        this.statusCode = statusCode;
        this.headers = List.copyOf(headers);
        this.body = body;
    }

    /** The protocol version seen, {@code HTTP/2.0}. */
    public String protocol() {
        return protocol;
    }

    /** The {@code :status}. */
    public int statusCode() {
        return statusCode;
    }

    /** All response header fields in order, names lower-cased (no pseudo-headers). */
    public List<HeaderField> headers() {
        return headers;
    }

    /** The first value of a header, name matched case-insensitively. */
    public Optional<String> header(String name) {
        return HeaderField.first(headers, name);
    }

    /** All values of a header, name matched case-insensitively. */
    public List<String> headers(String name) {
        return HeaderField.all(headers, name);
    }

    /** The body bytes (no content decoding is applied). */
    public byte[] body() {
        return body.clone();
    }

    /** The body decoded with the given charset. */
    public String bodyText(Charset charset) {
        return new String(body, charset);
    }

    @Override
    public String toString() {
        return protocol + " " + statusCode + " " + headers + " [" + body.length + " body bytes]";
    }
}
