package io.github.afterresponse.testkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** H2cClient must fail loudly on HTTP/2 protocol violations. */
class H2cClientIT {

    private static final int HEADERS = 0x1;
    private static final int SETTINGS = 0x4;
    private static final int FLAG_END_STREAM = 0x1;
    private static final int FLAG_ACK = 0x1;
    private static final int FLAG_END_HEADERS = 0x4;

    @Test
    void connectionHeaderOverHttp2FailsLoudly() throws Exception {
        try (CannedServer server = new CannedServer(socket -> {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            byte[] preface = new byte[24];
            in.readFully(preface);
            if (!new String(preface, StandardCharsets.ISO_8859_1).equals("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")) {
                throw new IOException("no h2c preface");
            }
            frame(out, SETTINGS, 0, 0, new byte[0]);
            int streamId = 0;
            while (streamId == 0) { // read the client's frames up to its request HEADERS
                int length = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int stream = in.readInt() & 0x7FFFFFFF;
                in.readFully(new byte[length]);
                if (type == SETTINGS && (flags & FLAG_ACK) == 0) {
                    frame(out, SETTINGS, FLAG_ACK, 0, new byte[0]);
                } else if (type == HEADERS) {
                    streamId = stream;
                }
            }
            // HPACK: ":status: 200" (static index 8), then "connection: close" as a literal without indexing.
            ByteArrayOutputStream block = new ByteArrayOutputStream();
            block.write(0x88);
            block.write(0x00);
            block.write(10);
            block.writeBytes("connection".getBytes(StandardCharsets.ISO_8859_1));
            block.write(5);
            block.writeBytes("close".getBytes(StandardCharsets.ISO_8859_1));
            frame(out, HEADERS, FLAG_END_HEADERS | FLAG_END_STREAM, streamId, block.toByteArray());
            // Wait for the client to reset the stream or close: read until EOF.
            while (in.read() >= 0) {
                // drain
            }
        })) {
            assertThatThrownBy(() -> H2cClient.get(server.port(), "/"))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("illegal HTTP/2 response")
                    .hasMessageContaining("Connection specific field 'Connection'");
        }
    }

    private static void frame(OutputStream out, int type, int flags, int streamId, byte[] payload) throws IOException {
        int length = payload.length;
        out.write(new byte[] {(byte) (length >>> 16), (byte) (length >>> 8), (byte) length, (byte) type, (byte) flags,
            (byte) (streamId >>> 24), (byte) (streamId >>> 16), (byte) (streamId >>> 8), (byte) streamId});
        out.write(payload);
        out.flush();
    }
}
