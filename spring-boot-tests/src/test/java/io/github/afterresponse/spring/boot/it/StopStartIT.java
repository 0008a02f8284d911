package io.github.afterresponse.spring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.spring.boot.it.app.Held;
import java.util.concurrent.TimeUnit;
import java.lang.reflect.Method;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A context that is stopped and started again (ConfigurableApplicationContext.stop() and start(),
 * which is what Spring's CRaC checkpoint/restore does: Boot's web server removes its connectors
 * and adds them back, the servlet context stays) serves through the filter again.
 */
class StopStartIT {

    @AfterEach
    void release() {
        Held.releaseAll();
    }

    @Test
    void afterTheContextIsStoppedAndStartedAgainTheFilterStillServes() throws Exception {
        try (ConfigurableApplicationContext app = Apps.start()) {
            RawHttp.Response before = RawHttp.get(Apps.port(app), "/held?key=s1");
            assertThat(before.status()).isEqualTo(200);
            Held.entry("s1").release();
            Held.entry("s1").completion.get(10, TimeUnit.SECONDS);

            app.stop();
            app.start();

            RawHttp.Response after = RawHttp.get(Apps.port(app), "/held?key=s2");
            assertThat(after.status()).as("a request after the restart: " + after.body()).isEqualTo(200);
            Held.entry("s2").release();
            assertThat(Held.entry("s2").completion.get(10, TimeUnit.SECONDS).exchangeId()).isNotBlank();
        }
    }

    /**
     * Spring Framework 7 (Boot 4): ConfigurableApplicationContext.pause() stops the pauseable
     * lifecycles only. Boot 4's web server lifecycles are not pauseable, so the server keeps
     * serving, and so must the filter.
     */
    @Test
    void aPausedContextsWebServerStillServesThroughTheFilter() throws Exception {
        Method pause;
        try {
            pause = ConfigurableApplicationContext.class.getMethod("pause");
        } catch (NoSuchMethodException e) {
            Assumptions.abort("ConfigurableApplicationContext.pause() is Spring Framework 7 (Boot 4)");
            return;
        }
        try (ConfigurableApplicationContext app = Apps.start()) {
            pause.invoke(app);
            RawHttp.Response during = RawHttp.get(Apps.port(app), "/held?key=p1");
            assertThat(during.status()).as("a request while the context is paused: " + during.body()).isEqualTo(200);
            Held.entry("p1").release();
            app.start();
            RawHttp.Response after = RawHttp.get(Apps.port(app), "/held?key=p2");
            assertThat(after.status()).as("a request after the pause: " + after.body()).isEqualTo(200);
            Held.entry("p2").release();
        }
    }
}
