package io.github.afterresponse.spring.boot.it.app;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.MDC;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The application under test: the controllers of this package, Spring Security with HTTP Basic on
 * {@code /secure/**} (user alice), and an outer filter that puts the request's {@code X-Tag} header
 * into the MDC as {@code requestTag}, as logging filters do.
 */
@SpringBootApplication
public class TestApplication {

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(requests -> requests.requestMatchers("/secure/**").authenticated()
                        .anyRequest().permitAll())
                .httpBasic(Customizer.withDefaults())
                .csrf(csrf -> csrf.disable())
                .build();
    }

    @Bean
    InMemoryUserDetailsManager users() {
        return new InMemoryUserDetailsManager(User.withUsername("alice").password("{noop}secret").roles("USER").build());
    }

    /** Outside the After Response filter (order 0 is before its default), like any logging filter. */
    @Bean
    FilterRegistrationBean<OncePerRequestFilter> mdcFilter() {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                String tag = request.getHeader("X-Tag");
                if (tag != null) {
                    MDC.put("requestTag", tag);
                }
                try {
                    chain.doFilter(request, response);
                } finally {
                    MDC.remove("requestTag");
                }
            }
        });
        registration.setOrder(0);
        return registration;
    }
}
