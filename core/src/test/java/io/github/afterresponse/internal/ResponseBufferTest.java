package io.github.afterresponse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ResponseBufferTest {

    private final ByteArrayOutputStream overflow = new ByteArrayOutputStream();
    private final AtomicInteger opened = new AtomicInteger();

    private ResponseBuffer buffer(int limit) {
        return new ResponseBuffer(limit, () -> {
            opened.incrementAndGet();
            return overflow;
        });
    }

    @Test
    void holdsEverythingUpToTheLimit() throws IOException {
        ResponseBuffer buffer = buffer(10);
        buffer.write("hello".getBytes(StandardCharsets.US_ASCII), 0, 5);
        buffer.write('!');
        buffer.write("1234".getBytes(StandardCharsets.US_ASCII), 0, 4);
        assertThat(buffer.size()).isEqualTo(10);
        assertThat(buffer.isSpilled()).isFalse();
        assertThat(opened).hasValue(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        buffer.writeTo(out);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("hello!1234");
    }

    @Test
    void spillsOnceTheLimitWouldBePassedKeepingOrder() throws IOException {
        ResponseBuffer buffer = buffer(8);
        buffer.write("abcdef".getBytes(StandardCharsets.US_ASCII), 0, 6);
        buffer.write("ghijk".getBytes(StandardCharsets.US_ASCII), 0, 5);
        buffer.write('l');
        buffer.write("xmnox".getBytes(StandardCharsets.US_ASCII), 1, 3);
        assertThat(buffer.isSpilled()).isTrue();
        assertThat(buffer.size()).isZero();
        assertThat(opened).hasValue(1);
        assertThat(overflow.toString(StandardCharsets.US_ASCII)).isEqualTo("abcdefghijklmno");
    }

    @Test
    void singleBytesSpillToo() throws IOException {
        ResponseBuffer buffer = buffer(2);
        buffer.write('a');
        buffer.write('b');
        assertThat(buffer.isSpilled()).isFalse();
        buffer.write('c');
        assertThat(buffer.isSpilled()).isTrue();
        assertThat(overflow.toString(StandardCharsets.US_ASCII)).isEqualTo("abc");
    }

    @Test
    void limitZeroStreamsEverything() throws IOException {
        ResponseBuffer buffer = buffer(0);
        buffer.write('x');
        assertThat(buffer.isSpilled()).isTrue();
        assertThat(overflow.toString(StandardCharsets.US_ASCII)).isEqualTo("x");
    }

    @Test
    void growsBeyondItsFirstCapacityWithoutLosingBytes() throws IOException {
        ResponseBuffer buffer = buffer(1 << 20);
        byte[] chunk = new byte[777];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) i;
        }
        for (int i = 0; i < 1000; i++) {
            buffer.write(chunk, 0, chunk.length);
        }
        assertThat(buffer.size()).isEqualTo(777_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        buffer.writeTo(out);
        byte[] all = out.toByteArray();
        assertThat(all).hasSize(777_000);
        assertThat(all[776_999]).isEqualTo(chunk[776]);
        assertThat(buffer.isSpilled()).isFalse();
    }

    @Test
    void clearDropsHeldBytes() throws IOException {
        ResponseBuffer buffer = buffer(100);
        buffer.write('a');
        buffer.clear();
        buffer.write('b');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        buffer.writeTo(out);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("b");
    }

    @Test
    void spillNowHandsOverWhatIsHeld() throws IOException {
        ResponseBuffer buffer = buffer(100);
        buffer.write('a');
        buffer.spill();
        buffer.write('b');
        assertThat(overflow.toString(StandardCharsets.US_ASCII)).isEqualTo("ab");
        assertThat(opened).hasValue(1);
    }
}
