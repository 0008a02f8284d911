package io.github.afterresponse.spring.boot.it.plain;

// tag::plain-registration[]
import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.AfterResponseFilter;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The filter without the starter: a FilterRegistrationBean of the application's own. */
@Configuration(proxyBeanMethods = false)
public class PlainRegistration {

    @Bean
    FilterRegistrationBean<AfterResponseFilter> afterResponse() {
        AfterResponseConfig config = AfterResponseConfig.builder()
                .maxRunning(4)
                .shutdownGrace(Duration.ofSeconds(10))
                .jmx(false)
                .build();
        FilterRegistrationBean<AfterResponseFilter> registration =
                new FilterRegistrationBean<>(new AfterResponseFilter(config));
        registration.setName("afterResponse");
        registration.setAsyncSupported(true);                  // required: the tasks run asynchronously
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.addUrlPatterns("/campaigns/*");
        registration.setOrder(Ordered.LOWEST_PRECEDENCE - 100); // inside Spring Security's filters
        return registration;
    }
}
// end::plain-registration[]
