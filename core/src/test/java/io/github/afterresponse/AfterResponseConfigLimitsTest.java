package io.github.afterresponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The settings added for limits, admission, shutdown, executors and JMX: their defaults, every
 * written form each init-param accepts, the exact message of every refusal ("init-param X must be
 * …, but was 'V'"), the builder's own checks, and that {@code toBuilder} and {@code toString}
 * carry all of them.
 */
class AfterResponseConfigLimitsTest {

    private static AfterResponseConfig read(String name, String value) {
        return AfterResponseConfig.fromInitParameters(Map.of(name, value));
    }

    private static void assertRefused(String name, String value, String must) {
        assertThatThrownBy(() -> read(name, value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("init-param " + name + " must be " + must + ", but was '" + value + "'");
    }

    @Test
    void defaults() {
        AfterResponseConfig config = AfterResponseConfig.defaults();
        assertThat(config.abortPolicy()).isEqualTo(AbortPolicy.CANCEL);
        assertThat(config.timeLimit()).isEqualTo(Duration.ZERO);
        assertThat(config.maxRunning()).isEqualTo(8).isEqualTo(AfterResponseConfig.DEFAULT_MAX_RUNNING);
        assertThat(config.queueCapacity()).isEqualTo(256).isEqualTo(AfterResponseConfig.DEFAULT_QUEUE_CAPACITY);
        assertThat(config.retryAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.executor()).isEqualTo(ExecutorChoice.container());
        assertThat(config.jmx()).isTrue();
        assertThat(AfterResponseConfig.builder().build()).isEqualTo(config);
    }

    @Test
    void defaultsReadAsTheyAreDocumented() {
        assertThat(AfterResponseConfig.defaults()).hasToString("AfterResponseConfig[bufferLimit=1MiB, "
                + "connectionClose=true, snapshotAttributes=[], snapshotSessionAttributes=[], abortPolicy=cancel, "
                + "timeLimit=0, maxRunning=8, threads=8, "
                + "queueCapacity=256, retryAfter=5s, shutdownGrace=30s, executor=container, jmx=true, contextPropagators=[], discoverContextPropagators=true]");
    }

    // abort-policy

    @ParameterizedTest
    @CsvSource({"cancel,CANCEL", "continue,CONTINUE", "CONTINUE,CONTINUE", "' Cancel ',CANCEL"})
    void readsAbortPolicy(String text, AbortPolicy policy) {
        assertThat(read("abort-policy", text).abortPolicy()).isEqualTo(policy);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sometimes", "ignore", ""})
    void refusesBadAbortPolicy(String text) {
        assertRefused("abort-policy", text, "cancel or continue");
    }

    // time-limit

    @ParameterizedTest
    @CsvSource({
        "30,PT30S",         // a bare number is seconds, as PHP counts
        "30s,PT30S",
        "250ms,PT0.25S",
        "10m,PT10M",
        "2h,PT2H",
        "PT90S,PT1M30S",
        "pt90s,PT1M30S",
        "0,PT0S",           // none
        "365d,PT8760H",     // the largest
        "' 45 s ',PT45S",
    })
    void readsTimeLimitInEveryForm(String text, Duration limit) {
        assertThat(read("time-limit", text).timeLimit()).isEqualTo(limit);
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "-1", "1.5s", "366d", "PT-1S", "PT0.0005S", "10 minutes", "1234567890", ""})
    void refusesBadTimeLimit(String text) {
        assertRefused("time-limit", text, "a duration from 0 (none) to 365d such as 30, 30s, 10m, 2h or PT90S");
    }

    // max-running

    @ParameterizedTest
    @CsvSource({"1,1", "8,8", "10000,10000", "1000000,1000000", "' 42 ',42"})
    void readsMaxRunning(String text, int exchanges) {
        assertThat(read("max-running", text).maxRunning()).isEqualTo(exchanges);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1000001", "-1", "many", "2.5", ""})
    void refusesMaxRunningOutOfRange(String text) {
        assertRefused("max-running", text, "an integer from 1 to 1000000");
    }

    // queue-capacity

    @ParameterizedTest
    @CsvSource({"0,0", "256,256", "1000000,1000000"})
    void readsQueueCapacity(String text, int exchanges) {
        assertThat(read("queue-capacity", text).queueCapacity()).isEqualTo(exchanges);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1000001", "lots"})
    void refusesQueueCapacityOutOfRange(String text) {
        assertRefused("queue-capacity", text, "an integer from 0 to 1000000");
    }

    // retry-after

    @ParameterizedTest
    @CsvSource({"1,PT1S", "5,PT5S", "30s,PT30S", "2m,PT2M", "1d,PT24H", "PT10S,PT10S", "2000ms,PT2S"})
    void readsRetryAfter(String text, Duration retryAfter) {
        assertThat(read("retry-after", text).retryAfter()).isEqualTo(retryAfter);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "500ms", "1500ms", "2d", "later"})
    void refusesRetryAfterThatIsNotWholeSecondsFromOneSecondToOneDay(String text) {
        assertRefused("retry-after", text, "whole seconds from 1s to 1d such as 5 or 30s");
    }

    // shutdown-grace

    @ParameterizedTest
    @CsvSource({"0,PT0S", "30s,PT30S", "2m,PT2M", "1h,PT1H", "250ms,PT0.25S"})
    void readsShutdownGrace(String text, Duration grace) {
        assertThat(read("shutdown-grace", text).shutdownGrace()).isEqualTo(grace);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2h", "61m", "-1", "forever"})
    void refusesShutdownGraceAboveAnHour(String text) {
        assertRefused("shutdown-grace", text, "a duration from 0 to 1h such as 30s or 2m");
    }

    // executor

    @Test
    void readsEveryExecutorChoice() {
        assertThat(read("executor", "container").executor()).isEqualTo(ExecutorChoice.container());
        assertThat(read("executor", "dedicated").executor()).isEqualTo(ExecutorChoice.dedicated());
        assertThat(read("executor", " Dedicated ").executor()).isEqualTo(ExecutorChoice.dedicated());
        assertThat(read("executor", "virtual").executor()).isEqualTo(ExecutorChoice.virtualThreads()).hasToString("virtual");
        assertThat(read("executor", "Platform").executor()).isEqualTo(ExecutorChoice.platformThreads())
                .hasToString("platform");
        ExecutorChoice jndi = read("executor", "jndi:java:comp/env/x").executor();
        assertThat(jndi).isEqualTo(ExecutorChoice.jndi("java:comp/env/x"));
        assertThat(jndi).isInstanceOfSatisfying(ExecutorChoice.Jndi.class,
                choice -> assertThat(choice.name()).isEqualTo("java:comp/env/x"));
        assertThat(jndi).hasToString("jndi:java:comp/env/x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pool", "jndi:", "jndi:   ", "java:comp/env/x", "virtual-threads", ""})
    void refusesBadExecutor(String text) {
        assertRefused("executor", text, "container, dedicated, virtual, platform or jndi:<name> (such as "
                + "jndi:java:comp/DefaultManagedExecutorService)");
    }

    // max-running's default, and threads

    @Test
    void maxRunningDefaultsToWhatTheExecutorsThreadsCanHold() {
        assertThat(AfterResponseConfig.defaults().maxRunning()).isEqualTo(AfterResponseConfig.DEFAULT_MAX_RUNNING);
        assertThat(read("executor", "jndi:java:comp/env/x").maxRunning()).isEqualTo(8);
        assertThat(read("executor", "platform").maxRunning()).isEqualTo(200)
                .isEqualTo(AfterResponseConfig.DEFAULT_MAX_RUNNING_PLATFORM);
        assertThat(read("executor", "virtual").maxRunning()).isEqualTo(100_000)
                .isEqualTo(AfterResponseConfig.DEFAULT_MAX_RUNNING_VIRTUAL);
        assertThat(read("executor", "dedicated").maxRunning())
                .isEqualTo(Runtime.version().feature() >= 21 ? 100_000 : 200);
        assertThat(AfterResponseConfig.fromInitParameters(Map.of("executor", "virtual", "max-running", "7"))
                .maxRunning()).isEqualTo(7);
    }

    @Test
    void threadsDefaultToMaxRunningUpTo200() {
        assertThat(read("executor", "platform").threads()).isEqualTo(200);
        assertThat(AfterResponseConfig.fromInitParameters(Map.of("executor", "platform", "max-running", "5000"))
                .threads()).isEqualTo(AfterResponseConfig.DEFAULT_THREADS);
        assertThat(AfterResponseConfig.fromInitParameters(Map.of("executor", "platform", "max-running", "12"))
                .threads()).isEqualTo(12);
        AfterResponseConfig separate = AfterResponseConfig.fromInitParameters(
                Map.of("executor", "platform", "max-running", "10000", "threads", "1000"));
        assertThat(separate.maxRunning()).isEqualTo(10_000);
        assertThat(separate.threads()).isEqualTo(1000);
        assertThat(AfterResponseConfig.fromInitParameters(Map.of("executor", "dedicated", "threads", "3")).threads())
                .isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "10001", "-2", "some"})
    void refusesBadThreads(String text) {
        assertThatThrownBy(() -> AfterResponseConfig.fromInitParameters(Map.of("executor", "platform", "threads", text)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("init-param threads must be an integer from 1 to 10000, but was '" + text + "'");
    }

    @Test
    void refusesThreadsAboveMaxRunningOrWithoutPlatformThreads() {
        assertThatThrownBy(() -> AfterResponseConfig.fromInitParameters(
                        Map.of("executor", "platform", "max-running", "8", "threads", "50")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("init-param threads must be at most max-running (8), but was 50");
        assertThatThrownBy(() -> AfterResponseConfig.fromInitParameters(Map.of("threads", "4")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("init-param threads applies only to the platform executor (and dedicated before Java 21), "
                        + "but was set to 4 with executor container");
        assertThatThrownBy(() -> AfterResponseConfig.builder().executor(ExecutorChoice.virtualThreads()).threads(4).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threads applies only to the platform executor (and dedicated before Java 21), "
                        + "but was set to 4 with executor virtual");
    }

    @Test
    void toBuilderKeepsDefaultsThatFollowTheExecutor() {
        AfterResponseConfig container = AfterResponseConfig.defaults();
        AfterResponseConfig onVirtual = container.toBuilder().executor(ExecutorChoice.virtualThreads()).build();
        assertThat(onVirtual.maxRunning()).isEqualTo(100_000);
        AfterResponseConfig set = container.toBuilder().maxRunning(9).build();
        assertThat(set.toBuilder().executor(ExecutorChoice.virtualThreads()).build().maxRunning()).isEqualTo(9);
    }

    // jmx

    @ParameterizedTest
    @CsvSource({"true,true", "false,false", "FALSE,false"})
    void readsJmx(String text, boolean jmx) {
        assertThat(read("jmx", text).jmx()).isEqualTo(jmx);
    }

    @Test
    void refusesBadJmx() {
        assertRefused("jmx", "yes", "true or false");
    }

    // the builder

    @Test
    void builderRefusesOutOfRangeNumbers() {
        assertThatThrownBy(() -> AfterResponseConfig.builder().maxRunning(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRunning must be between 1 and 1000000, but was 0");
        assertThatThrownBy(() -> AfterResponseConfig.builder().maxRunning(1_000_001))
                .hasMessage("maxRunning must be between 1 and 1000000, but was 1000001");
        assertThatThrownBy(() -> AfterResponseConfig.builder().threads(0))
                .hasMessage("threads must be between 1 and 10000, but was 0");
        assertThatThrownBy(() -> AfterResponseConfig.builder().queueCapacity(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("queueCapacity must be between 0 and 1000000, but was -1");
        assertThatThrownBy(() -> AfterResponseConfig.builder().queueCapacity(1_000_001))
                .hasMessage("queueCapacity must be between 0 and 1000000, but was 1000001");
    }

    @Test
    void builderRefusesOutOfRangeDurations() {
        assertThatThrownBy(() -> AfterResponseConfig.builder().timeLimit(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeLimit must be between 0 and 365d in whole milliseconds, but was PT-1S");
        assertThatThrownBy(() -> AfterResponseConfig.builder().timeLimit(Duration.ofDays(366)))
                .hasMessage("timeLimit must be between 0 and 365d in whole milliseconds, but was PT8784H");
        assertThatThrownBy(() -> AfterResponseConfig.builder().timeLimit(Duration.ofNanos(1_500_000)))
                .hasMessage("timeLimit must be between 0 and 365d in whole milliseconds, but was PT0.0015S");
        assertThatThrownBy(() -> AfterResponseConfig.builder().timeLimit(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeLimit must be between 0 and 365d in whole milliseconds, but was null");
        assertThatThrownBy(() -> AfterResponseConfig.builder().retryAfter(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retryAfter must be between 1s and 1d in whole milliseconds, but was PT0S");
        assertThatThrownBy(() -> AfterResponseConfig.builder().retryAfter(Duration.ofMillis(1500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retryAfter must be whole seconds, but was PT1.5S");
        assertThatThrownBy(() -> AfterResponseConfig.builder().retryAfter(Duration.ofDays(2)))
                .hasMessage("retryAfter must be between 1s and 1d in whole milliseconds, but was PT48H");
        assertThatThrownBy(() -> AfterResponseConfig.builder().shutdownGrace(Duration.ofHours(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shutdownGrace must be between 0 and 1h in whole milliseconds, but was PT2H");
        assertThatThrownBy(() -> AfterResponseConfig.builder().shutdownGrace(Duration.ofMillis(-1)))
                .hasMessage("shutdownGrace must be between 0 and 1h in whole milliseconds, but was PT-0.001S");
    }

    @Test
    void builderRefusesMissingChoices() {
        assertThatThrownBy(() -> AfterResponseConfig.builder().abortPolicy(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("abortPolicy");
        assertThatThrownBy(() -> AfterResponseConfig.builder().executor(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("executor");
        assertThatThrownBy(() -> ExecutorChoice.jndi(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("executor JNDI name must be a name such as java:comp/DefaultManagedExecutorService, "
                        + "but was ' '");
        assertThatThrownBy(() -> ExecutorChoice.of(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("executor");
    }

    @Test
    void givenExecutorsAreEqualOnlyWhenTheSame() {
        Executor direct = Runnable::run;
        ExecutorChoice given = ExecutorChoice.of(direct);
        assertThat(given).isInstanceOfSatisfying(ExecutorChoice.Given.class,
                choice -> assertThat(choice.executor()).isSameAs(direct));
        assertThat(given).isEqualTo(ExecutorChoice.of(direct)).hasSameHashCodeAs(ExecutorChoice.of(direct));
        assertThat(given).isNotEqualTo(ExecutorChoice.of(Runnable::run));
        assertThat(given.toString()).startsWith("given:");
    }

    // every setting together

    private static Map<String, String> everySettingChanged() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("snapshot-session-attributes", "user");
        params.put("abort-policy", "continue");
        params.put("time-limit", "250ms");
        params.put("max-running", "3");
        params.put("queue-capacity", "0");
        params.put("retry-after", "2m");
        params.put("shutdown-grace", "0");
        params.put("executor", "jndi:java:comp/env/x");
        params.put("jmx", "false");
        params.put("discover-context-propagators", "false");
        return params;
    }

    @Test
    void initParamsAndBuilderMakeTheSameConfiguration() {
        AfterResponseConfig built = AfterResponseConfig.builder()
                .abortPolicy(AbortPolicy.CONTINUE)
                .timeLimit(Duration.ofMillis(250))
                .maxRunning(3)
                .queueCapacity(0)
                .retryAfter(Duration.ofMinutes(2))
                .shutdownGrace(Duration.ZERO)
                .executor(ExecutorChoice.jndi("java:comp/env/x"))
                .jmx(false)
                .snapshotSessionAttributes("user")
                .discoverContextPropagators(false)
                .build();
        assertThat(AfterResponseConfig.fromInitParameters(everySettingChanged()))
                .isEqualTo(built)
                .hasSameHashCodeAs(built);
    }

    @Test
    void toBuilderKeepsEverySetting() {
        AfterResponseConfig config = AfterResponseConfig.fromInitParameters(everySettingChanged());
        AfterResponseConfig copy = config.toBuilder().build();
        assertThat(copy).isEqualTo(config).hasSameHashCodeAs(config).isNotEqualTo(AfterResponseConfig.defaults());
        assertThat(copy.abortPolicy()).isEqualTo(AbortPolicy.CONTINUE);
        assertThat(copy.timeLimit()).isEqualTo(Duration.ofMillis(250));
        assertThat(copy.maxRunning()).isEqualTo(3);
        assertThat(copy.queueCapacity()).isZero();
        assertThat(copy.retryAfter()).isEqualTo(Duration.ofMinutes(2));
        assertThat(copy.shutdownGrace()).isEqualTo(Duration.ZERO);
        assertThat(copy.executor()).isEqualTo(ExecutorChoice.jndi("java:comp/env/x"));
        assertThat(copy.jmx()).isFalse();
        assertThat(copy.snapshotSessionAttributes()).containsExactly("user");
        assertThat(copy.discoverContextPropagators()).isFalse();
        assertThat(config.toBuilder().maxRunning(4).build()).isNotEqualTo(config);
    }

    @Test
    void toStringWritesEverySettingAsItsInitParamTakesIt() {
        assertThat(AfterResponseConfig.fromInitParameters(everySettingChanged())).hasToString("AfterResponseConfig["
                + "bufferLimit=1MiB, connectionClose=true, snapshotAttributes=[], snapshotSessionAttributes=[user], "
                + "abortPolicy=continue, "
                + "timeLimit=250ms, maxRunning=3, threads=3, queueCapacity=0, retryAfter=2m, shutdownGrace=0, "
                + "executor=jndi:java:comp/env/x, jmx=false, contextPropagators=[], discoverContextPropagators=false]");
    }
}
