package io.github.afterresponse.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DemoOptionsTest {

    @Test
    void defaultsToPort8080AndEmbeddedSmtp() {
        DemoOptions options = DemoOptions.parse();
        assertThat(options.httpPort()).isEqualTo(8080);
        assertThat(options.embeddedSmtp()).isTrue();
        assertThat(options.smtpPort()).isEqualTo(3025);
    }

    @Test
    void readsPortAndSmtp() {
        assertThat(DemoOptions.parse("--port=0", "--smtp=mail.example.com:25"))
                .isEqualTo(new DemoOptions(0, "mail.example.com", 25));
        assertThat(DemoOptions.parse("--smtp=embedded:0")).isEqualTo(new DemoOptions(8080, null, 0));
        assertThat(DemoOptions.parse("--smtp=embedded")).isEqualTo(DemoOptions.DEFAULTS);
    }

    @Test
    void refusesBadValuesNamingTheOption() {
        assertThatThrownBy(() -> DemoOptions.parse("--port=http"))
                .hasMessage("--port port must be between 0 and 65535, but was 'http'");
        assertThatThrownBy(() -> DemoOptions.parse("--smtp=localhost"))
                .hasMessage("--smtp must be embedded, embedded:PORT or HOST:PORT, but was 'localhost'");
        assertThatThrownBy(() -> DemoOptions.parse("--smtp=localhost:70000"))
                .hasMessage("--smtp port must be between 0 and 65535, but was '70000'");
        assertThatThrownBy(() -> DemoOptions.parse("--verbose")).hasMessageStartingWith("unknown option '--verbose'");
    }
}
