package io.github.afterresponse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The segmented buffer against a plain byte array, with clears, releases and exact limits. */
class ResponseBufferModelTest {

    @Test
    void matchesAPlainArray() throws IOException {
        Random random = new Random(42);
        for (int round = 0; round < 3000; round++) {
            int limit = switch (round % 4) {
                case 0 -> random.nextInt(4);
                case 1 -> random.nextInt(3000);
                case 2 -> 1024 + random.nextInt(3) - 1;
                default -> random.nextInt(300_000);
            };
            ResponseBuffer buffer = new ResponseBuffer(limit);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (int step = 0; step < 40; step++) {
                int op = random.nextInt(10);
                if (op == 0) {
                    buffer.clear();
                    expected.reset();
                } else if (op == 1) {
                    buffer.release();
                    expected.reset();
                } else {
                    int room = limit - expected.size();
                    int length = room <= 0 ? 0 : random.nextInt(4) == 0 ? room : random.nextInt(Math.min(room, 70_000) + 1);
                    byte[] bytes = new byte[length + 3];
                    random.nextBytes(bytes);
                    for (int i = 0; i < bytes.length; i++) {
                        bytes[i] = (byte) ('a' + (bytes[i] & 15));
                    }
                    assertThat(buffer.fits(length)).isTrue();
                    buffer.write(bytes, 1, length);
                    expected.write(bytes, 1, length);
                }
                assertThat(buffer.size()).isEqualTo(expected.size());
                assertThat(buffer.capacity()).isLessThanOrEqualTo(limit);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                buffer.writeTo(out);
                assertThat(out.toByteArray()).isEqualTo(expected.toByteArray());
                assertThat(buffer.decode(StandardCharsets.US_ASCII)).isEqualTo(expected.toString(StandardCharsets.US_ASCII));
                assertThat(buffer.fits(limit - expected.size() + 1)).isFalse();
            }
        }
    }
}
