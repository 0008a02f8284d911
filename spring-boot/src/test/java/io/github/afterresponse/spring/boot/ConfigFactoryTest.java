package io.github.afterresponse.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.ExecutorChoice;
import io.github.afterresponse.spring.boot.internal.ConfigFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** Properties onto the core configuration, as Boot binds them. */
class ConfigFactoryTest {

    private static StandardEnvironment environment(Map<String, Object> values) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", values));
        ConfigurationPropertySources.attach(environment);
        return environment;
    }

    private static AfterResponseConfig config(String... keyValues) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        StandardEnvironment environment = environment(values);
        AfterResponseProperties properties = Binder.get(environment)
                .bindOrCreate("after-response", AfterResponseProperties.class);
        return new ConfigFactory(properties, environment).create(List.of(), List.of());
    }

    @Test
    void theDefaultsAreCoresExceptJmxWhichFollowsSpringJmxEnabled() {
        assertThat(config()).isEqualTo(AfterResponseConfig.defaults().toBuilder().jmx(false).build());
        assertThat(config("spring.jmx.enabled", "true").jmx()).isTrue();
        assertThat(config("spring.jmx.enabled", "true", "after-response.jmx", "false").jmx()).isFalse();
        // The values the metadata shows as defaults are core's.
        AfterResponseProperties properties = new AfterResponseProperties();
        AfterResponseConfig defaults = AfterResponseConfig.defaults();
        assertThat(properties.getBufferLimit().toBytes()).isEqualTo(defaults.bufferLimit());
        assertThat(properties.getRetryAfter()).isEqualTo(defaults.retryAfter());
        assertThat(properties.getShutdownGrace()).isEqualTo(defaults.shutdownGrace());
        assertThat(properties.getTimeLimit()).isEqualTo(defaults.timeLimit());
        assertThat(defaults.queueCapacity()).isEqualTo(256); // the metadata's default of queue-capacity
    }

    @Test
    void everySettingReachesTheConfiguration() {
        AfterResponseConfig config = config("after-response.buffer-limit", "64KB", "after-response.connection-close", "false",
                "after-response.snapshot-attributes", "a,b", "after-response.snapshot-session-attributes", "cart",
                "after-response.abort-policy", "continue", "after-response.time-limit", "90",
                "after-response.executor", "platform", "after-response.max-running", "20", "after-response.threads", "4",
                "after-response.queue-capacity", "0", "after-response.retry-after", "7s",
                "after-response.shutdown-grace", "2m", "after-response.discover-context-propagators", "false");
        assertThat(config.bufferLimit()).isEqualTo(64 * 1024);
        assertThat(config.connectionClose()).isFalse();
        assertThat(config.snapshotAttributes()).containsExactlyInAnyOrder("a", "b");
        assertThat(config.snapshotSessionAttributes()).containsExactly("cart");
        assertThat(config.abortPolicy()).isEqualTo(io.github.afterresponse.AbortPolicy.CONTINUE);
        assertThat(config.timeLimit()).as("a bare number is seconds, as in core").isEqualTo(Duration.ofSeconds(90));
        assertThat(config.executor()).isEqualTo(ExecutorChoice.platformThreads());
        assertThat(config.maxRunning()).isEqualTo(20);
        assertThat(config.threads()).isEqualTo(4);
        assertThat(config.queueCapacity()).isZero();
        assertThat(config.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.discoverContextPropagators()).isFalse();
        assertThat(config("after-response.executor", "jndi:java:comp/DefaultManagedExecutorService").executor())
                .isEqualTo(ExecutorChoice.jndi("java:comp/DefaultManagedExecutorService"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "max-running      | 0          | must be between 1 and 1000000, but was 0",
            "time-limit       | -5s        | must be between 0 and 365d in whole milliseconds, but was PT-5S",
            "executor         | sometimes  | must be container, dedicated, virtual, platform or jndi:<name>",
            "queue-capacity   | -1         | must be between 0 and 1000000, but was -1",
            "retry-after      | 1500ms     | must be whole seconds, but was PT1.5S",
            "shutdown-grace   | 2h         | must be between 0 and 1h",
            "buffer-limit     | 2GB        | must be between 0 and 1GiB",
            "threads          | 3          | threads applies only to the platform executor",
            "context-propagators | com.example.Missing | must be comma-separated class names of public ContextPropagator implementations with a public no-argument constructor, but was 'com.example.Missing': com.example.Missing cannot be loaded",
    })
    void aRefusedValueNamesItsPropertyAndValue(String property, String value, String reason) {
        assertThatThrownBy(() -> config("after-response." + property, value))
                .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
                    assertThat(e.getName()).isEqualTo("after-response." + property);
                    assertThat(e.getValue()).isEqualTo(value);
                    assertThat(e.getReason()).contains(reason);
                    assertThat(e.getMessage()).contains("after-response." + property).contains(value);
                });
    }

    @Test
    void threadsAboveMaxRunningNamesBoth() {
        assertThatThrownBy(() -> config("after-response.executor", "platform", "after-response.max-running", "2",
                "after-response.threads", "5"))
                .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
                    assertThat(e.getName()).isEqualTo("after-response.threads");
                    assertThat(e.getReason()).isEqualTo("must be at most after-response.max-running (2), but was 5");
                });
    }

    @Test
    void aContextPropagatorClassThatIsNotOneIsRefused() {
        assertThatThrownBy(() -> config("after-response.context-propagators", "java.lang.String"))
                .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class,
                        e -> assertThat(e.getName()).isEqualTo("after-response.context-propagators"));
        assertThatThrownBy(() -> config("after-response.context-propagators", "com.example.Missing"))
                .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class,
                        e -> assertThat(e.getReason()).contains("com.example.Missing cannot be loaded"));
    }

    @Test
    void virtualThreadsFollowSpringThreadsVirtualEnabledWhenTheExecutorIsNotSet() {
        ExecutorChoice expected = Runtime.version().feature() >= 21 ? ExecutorChoice.virtualThreads() : ExecutorChoice.container();
        assertThat(config("spring.threads.virtual.enabled", "true").executor()).isEqualTo(expected);
        assertThat(config("spring.threads.virtual.enabled", "true", "after-response.executor", "platform").executor())
                .isEqualTo(ExecutorChoice.platformThreads());
        assertThat(config("spring.threads.virtual.enabled", "false").executor()).isEqualTo(ExecutorChoice.container());
    }

    @Test
    void aJndiExecutorIsLookedUpOnlyByTheStartUpCheckWhichNamesThePropertyWhenItIsNotBound() {
        StandardEnvironment environment = environment(
                Map.of("after-response.executor", "jndi:java:comp/DefaultManagedExecutorService"));
        AfterResponseProperties properties = Binder.get(environment)
                .bindOrCreate("after-response", AfterResponseProperties.class);
        ConfigFactory factory = new ConfigFactory(properties, environment);
        AfterResponseConfig config = factory.create(List.of(), List.of()); // no JNDI here, and no lookup yet

        assertThatThrownBy(factory.startupCheck(config)::run)
                .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
                    assertThat(e.getName()).isEqualTo("after-response.executor");
                    assertThat(e.getValue()).isEqualTo("jndi:java:comp/DefaultManagedExecutorService");
                    assertThat(e.getReason()).startsWith("must name an Executor bound in JNDI");
                });
    }
}
