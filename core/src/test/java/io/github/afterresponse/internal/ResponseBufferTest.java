package io.github.afterresponse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The buffer holds bytes up to its limit; what passes it is the output's business (BufferingResponseTest). */
class ResponseBufferTest {

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String held(ResponseBuffer buffer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        buffer.writeTo(out);
        return out.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void holdsEverythingUpToTheLimit() throws IOException {
        ResponseBuffer buffer = new ResponseBuffer(10);
        assertThat(buffer.fits(10)).isTrue();
        buffer.write(ascii("hello"), 0, 5);
        buffer.write(ascii("!1234"), 0, 5);
        assertThat(buffer.size()).isEqualTo(10);
        assertThat(buffer.fits(0)).isTrue();
        assertThat(buffer.fits(1)).isFalse();
        assertThat(held(buffer)).isEqualTo("hello!1234");
    }

    @Test
    void limitZeroHoldsNothing() {
        ResponseBuffer buffer = new ResponseBuffer(0);
        assertThat(buffer.fits(1)).isFalse();
        assertThat(buffer.fits(0)).isTrue();
    }

    @Test
    void growsBeyondItsFirstCapacityWithoutLosingBytes() throws IOException {
        ResponseBuffer buffer = new ResponseBuffer(1 << 20);
        byte[] chunk = new byte[777];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) i;
        }
        for (int i = 0; i < 1000; i++) {
            assertThat(buffer.fits(chunk.length)).isTrue();
            buffer.write(chunk, 0, chunk.length);
        }
        assertThat(buffer.size()).isEqualTo(777_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        buffer.writeTo(out);
        byte[] all = out.toByteArray();
        assertThat(all).hasSize(777_000);
        for (int i = 0; i < all.length; i++) {
            if (all[i] != chunk[i % 777]) {
                throw new AssertionError("byte " + i + " is " + all[i] + ", not " + chunk[i % 777]);
            }
        }
        assertThat(buffer.decode(StandardCharsets.ISO_8859_1)).hasSize(777_000);
        // Segments, not one array copied as it doubles: at most one segment (64 KiB) beyond the body.
        assertThat(buffer.capacity()).isBetween(777_000L, 777_000L + 64 * 1024);
    }

    @Test
    void aLargeFirstWriteTakesOneSegmentAndTheLimitBoundsTheLast() throws IOException {
        ResponseBuffer buffer = new ResponseBuffer(100_000);
        buffer.write(new byte[60_000], 0, 60_000);
        assertThat(buffer.capacity()).isEqualTo(60_000);
        buffer.write(ascii("x".repeat(40_000)), 0, 40_000);
        assertThat(buffer.fits(1)).isFalse();
        assertThat(buffer.capacity()).isEqualTo(100_000);
        assertThat(held(buffer)).hasSize(100_000).endsWith("xxx");
    }

    @Test
    void clearKeepsTheSegmentsAndWritesThemAgainInOrder() throws IOException {
        ResponseBuffer buffer = new ResponseBuffer(1 << 20);
        buffer.write(new byte[5000], 0, 5000);
        long capacity = buffer.capacity();
        buffer.clear();
        String text = "0123456789".repeat(450);
        buffer.write(ascii(text), 0, text.length());
        assertThat(buffer.capacity()).isEqualTo(capacity);
        assertThat(held(buffer)).isEqualTo(text);
        assertThat(buffer.decode(StandardCharsets.US_ASCII)).isEqualTo(text);
    }

    @Test
    void clearDropsHeldBytes() throws IOException {
        ResponseBuffer buffer = new ResponseBuffer(100);
        buffer.write(ascii("a"), 0, 1);
        buffer.clear();
        buffer.write(ascii("b"), 0, 1);
        assertThat(held(buffer)).isEqualTo("b");
        assertThat(buffer.decode(StandardCharsets.US_ASCII)).isEqualTo("b");
    }

    @Test
    void releaseLetsTheBytesGo() throws IOException {
        ResponseBuffer buffer = new ResponseBuffer(100);
        buffer.write(ascii("sent"), 0, 4);
        buffer.release();
        assertThat(buffer.size()).isZero();
        assertThat(held(buffer)).isEmpty();
    }
}
