package io.github.afterresponse.spring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.afterresponse.ExecutorChoice;
import io.github.afterresponse.spring.boot.internal.RegisteredFilters;
import io.github.afterresponse.spring.boot.it.app.Held;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** spring.threads.virtual.enabled=true: the tasks run on the filter's virtual threads on Java 21+. */
class VirtualThreadsIT {

    @AfterEach
    void release() {
        Held.releaseAll();
    }

    @Test
    void withVirtualThreadsEnabledTheTaskRunsOnAVirtualThreadOrOnJava17OnTheContainersThreads() throws Exception {
        try (ConfigurableApplicationContext app = Apps.start("spring.threads.virtual.enabled=true")) {
            ExecutorChoice executor = app.getBean(RegisteredFilters.class).all().get(0).filter().config().executor();
            assertThat(RawHttp.get(Apps.port(app), "/held?key=v").status()).isEqualTo(200);
            Held.Seen seen = Held.entry("v").seen.get(10, TimeUnit.SECONDS);
            Held.entry("v").release();
            Held.entry("v").completion.get(10, TimeUnit.SECONDS);

            if (Runtime.version().feature() < 21) {
                assertThat(executor).as("fallback on Java " + Runtime.version().feature()).isEqualTo(ExecutorChoice.container());
                assertThat(seen.virtual()).isFalse();
                assertThat(seen.thread()).as("Tomcat's request pool").contains("-exec-");
            }
            assumeTrue(Runtime.version().feature() >= 21, "virtual threads need Java 21+");
            assertThat(executor).isEqualTo(ExecutorChoice.virtualThreads());
            assertThat(seen.virtual()).isTrue();
            // Tomcat's own virtual threads are not the filter's: these are named after the filter.
            assertThat(seen.thread()).startsWith("after-response-afterResponse-");
        }
    }
}
