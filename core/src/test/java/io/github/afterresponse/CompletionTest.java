package io.github.afterresponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CompletionTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void derivesTimings() {
        Completion completion = new Completion("t-1", ConnectionStatus.NORMAL, Outcome.COMPLETED, null,
                T0, T0.plusMillis(20), T0.plusSeconds(5));
        assertThat(completion.responseTime()).contains(Duration.ofMillis(20));
        assertThat(completion.backgroundTime()).isEqualTo(Duration.ofMillis(4980));
        assertThat(completion.failure()).isEmpty();
        assertThat(completion.toString()).contains("t-1", "status 0 NORMAL", "COMPLETED");
    }

    @Test
    void withoutResponseThereIsNoResponseTime() {
        RuntimeException boom = new RuntimeException("boom");
        Completion completion = new Completion("t-2", ConnectionStatus.NORMAL, Outcome.FAILED, boom,
                T0, null, T0.plusMillis(3));
        assertThat(completion.responseTime()).isEmpty();
        assertThat(completion.backgroundTime()).isZero();
        assertThat(completion.failure()).containsSame(boom);
    }

    @Test
    void failedNeedsItsFailure() {
        assertThatThrownBy(() -> new Completion("t", ConnectionStatus.NORMAL, Outcome.FAILED, null, T0, null, T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FAILED completion must carry its failure");
    }

    @Test
    void instantsMustBeOrdered() {
        assertThatThrownBy(() -> new Completion("t", ConnectionStatus.NORMAL, Outcome.COMPLETED, null,
                T0, T0.minusMillis(1), T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("accepted <= responded <= finished");
    }
}
