package io.github.afterresponse.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Review: docs/spring-boot.md says each property "is the init-param of the same name of the core
 * filter, with the same meaning and range"; policies.md gives buffer-limit's values as
 * {@code 1048576}, {@code 64KiB}, {@code 1MiB}. Boot's DataSize refuses the last two.
 */
class ReviewBufferLimitTest {

    @ParameterizedTest(name = "buffer-limit={0}")
    @CsvSource({"1048576, 1048576", "64KiB, 65536", "1MiB, 1048576"})
    void theInitParamsValuesBindAsTheyDoInCore(String value, long bytes) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test",
                Map.of("after-response.buffer-limit", value)));
        ConfigurationPropertySources.attach(environment);
        AfterResponseProperties properties = Binder.get(environment)
                .bindOrCreate("after-response", AfterResponseProperties.class);
        assertThat(properties.getBufferLimit().toBytes()).isEqualTo(bytes);
    }
}
