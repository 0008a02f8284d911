package io.github.afterresponse.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * {@code after-response.buffer-limit} is a Boot {@code DataSize}, written as Boot writes sizes
 * ({@code 64KB}, {@code 1MB}, counted in 1024s, or bytes), not as core's init-param writes them
 * ({@code 64KiB}): docs/spring-boot.md says so, and a core-style value fails the binding naming the
 * property.
 */
class BufferLimitBindingTest {

    private static AfterResponseProperties bind(String value) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test",
                Map.of("after-response.buffer-limit", value)));
        ConfigurationPropertySources.attach(environment);
        return Binder.get(environment).bindOrCreate("after-response", AfterResponseProperties.class);
    }

    @ParameterizedTest(name = "buffer-limit={0}")
    @CsvSource({"1048576, 1048576", "64KB, 65536", "1MB, 1048576", "0, 0"})
    void bootSizesBindInBytes(String value, long bytes) {
        assertThat(bind(value).getBufferLimit().toBytes()).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "buffer-limit={0}")
    @ValueSource(strings = {"64KiB", "lots"})
    void otherSizesFailTheBindingNamingTheProperty(String value) {
        assertThatThrownBy(() -> bind(value))
                .isInstanceOf(BindException.class)
                .hasMessageContaining("after-response.buffer-limit");
    }
}
