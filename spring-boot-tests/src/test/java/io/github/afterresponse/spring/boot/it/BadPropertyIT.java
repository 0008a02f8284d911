package io.github.afterresponse.spring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.afterresponse.spring.boot.it.app.TestApplication;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ApplicationListener;
import org.springframework.core.NestedExceptionUtils;

/** A refused property fails the start, and Boot's failure report names the property and the value. */
class BadPropertyIT {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "after-response.max-running        | 0         | must be between 1 and 1000000, but was 0",
            "after-response.time-limit         | -5s       | must be between 0 and 365d in whole milliseconds, but was PT-5S",
            "after-response.executor           | sometimes | must be container, dedicated, virtual, platform or jndi:<name>",
            "after-response.endpoint.max-tasks | 20000     | must be between 0 and 10000, but was 20000",
    })
    void startUpFailsNamingThePropertyAndTheValue(String property, String value, String reason) {
        AtomicReference<LogCapture> log = new AtomicReference<>();
        ApplicationListener<ApplicationPreparedEvent> capture = event -> log.set(new LogCapture(""));
        try {
            assertThatThrownBy(() -> Apps.start(new Class<?>[] {TestApplication.class}, List.of(capture),
                    property + "=" + value, "management.endpoints.web.exposure.include=afterresponse"))
                    .satisfies(e -> {
                        Throwable cause = e;
                        while (cause != null && !(cause instanceof InvalidConfigurationPropertyValueException)) {
                            cause = cause.getCause();
                        }
                        assertThat(cause).as("cause of " + NestedExceptionUtils.getMostSpecificCause(e))
                                .isInstanceOf(InvalidConfigurationPropertyValueException.class);
                        InvalidConfigurationPropertyValueException invalid = (InvalidConfigurationPropertyValueException) cause;
                        assertThat(invalid.getName()).isEqualTo(property);
                        assertThat(String.valueOf(invalid.getValue())).isEqualTo(value);
                        assertThat(invalid.getReason()).contains(reason);
                    });
            // Boot's own start-up report, from its failure analyzer.
            assertThat(log.get()).isNotNull();
            String report = log.get().events().stream().map(event -> event.getFormattedMessage())
                    .filter(message -> message.contains("APPLICATION FAILED TO START")).findFirst().orElseThrow();
            assertThat(report).contains("Invalid value '" + value + "' for configuration property '" + property + "'")
                    .contains(reason);
        } finally {
            if (log.get() != null) {
                log.get().close();
            }
        }
    }
}
