package io.github.afterresponse.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Durations as people write them in init-params and annotations: each accepted form, the refusals,
 * the shortest form {@code format} writes, and that what it writes reads back the same.
 */
class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "0,PT0S",
        "30,PT30S",
        "30s,PT30S",
        "30S,PT30S",
        "' 30 s ',PT30S",
        "250ms,PT0.25S",
        "10m,PT10M",
        "2h,PT2H",
        "1d,PT24H",
        "PT90S,PT1M30S",
        "pt0.5s,PT0.5S",
        "P1D,PT24H",
        "999999999,PT277777H46M39S",
    })
    void parsesEveryForm(String text, Duration expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "1.5s", "abc", "P", "PTxS", "10 minutes", "1234567890", "5w", "s"})
    void refusesWhatIsNotADuration(String text) {
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a duration: '" + text + "'");
    }

    @ParameterizedTest
    @CsvSource({
        "PT0S,0",
        "PT0.25S,250ms",
        "PT1.5S,1500ms",
        "PT30S,30s",
        "PT90S,90s",
        "PT10M,10m",
        "PT61M,61m",
        "PT2H,2h",
        "PT24H,1d",
    })
    void formatsInTheLargestUnitThatDividesIt(Duration duration, String text) {
        assertThat(Durations.format(duration)).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1ms", "250ms", "1500ms", "1s", "59s", "90s", "1m", "61m", "1h", "25h", "1d", "365d"})
    void formatReadsBack(String text) {
        Duration duration = Durations.parse(text);
        assertThat(Durations.format(duration)).isEqualTo(text);
        assertThat(Durations.parse(Durations.format(duration))).isEqualTo(duration);
    }

    @Test
    void checkAcceptsTheBoundsAndNamesTheSettingOtherwise() {
        Duration min = Duration.ofSeconds(1);
        Duration max = Duration.ofHours(1);
        assertThat(Durations.check(min, min, max, "grace")).isEqualTo(min);
        assertThat(Durations.check(max, min, max, "grace")).isEqualTo(max);
        assertThatThrownBy(() -> Durations.check(Duration.ofMillis(999), min, max, "grace"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("grace must be between 1s and 1h in whole milliseconds, but was PT0.999S");
        assertThatThrownBy(() -> Durations.check(max.plusMillis(1), min, max, "grace"))
                .hasMessage("grace must be between 1s and 1h in whole milliseconds, but was PT1H0.001S");
        assertThatThrownBy(() -> Durations.check(min.plusNanos(1), min, max, "grace"))
                .hasMessage("grace must be between 1s and 1h in whole milliseconds, but was PT1.000000001S");
        assertThatThrownBy(() -> Durations.check(null, min, max, "grace"))
                .hasMessage("grace must be between 1s and 1h in whole milliseconds, but was null");
    }
}
