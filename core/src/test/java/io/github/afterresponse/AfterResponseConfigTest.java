package io.github.afterresponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AfterResponseConfigTest {

    @Test
    void defaults() {
        AfterResponseConfig config = AfterResponseConfig.defaults();
        assertThat(config.bufferLimit()).isEqualTo(1024 * 1024);
        assertThat(config.connectionClose()).isTrue();
        assertThat(config.snapshotAttributes()).isEmpty();
        assertThat(AfterResponseConfig.fromInitParameters(Map.of())).isEqualTo(config);
    }

    @Test
    void builderRoundTrips() {
        AfterResponseConfig config = AfterResponseConfig.builder()
                .bufferLimit(4096)
                .connectionClose(false)
                .snapshotAttributes("user", "tenant")
                .build();
        assertThat(config.bufferLimit()).isEqualTo(4096);
        assertThat(config.connectionClose()).isFalse();
        assertThat(config.snapshotAttributes()).containsExactlyInAnyOrder("user", "tenant");
        assertThat(config.toBuilder().build()).isEqualTo(config).hasSameHashCodeAs(config);
        assertThat(config.toString()).contains("bufferLimit=4KiB");
    }

    @Test
    void builderRejectsBadValuesAtOnce() {
        assertThatThrownBy(() -> AfterResponseConfig.builder().bufferLimit(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bufferLimit must be between 0 and 1GiB, but was -1");
        assertThatThrownBy(() -> AfterResponseConfig.builder().snapshotAttributes("ok", " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("snapshotAttributes must be attribute names, but contained ' '");
    }

    @ParameterizedTest
    @CsvSource({"1048576,1048576", "64KiB,65536", "1MiB,1048576", "2m,2097152", "0,0", "1GiB,1073741824", "512 b,512"})
    void readsBufferLimitSizes(String text, int bytes) {
        assertThat(AfterResponseConfig.fromInitParameters(Map.of("buffer-limit", text)).bufferLimit()).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource({"-1", "lots", "2GiB", "1.5MiB", "''"})
    void refusesBadBufferLimitNamingParameterAndValue(String text) {
        assertThatThrownBy(() -> AfterResponseConfig.fromInitParameters(Map.of("buffer-limit", text)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("init-param buffer-limit must be a byte size from 0 to 1GiB such as 1048576, 64KiB or 1MiB, "
                        + "but was '" + text + "'");
    }

    @Test
    void readsEveryInitParameter() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("buffer-limit", "8KiB");
        params.put("connection-close", "FALSE");
        params.put("snapshot-attributes", " user , tenant,, ");
        AfterResponseConfig config = AfterResponseConfig.fromInitParameters(params);
        assertThat(config.bufferLimit()).isEqualTo(8192);
        assertThat(config.connectionClose()).isFalse();
        assertThat(config.snapshotAttributes()).containsExactlyInAnyOrder("user", "tenant");
    }

    @Test
    void refusesBadBoolean() {
        assertThatThrownBy(() -> AfterResponseConfig.fromInitParameters(Map.of("connection-close", "yes")))
                .hasMessage("init-param connection-close must be true or false, but was 'yes'");
    }

    @Test
    void refusesUnknownParameterListingTheKnownOnes() {
        assertThatThrownBy(() -> AfterResponseConfig.fromInitParameters(Map.of("bufer-limit", "1MiB")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("init-param bufer-limit must be one of buffer-limit, connection-close, snapshot-attributes, "
                        + "snapshot-session-attributes, abort-policy, time-limit, max-running, threads, queue-capacity, retry-after, shutdown-grace, executor, "
                        + "jmx, context-propagators, discover-context-propagators (it is not a setting of After Response), but was '1MiB'");
    }

    @Test
    void builderTakesOneSettingAsItsInitParamWritesIt() {
        AfterResponseConfig config = AfterResponseConfig.builder()
                .initParameter("executor", "platform")
                .initParameter("time-limit", "90")
                .build();
        assertThat(config.executor()).isEqualTo(ExecutorChoice.platformThreads());
        assertThat(config.timeLimit()).isEqualTo(java.time.Duration.ofSeconds(90));
        assertThatThrownBy(() -> AfterResponseConfig.builder().initParameter("executor", "sometimes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("executor must be container, dedicated, virtual, platform or jndi:<name>")
                .hasMessageEndingWith("but was 'sometimes'");
        assertThatThrownBy(() -> AfterResponseConfig.builder().initParameter("exector", "platform"))
                .hasMessageStartingWith("exector must be one of buffer-limit, ");
    }
}
