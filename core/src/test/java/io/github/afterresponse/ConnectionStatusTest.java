package io.github.afterresponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConnectionStatusTest {

    @Test
    void keepsPhpNumbers() {
        assertThat(ConnectionStatus.NORMAL.value()).isZero();
        assertThat(ConnectionStatus.ABORTED.value()).isEqualTo(1);
        assertThat(ConnectionStatus.TIMEOUT.value()).isEqualTo(2);
        assertThat(ConnectionStatus.ABORTED_AND_TIMEOUT.value()).isEqualTo(3);
    }

    @Test
    void flagsOnlyAccumulate() {
        assertThat(ConnectionStatus.NORMAL.withAborted()).isEqualTo(ConnectionStatus.ABORTED);
        assertThat(ConnectionStatus.ABORTED.withTimeout()).isEqualTo(ConnectionStatus.ABORTED_AND_TIMEOUT);
        assertThat(ConnectionStatus.TIMEOUT.withAborted()).isEqualTo(ConnectionStatus.ABORTED_AND_TIMEOUT);
        assertThat(ConnectionStatus.ABORTED.withAborted()).isEqualTo(ConnectionStatus.ABORTED);
        assertThat(ConnectionStatus.ABORTED_AND_TIMEOUT.isAborted()).isTrue();
        assertThat(ConnectionStatus.ABORTED_AND_TIMEOUT.isTimedOut()).isTrue();
        assertThat(ConnectionStatus.TIMEOUT.isAborted()).isFalse();
        assertThat(ConnectionStatus.NORMAL.isTimedOut()).isFalse();
    }

    @Test
    void parsesPhpNumbers() {
        for (ConnectionStatus status : ConnectionStatus.values()) {
            assertThat(ConnectionStatus.of(status.value())).isSameAs(status);
        }
        assertThatThrownBy(() -> ConnectionStatus.of(4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connection status must be 0, 1, 2 or 3, but was 4");
    }
}
