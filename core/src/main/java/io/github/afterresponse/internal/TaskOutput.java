package io.github.afterresponse.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import org.jspecify.annotations.Nullable;

/**
 * What the tasks write to a response kept open for them ({@code AfterResponse.stream()}): the
 * client channel, as bytes or as characters in the response's encoding, but not both.
 */
final class TaskOutput {

    private static final byte[] PROBE = {' '};

    private final @Nullable ClientChannel channel;
    private final Charset charset;
    private @Nullable PrintWriter writer;
    private @Nullable OutputStream stream;

    /** @param channel the open response, or null when it was sent whole */
    TaskOutput(@Nullable ClientChannel channel, Charset charset) {
        this.channel = channel;
        this.charset = charset;
    }

    PrintWriter writer() {
        if (stream != null) {
            throw new IllegalStateException("After Response: TaskContext.outputStream() has already been used; "
                    + "a task writes bytes or characters, not both");
        }
        if (writer == null) {
            writer = new PrintWriter(new OutputStreamWriter(new Unclosable(open()), charset), true);
        }
        return writer;
    }

    OutputStream outputStream() {
        if (writer != null) {
            throw new IllegalStateException("After Response: TaskContext.writer() has already been used; "
                    + "a task writes bytes or characters, not both");
        }
        if (stream == null) {
            stream = new Unclosable(open());
        }
        return stream;
    }

    /** Writes and flushes one space; whether the client was still there as far as that could tell. */
    boolean probe(Exchange exchange) {
        if (channel != null) {
            flushWriter();
            try {
                channel.write(PROBE, 0, 1);
                channel.flush();
            } catch (IOException e) {
                return false; // a stop by the toolkit interrupted the write; the client may be there
            }
        }
        return !exchange.status().isAborted();
    }

    /** Pushes out what the writer still holds, before the response ends. */
    void flushWriter() {
        if (writer != null) {
            writer.flush();
        }
    }

    private ClientChannel open() {
        if (channel == null) {
            throw new IllegalStateException("After Response: the response was sent whole when the servlet returned, "
                    + "so a task cannot write to it; call AfterResponse.stream() in the servlet to keep it open for "
                    + "the tasks");
        }
        return channel;
    }

    /** The channel for a task: closing it only flushes; the response ends when the last task ends. */
    private static final class Unclosable extends OutputStream {
        private final ClientChannel channel;

        Unclosable(ClientChannel channel) {
            this.channel = channel;
        }

        @Override
        public void write(int b) throws IOException {
            channel.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            channel.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            channel.flush();
        }

        @Override
        public void close() throws IOException {
            channel.flush();
        }
    }
}
