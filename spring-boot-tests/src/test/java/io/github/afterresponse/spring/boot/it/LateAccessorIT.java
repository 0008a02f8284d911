package io.github.afterresponse.spring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.spring.boot.it.app.TestApplication;
import io.micrometer.context.ContextRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The Micrometer propagator carries every ThreadLocalAccessor of Micrometer's global
 * ContextRegistry, including one the application registers from one of its beans, after the
 * filter was configured.
 */
class LateAccessorIT {

    static final String KEY = "review.tenant";
    static final ThreadLocal<String> TENANT = new ThreadLocal<>();
    static final CompletableFuture<Optional<String>> SEEN = new CompletableFuture<>();

    /** The application's own accessor, registered by an ordinary bean of its own when it is created. */
    @Component
    static class TenantAccessorRegistration {
        TenantAccessorRegistration() {
            ContextRegistry.getInstance().registerThreadLocalAccessor(KEY, TENANT::get, TENANT::set, TENANT::remove);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TenantConfiguration {

        /** Outside the After Response filter, as the docs advise for a context the tasks need. */
        @Bean
        FilterRegistrationBean<OncePerRequestFilter> tenantFilter() {
            FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new OncePerRequestFilter() {
                @Override
                protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                        FilterChain chain) throws ServletException, IOException {
                    TENANT.set(request.getHeader("X-Tenant"));
                    try {
                        chain.doFilter(request, response);
                    } finally {
                        TENANT.remove();
                    }
                }
            });
            registration.setOrder(0);
            return registration;
        }
    }

    @RestController
    static class TenantController {
        @GetMapping("/review/tenant")
        String tenant(HttpServletRequest request) {
            AfterResponse.of(request).then(task -> SEEN.complete(Optional.ofNullable(TENANT.get())));
            return "ok\n";
        }
    }

    @AfterEach
    void unregister() {
        ContextRegistry.getInstance().removeThreadLocalAccessor(KEY);
    }

    @Test
    void anAccessorTheApplicationRegistersInABeanReachesTheTask() throws Exception {
        try (ConfigurableApplicationContext app = Apps.start(
                new Class<?>[] {TestApplication.class, TenantConfiguration.class, TenantController.class,
                        TenantAccessorRegistration.class},
                "after-response.executor=platform", "after-response.threads=1")) {
            assertThat(RawHttp.get(Apps.port(app), "/review/tenant", "X-Tenant: acme").status()).isEqualTo(200);
            assertThat(SEEN.get(10, TimeUnit.SECONDS)).as("the tenant the task saw").contains("acme");
        }
    }
}
