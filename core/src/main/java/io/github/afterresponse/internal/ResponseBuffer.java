package io.github.afterresponse.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.util.Arrays;

/**
 * The bytes a servlet wrote, held back so the response can be sent whole with
 * {@code Content-Length}, up to a limit; what would pass it is the output's business (it streams
 * the response instead). Grows by doubling from 1 KiB, never past the limit. Not thread-safe: a
 * response is written by one thread at a time.
 */
final class ResponseBuffer {

    private static final byte[] EMPTY = new byte[0];
    private static final int MIN_CAPACITY = 1024;

    private final int limit;
    private byte[] bytes = EMPTY;
    private int count;

    ResponseBuffer(int limit) {
        this.limit = limit;
    }

    int limit() {
        return limit;
    }

    /** Whether {@code length} more bytes stay within the limit. */
    boolean fits(int length) {
        return length <= limit - count;
    }

    /** Holds the bytes; the caller checked that they {@link #fits fit}. */
    void write(byte[] source, int offset, int length) {
        ensureCapacity(count + length);
        System.arraycopy(source, offset, bytes, count, length);
        count += length;
    }

    /** Bytes held. */
    int size() {
        return count;
    }

    /** Drops the bytes held; the capacity grown so far is kept for what follows. */
    void clear() {
        count = 0;
    }

    /** Drops the bytes and their array: the response has been sent, and nothing may keep its body. */
    void release() {
        bytes = EMPTY;
        count = 0;
    }

    /** The bytes held, as text. */
    String decode(Charset charset) {
        return new String(bytes, 0, count, charset);
    }

    void writeTo(OutputStream out) throws IOException {
        if (count > 0) {
            out.write(bytes, 0, count);
        }
    }

    private void ensureCapacity(int needed) {
        if (needed > bytes.length) {
            int doubled = Math.max(MIN_CAPACITY, bytes.length * 2);
            int capacity = (int) Math.min(limit, Math.max((long) needed, doubled));
            bytes = Arrays.copyOf(bytes, capacity);
        }
    }
}
