package io.github.afterresponse.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The bytes a servlet wrote, held back so the response can be sent whole with
 * {@code Content-Length}. Once they would pass the limit, the buffer spills: what it holds and
 * everything after goes to the stream its {@link Overflow} opens. Not thread-safe: a response is
 * written by one thread at a time.
 */
final class ResponseBuffer {

    /** Opens the stream that takes over when the buffer spills; called at most once. */
    @FunctionalInterface
    interface Overflow {
        OutputStream open() throws IOException;
    }

    private static final byte[] EMPTY = new byte[0];
    private static final int MIN_CAPACITY = 1024;

    private final int limit;
    private final Overflow overflow;
    private byte[] bytes = EMPTY;
    private int count;
    private @Nullable OutputStream spilled;

    ResponseBuffer(int limit, Overflow overflow) {
        this.limit = limit;
        this.overflow = overflow;
    }

    void write(int b) throws IOException {
        if (spilled == null && count < limit) {
            ensureCapacity(count + 1);
            bytes[count++] = (byte) b;
        } else {
            target().write(b);
        }
    }

    void write(byte[] source, int offset, int length) throws IOException {
        if (spilled == null && length <= limit - count) {
            ensureCapacity(count + length);
            System.arraycopy(source, offset, bytes, count, length);
            count += length;
        } else {
            target().write(source, offset, length);
        }
    }

    /** Spills now, whatever the size: everything from here on goes to the overflow stream. */
    void spill() throws IOException {
        target();
    }

    int limit() {
        return limit;
    }

    boolean isSpilled() {
        return spilled != null;
    }

    /** Bytes held; 0 once spilled. */
    int size() {
        return count;
    }

    /** Flushes the overflow stream once spilled; nothing to do before. */
    void flush() throws IOException {
        if (spilled != null) {
            spilled.flush();
        }
    }

    /** Drops the bytes held. Does nothing once spilled: what was sent cannot be taken back. */
    void clear() {
        bytes = EMPTY;
        count = 0;
    }

    /** The bytes held, as text. */
    String decode(java.nio.charset.Charset charset) {
        return new String(bytes, 0, count, charset);
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, count);
    }

    private OutputStream target() throws IOException {
        OutputStream out = spilled;
        if (out == null) {
            out = overflow.open();
            spilled = out;
            byte[] held = bytes;
            int heldCount = count;
            clear();
            out.write(held, 0, heldCount);
        }
        return out;
    }

    private void ensureCapacity(int needed) {
        if (needed > bytes.length) {
            int doubled = Math.max(MIN_CAPACITY, bytes.length * 2);
            int capacity = (int) Math.min(limit, Math.max((long) needed, doubled));
            bytes = Arrays.copyOf(bytes, capacity);
        }
    }
}
