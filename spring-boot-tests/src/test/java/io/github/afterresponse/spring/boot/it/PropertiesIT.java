package io.github.afterresponse.spring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AfterResponseFilter;
import io.github.afterresponse.spring.boot.internal.RegisteredFilters;
import io.github.afterresponse.spring.boot.it.app.Held;
import io.github.afterresponse.spring.boot.it.app.TestApplication;
import io.github.afterresponse.spring.boot.it.plain.PlainRegistration;
import jakarta.servlet.ServletContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;

/** after-response.* properties change what the filter does. */
class PropertiesIT {

    @AfterEach
    void release() {
        Held.releaseAll();
    }

    @Test
    void connectionCloseAdmissionRetryAfterAndUrlPatternsFollowTheProperties() throws Exception {
        try (ConfigurableApplicationContext app = Apps.start("after-response.connection-close=false",
                "after-response.max-running=1", "after-response.queue-capacity=0", "after-response.retry-after=7s",
                "after-response.filter.url-patterns=/held,/secure/*")) {
            int port = Apps.port(app);

            RawHttp.Response first = RawHttp.get(port, "/held?key=p1");
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.header("Connection")).as("connection-close=false").isNull();
            Held.entry("p1").task.get(10, TimeUnit.SECONDS); // running: the only place is taken

            RawHttp.Response second = RawHttp.get(port, "/held?key=p2");
            assertThat(second.status()).isEqualTo(503);
            assertThat(second.header("Retry-After")).isEqualTo("7");
            assertThat(Held.entry("p2").exchangeId).as("the controller never ran").isNull();

            RawHttp.Response outside = RawHttp.get(port, "/outside/held?key=p3");
            assertThat(outside.status()).isEqualTo(200);
            assertThat(outside.body()).as("not in url-patterns").isEqualTo("not filtered\n");

            Held.entry("p1").release();
            Held.entry("p1").completion.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void enabledFalseRegistersNothing() throws Exception {
        try (ConfigurableApplicationContext app = Apps.start("after-response.enabled=false")) {
            assertThat(app.getBeansOfType(RegisteredFilters.class)).isEmpty();
            assertThat(app.getBeansOfType(FilterRegistrationBean.class).values())
                    .noneMatch(r -> r.getFilter() instanceof AfterResponseFilter);
            assertThat(app.getBean(ServletContext.class).getFilterRegistrations().values())
                    .noneMatch(r -> ResponseFirstIT.isAfterResponseFilter(r.getClassName()));
            assertThat(RawHttp.get(Apps.port(app), "/held?key=e1").body()).isEqualTo("not filtered\n");
        }
    }

    @Test
    void theApplicationsOwnRegistrationWinsAndIsStoppedWithTheContext() throws Exception {
        ConfigurableApplicationContext app = Apps.start(new Class<?>[] {TestApplication.class, PlainRegistration.class});
        AfterResponseFilter filter;
        try {
            var registrations = app.getBean(RegisteredFilters.class).all();
            assertThat(registrations).hasSize(1);
            filter = registrations.get(0).filter();
            assertThat(filter.getClass()).as("the plain filter, not the auto-configured one").isEqualTo(AfterResponseFilter.class);
            assertThat(filter.config().maxRunning()).isEqualTo(4);
            assertThat(RawHttp.get(Apps.port(app), "/held?key=o1").body()).as("only /campaigns/*").isEqualTo("not filtered\n");
            assertThat(filter.monitor().accepted()).isZero();
        } finally {
            app.close();
        }
        org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(filter::monitor);
    }

}
