package io.github.afterresponse.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;

/**
 * The bytes a servlet wrote, held back so the response can be sent whole with
 * {@code Content-Length}, up to a limit; what would pass it is the output's business (it streams
 * the response instead). Held in segments: the first as large as the first write, from 1 KiB to 64
 * KiB; each next one as large as all before it, up to 64 KiB; none past the limit. So a growing
 * body is never copied again — each byte is copied once into the buffer and once out — the
 * capacity doubles as an array's would, and beyond 1 KiB the last segment's unused part is smaller
 * than the body and than 64 KiB; a body whose size is a power of two from its first write fills
 * its segments exactly. {@link #clear()} keeps the segments. Not thread-safe: a response is
 * written by one thread at a time.
 */
final class ResponseBuffer {

    private static final byte[][] NONE = new byte[0][];
    private static final int MIN_SEGMENT = 1024;
    private static final int MAX_SEGMENT = 64 * 1024;

    private final int limit;
    private byte[][] segments = NONE;
    /** How many of {@link #segments} are allocated. */
    private int allocated;
    /** Bytes in the allocated segments. */
    private long capacity;
    /** The segment being written. */
    private int current;
    /** Bytes held in the segment being written. */
    private int position;
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
        int from = offset;
        int left = length;
        while (left > 0) {
            byte[] segment = segmentWithRoom(left);
            int part = Math.min(left, segment.length - position);
            System.arraycopy(source, from, segment, position, part);
            position += part;
            from += part;
            left -= part;
            count += part;
        }
    }

    /** Bytes held. */
    int size() {
        return count;
    }

    /** Bytes of the segments allocated, held or not (for tests). */
    long capacity() {
        return capacity;
    }

    /** Drops the bytes held; the segments allocated so far are kept for what follows. */
    void clear() {
        current = 0;
        position = 0;
        count = 0;
    }

    /** Drops the bytes and their segments: the response has been sent, and nothing may keep its body. */
    void release() {
        segments = NONE;
        allocated = 0;
        capacity = 0;
        clear();
    }

    /** The bytes held, as text. */
    String decode(Charset charset) {
        byte[] all = new byte[count];
        int at = 0;
        for (int i = 0; i < allocated && at < count; i++) {
            int part = Math.min(segments[i].length, count - at);
            System.arraycopy(segments[i], 0, all, at, part);
            at += part;
        }
        return new String(all, charset);
    }

    void writeTo(OutputStream out) throws IOException {
        int left = count;
        for (int i = 0; i < allocated && left > 0; i++) {
            int part = Math.min(segments[i].length, left);
            out.write(segments[i], 0, part);
            left -= part;
        }
    }

    /** The segment to write into: the current one if it has room, the next kept one, or a new one. */
    private byte[] segmentWithRoom(int wanted) {
        if (current < allocated && position < segments[current].length) {
            return segments[current];
        }
        if (current < allocated) {
            current++;
            position = 0;
            if (current < allocated) {
                return segments[current]; // kept from before a clear()
            }
        }
        // Every allocated segment is full, so capacity == count < limit: there is room for one more.
        int size = allocated == 0 ? MIN_SEGMENT : (int) Math.min(MAX_SEGMENT, capacity);
        size = Math.max(size, Math.min(wanted, MAX_SEGMENT));
        size = (int) Math.min(size, limit - capacity);
        if (allocated == segments.length) {
            byte[][] grown = new byte[Math.max(4, segments.length * 2)][];
            System.arraycopy(segments, 0, grown, 0, allocated);
            segments = grown;
        }
        byte[] segment = new byte[size];
        segments[allocated++] = segment;
        capacity += size;
        current = allocated - 1;
        position = 0;
        return segment;
    }
}
