package io.github.afterresponse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Two configurations are equal when they behave alike, also once derived through
 * {@code toBuilder()}: a setting left to the executor's default is not the same as one set to the
 * value that default has today, since changing the executor changes only the first.
 */
class AfterResponseConfigEqualityTest {

    @Test
    void aDefaultAndTheSameValueSetAreDifferentConfigurations() {
        AfterResponseConfig unset = AfterResponseConfig.builder().build();
        AfterResponseConfig set = AfterResponseConfig.builder().maxRunning(AfterResponseConfig.DEFAULT_MAX_RUNNING).build();
        assertThat(unset.maxRunning()).isEqualTo(set.maxRunning());
        assertThat(unset).isNotEqualTo(set);
        assertThat(unset.toBuilder().executor(ExecutorChoice.platformThreads()).build().maxRunning()).isEqualTo(200);
        assertThat(set.toBuilder().executor(ExecutorChoice.platformThreads()).build().maxRunning()).isEqualTo(8);
    }

    @Test
    void equalConfigurationsStayEqualThroughToBuilder() {
        AfterResponseConfig a = AfterResponseConfig.builder().executor(ExecutorChoice.platformThreads()).threads(4).build();
        AfterResponseConfig b = AfterResponseConfig.builder().threads(4).executor(ExecutorChoice.platformThreads()).build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.toBuilder().maxRunning(50).build()).isEqualTo(b.toBuilder().maxRunning(50).build());
        assertThat(a.toBuilder().build()).isEqualTo(a);
    }
}
