package io.github.afterresponse.spring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.AfterResponseFilter;
import io.github.afterresponse.spring.boot.internal.RegisteredFilters;
import io.github.afterresponse.spring.boot.it.app.TestApplication;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The auto-configuration backs off when the application declares its own After Response filter
 * (a registration of a subclass, a plain AfterResponseFilter bean), and the graceful stop, the
 * meters and the endpoint then work on that one.
 */
class OwnFilterBackOffIT {

    /** The core filter as a plain bean, which Boot registers by itself. */
    @Configuration(proxyBeanMethods = false)
    static class PlainFilterBean {
        @Bean
        AfterResponseFilter afterResponseFilter() {
            return new AfterResponseFilter(AfterResponseConfig.builder().maxRunning(4).jmx(false).build());
        }
    }

    /** The documented extension point: a subclass overriding shouldNotFilter, in its own registration. */
    public static class SkipsActuator extends AfterResponseFilter {
        SkipsActuator() {
            super(AfterResponseConfig.builder().jmx(false).build());
        }

        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            return request.getRequestURI().startsWith("/actuator");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SubclassRegistration {
        @Bean
        FilterRegistrationBean<SkipsActuator> skipsActuator() {
            FilterRegistrationBean<SkipsActuator> registration = new FilterRegistrationBean<>(new SkipsActuator());
            registration.setName("skipsActuator");
            registration.setAsyncSupported(true);
            registration.setDispatcherTypes(DispatcherType.REQUEST);
            registration.setOrder(Ordered.LOWEST_PRECEDENCE - 100);
            return registration;
        }
    }

    @Test
    void anAfterResponseFilterBeanIsStoppedMeteredAndListedLikeARegistration() {
        try (ConfigurableApplicationContext app = Apps.start(new Class<?>[] {TestApplication.class, PlainFilterBean.class})) {
            assertThat(afterResponseFilters(app)).as("filters in the servlet context").hasSize(1);
            assertThat(app.getBean(RegisteredFilters.class).all())
                    .as("the filters the lifecycle stops, the meters read and the endpoint lists").hasSize(1);
            assertThat(app.getBean(MeterRegistry.class).find("after.response.exchanges.accepted").functionCounter())
                    .as("after.response.exchanges.accepted of the application's filter bean").isNotNull();
        }
    }

    @Test
    void aRegistrationOfAnAfterResponseFilterSubclassMakesTheAutoConfigurationBackOff() {
        try (ConfigurableApplicationContext app = Apps.start(new Class<?>[] {TestApplication.class,
                SubclassRegistration.class})) {
            assertThat(afterResponseFilters(app)).as("After Response filters in the servlet context").containsExactly(
                    "skipsActuator");
        }
    }

    static List<String> afterResponseFilters(ConfigurableApplicationContext app) {
        return app.getBean(ServletContext.class).getFilterRegistrations().values().stream().filter(r -> {
            try {
                return AfterResponseFilter.class.isAssignableFrom(Class.forName(r.getClassName()));
            } catch (ClassNotFoundException e) {
                return false;
            }
        }).map(r -> r.getName()).sorted().toList();
    }
}
