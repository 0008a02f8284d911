package io.github.afterresponse.spring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.spring.boot.internal.FilterLifecycle;
import io.github.afterresponse.spring.boot.it.app.Held;
import io.github.afterresponse.spring.boot.it.app.TestApplication;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * A context stopped and started again (CRaC) has the filter running again before the web server
 * serves again, and the filter's counters go on from where they were.
 */
class RestartIT {

    @AfterEach
    void release() {
        Held.releaseAll();
    }

    /**
     * A lifecycle in the phases between the web server's (DEFAULT_PHASE - 2048) and the filter
     * lifecycle's: on a restart it starts after the server serves again, and asks it for a page,
     * as a client would in that moment (after a CRaC restore, the load balancer's traffic).
     */
    @Configuration(proxyBeanMethods = false)
    static class AskAfterServerStart {
        static final AtomicInteger STATUS_ON_RESTART = new AtomicInteger(-1);

        @Bean
        SmartLifecycle askAfterServerStart(Environment environment) {
            return new SmartLifecycle() {
                private volatile boolean running;
                private volatile boolean stoppedOnce;

                @Override
                public void start() {
                    running = true;
                    if (stoppedOnce) {
                        try {
                            int port = environment.getRequiredProperty("local.server.port", Integer.class);
                            STATUS_ON_RESTART.set(RawHttp.get(port, "/held?key=w1").status());
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }

                @Override
                public void stop() {
                    running = false;
                    stoppedOnce = true;
                }

                @Override
                public boolean isRunning() {
                    return running;
                }

                @Override
                public int getPhase() {
                    return FilterLifecycle.PHASE - 256;
                }
            };
        }
    }

    @Test
    void aRequestThatArrivesOnceTheServerServesAgainIsNotRefusedByTheStillStoppedFilter() throws Exception {
        try (ConfigurableApplicationContext app = Apps.start(new Class<?>[] {TestApplication.class,
                AskAfterServerStart.class})) {
            app.stop();
            app.start();
            Held.entry("w1").release(); // its task would otherwise hold the stop for the whole grace

            assertThat(AskAfterServerStart.STATUS_ON_RESTART.get())
                    .as("status of a request served by the restarted web server before the filter lifecycle's start "
                            + "(the web server starts its connectors in an earlier phase)")
                    .isEqualTo(200);
        }
    }

    @Test
    void theAcceptedCounterDoesNotGoBackwardsAcrossAStopAndStart() throws Exception {
        try (ConfigurableApplicationContext app = Apps.start()) {
            assertThat(RawHttp.get(Apps.port(app), "/held?key=c1").status()).isEqualTo(200);
            Held.entry("c1").release();
            Held.entry("c1").completion.get(10, TimeUnit.SECONDS);
            MeterRegistry meters = app.getBean(MeterRegistry.class);
            double before = meters.get("after.response.exchanges.accepted").tag("filter", "afterResponse")
                    .functionCounter().count();
            assertThat(before).isEqualTo(1);

            app.stop();
            app.start();

            assertThat(meters.get("after.response.exchanges.accepted").tag("filter", "afterResponse")
                    .functionCounter().count())
                    .as("after.response.exchanges.accepted, a Micrometer counter, after the restart")
                    .isGreaterThanOrEqualTo(before);
        }
    }
}
