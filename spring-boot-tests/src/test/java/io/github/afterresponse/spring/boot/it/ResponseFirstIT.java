package io.github.afterresponse.spring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.afterresponse.AfterResponseFilter;
import io.github.afterresponse.Outcome;
import io.github.afterresponse.spring.boot.it.app.Events;
import io.github.afterresponse.spring.boot.it.app.Held;
import io.github.afterresponse.spring.boot.it.app.Mailer;
import io.github.afterresponse.spring.boot.it.app.RecordingInitializer;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** The client has the whole response while the task still runs; then the callbacks run. */
class ResponseFirstIT {

    private static ConfigurableApplicationContext app;
    private static int port;

    @BeforeAll
    static void start() {
        app = Apps.start();
        port = Apps.port(app);
    }

    @AfterAll
    static void stop() {
        Held.releaseAll();
        app.close();
    }

    @AfterEach
    void release() {
        Held.releaseAll();
    }

    @Test
    void theClientHasTheCompleteResponseWhileTheTaskRunsThenTheCallbacksRun() throws Exception {
        Mailer.SENT.clear();
        try (LogCapture log = new LogCapture("io.github.afterresponse.spring.boot.it.app.CampaignController")) {
            RawHttp.Response response = RawHttp.post(port, "/campaigns?subject=Hello&to=ann@example.com&to=bob@example.com");

            // The task is blocked in the first send: the response came anyway, whole.
            assertThat(Held.entry("mailer").entered.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(response.status()).isEqualTo(202);
            assertThat(response.body()).isEqualTo("Queued 2 mails: Hello\n");
            assertThat(response.header("Content-Length"))
                    .isEqualTo(String.valueOf(response.body().getBytes(StandardCharsets.UTF_8).length));
            assertThat(response.header("Transfer-Encoding")).isNull();
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(Mailer.SENT).isEmpty();
            assertThat(log.contains("ended")).as("the callback has not run yet").isFalse();

            Held.entry("mailer").release();

            await().atMost(Duration.ofSeconds(10)).until(() -> log.contains("ended COMPLETED with status 0"));
            assertThat(Mailer.SENT).containsExactly("ann@example.com: Hello", "bob@example.com: Hello");
            // The CompletionCallback bean is told too, after the exchange's own callback.
            String exchangeId = log.events().stream().filter(e -> e.getFormattedMessage().contains("ended"))
                    .findFirst().orElseThrow().getFormattedMessage().split(" ")[0];
            await().atMost(Duration.ofSeconds(10)).until(() -> Events.completions().stream()
                    .anyMatch(c -> c.exchangeId().equals(exchangeId) && c.outcome() == Outcome.COMPLETED));
        }
    }

    @Test
    void oneFilterIsRegisteredAndNoServletContainerInitializerFromAJarRan() {
        ServletContext servletContext = app.getBean(ServletContext.class);
        Map<String, ? extends FilterRegistration> ours = servletContext.getFilterRegistrations();
        assertThat(ours).hasEntrySatisfying("afterResponse", registration -> assertThat(registration.getClassName())
                .isEqualTo("io.github.afterresponse.spring.boot.internal.BootAfterResponseFilter"));
        assertThat(ours.values()).filteredOn(r -> isAfterResponseFilter(r.getClassName())).hasSize(1);
        assertThat(ours.get("afterResponse").getUrlPatternMappings()).containsExactly("/*");
        // Core's AfterResponseInitializer is listed in META-INF/services exactly as this one is.
        assertThat(AfterResponseFilter.class.getClassLoader()
                .getResource("META-INF/services/jakarta.servlet.ServletContainerInitializer")).isNotNull();
        assertThat(RecordingInitializer.RUNS).hasValue(0);
    }

    static boolean isAfterResponseFilter(String className) {
        try {
            return AfterResponseFilter.class.isAssignableFrom(Class.forName(className));
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
