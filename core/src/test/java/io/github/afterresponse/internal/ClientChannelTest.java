package io.github.afterresponse.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.afterresponse.AbortPolicy;
import io.github.afterresponse.ClientAbortedException;
import io.github.afterresponse.ConnectionStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The one way to the client: a failed write marks the exchange aborted and follows its policy. */
class ClientChannelTest {

    private final RecordingResponse real = new RecordingResponse();

    private Exchange exchange(AbortPolicy policy) {
        return new Exchange("c-1", Clock.systemUTC(), c -> { }, policy, Duration.ZERO);
    }

    @Test
    void writesGoThroughWhileTheClientIsThere() throws IOException {
        Exchange exchange = exchange(AbortPolicy.CANCEL);
        ClientChannel channel = new ClientChannel(real, exchange.stop());
        channel.write(bytes("hello"), 0, 5);
        channel.flush();
        assertThat(real.body.toString(StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(exchange.status()).isEqualTo(ConnectionStatus.NORMAL);
    }

    @Test
    void underCancelTheFailingWriteAndEveryLaterOneThrow() throws IOException {
        Exchange exchange = exchange(AbortPolicy.CANCEL);
        ClientChannel channel = new ClientChannel(real, exchange.stop());
        real.clientGone = true;

        assertThatThrownBy(() -> channel.write(bytes("x"), 0, 1))
                .isInstanceOf(ClientAbortedException.class)
                .hasCauseInstanceOf(IOException.class)
                .hasMessageContaining("c-1");
        real.clientGone = false; // even a write that would go through is refused now
        assertThatThrownBy(channel::flush).isInstanceOf(ClientAbortedException.class);
        assertThat(exchange.status()).isEqualTo(ConnectionStatus.ABORTED);
        assertThat(exchange.stop().isStopRequested()).isTrue();
        assertThat(real.body.size()).isZero();
    }

    @Test
    void underContinueOutputIsDroppedSilentlyAndTheStatusStillSaysAborted() throws IOException {
        Exchange exchange = exchange(AbortPolicy.CONTINUE);
        ClientChannel channel = new ClientChannel(real, exchange.stop());
        real.clientGone = true;

        channel.write(bytes("x"), 0, 1);
        real.clientGone = false;
        channel.write(bytes("dropped"), 0, 7);
        channel.flush();

        assertThat(real.body.size()).isZero();
        assertThat(exchange.status()).isEqualTo(ConnectionStatus.ABORTED);
        assertThat(exchange.stop().isStopRequested()).isFalse();
    }

    @Test
    void aWriteFailingBecauseTheToolkitInterruptedTheThreadIsNoAbort() {
        Exchange exchange = exchange(AbortPolicy.CANCEL);
        ClientChannel channel = new ClientChannel(real, exchange.stop());
        exchange.stop().timedOut(); // marks TIMEOUT and asks the work to stop
        real.clientGone = true;
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> channel.write(bytes("x"), 0, 1))
                    .isInstanceOf(IOException.class)
                    .isNotInstanceOf(ClientAbortedException.class);
        } finally {
            Thread.interrupted();
        }
        assertThat(exchange.status()).isEqualTo(ConnectionStatus.TIMEOUT);
    }

    @Test
    void abortThenTimeoutIsThreeWhateverTheOrder() {
        Exchange first = exchange(AbortPolicy.CONTINUE);
        first.stop().clientGone(new IOException("reset"));
        first.stop().timedOut();
        Exchange second = exchange(AbortPolicy.CONTINUE);
        second.stop().timedOut();
        second.stop().clientGone(new IOException("reset"));
        assertThat(first.status()).isEqualTo(second.status()).isEqualTo(ConnectionStatus.ABORTED_AND_TIMEOUT);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A client that leaves as soon as it has every byte it was promised makes only the close fail
     * (seen on Payara Micro 6 over HTTP/2 with curl). Like PHP once flush() succeeded, that is no
     * abort: the work must still run under the cancel policy.
     */
    @Test
    void aCloseFailingAfterTheWholeBodyWasFlushedIsNoAbort() throws IOException {
        Exchange exchange = exchange(AbortPolicy.CANCEL);
        ClientChannel channel = new ClientChannel(real, exchange.stop());
        channel.write(bytes("hello"), 0, 5);
        real.closeFails = true;
        new Sending(false, true, false, () -> { }).endBodyIfAsked(channel, true);
        assertThat(exchange.status()).isEqualTo(ConnectionStatus.NORMAL);
        assertThat(exchange.stop().isStopRequested()).isFalse();
    }

    /** A chunked body whose close fails lacks its end: the client did not get the whole response. */
    @Test
    void aCloseFailingOnABodyWithoutLengthIsAnAbort() throws IOException {
        Exchange exchange = exchange(AbortPolicy.CANCEL);
        ClientChannel channel = new ClientChannel(real, exchange.stop());
        channel.write(bytes("hello"), 0, 5);
        real.closeFails = true;
        new Sending(false, true, false, () -> { }).endBodyIfAsked(channel, false);
        assertThat(exchange.status()).isEqualTo(ConnectionStatus.ABORTED);
    }
}
