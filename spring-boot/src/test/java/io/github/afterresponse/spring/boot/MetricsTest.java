package io.github.afterresponse.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.AfterResponseFilter;
import io.github.afterresponse.spring.boot.internal.AfterResponseMetrics;
import io.github.afterresponse.spring.boot.internal.RegisteredFilters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

/** Meters bound before the servlet context started the filter. */
class MetricsTest {

    @Test
    void beforeTheFilterStartedTheMetersReadZeroAndNaN() {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        FilterRegistrationBean<AfterResponseFilter> registration =
                new FilterRegistrationBean<>(new AfterResponseFilter(AfterResponseConfig.defaults()));
        registration.setName("mailer");
        beans.addBean("registration", registration);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        AfterResponseMetrics metrics = new AfterResponseMetrics(new RegisteredFilters(beans));
        metrics.bindTo(registry);
        System.gc(); // Micrometer holds what its meters read weakly: the binder must keep it

        assertThat(registry.get("after.response.exchanges.accepted").tag("filter", "mailer").functionCounter().count()).isZero();
        assertThat(registry.get("after.response.exchanges.shut.down").tag("filter", "mailer").functionCounter().count()).isZero();
        assertThat(registry.get("after.response.exchanges.running").tag("filter", "mailer").gauge().value()).isNaN();
        assertThat(registry.get("after.response.exchanges.queued").tag("filter", "mailer").gauge().value()).isNaN();
        assertThat(registry.getMeters()).hasSize(10);
    }
}
