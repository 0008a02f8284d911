package io.github.afterresponse.spring.boot.it.review;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.afterresponse.spring.boot.it.Apps;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.NestedExceptionUtils;

/**
 * Review: docs/spring-boot.md says "a value out of range fails the start with Boot's usual report,
 * which names the property, the value as written and the reason". after-response.executor=jndi:…
 * is accepted by ConfigFactory and fails only in the filter's init inside Tomcat (embedded Tomcat
 * has no JNDI unless enabled), so the start fails with Tomcat's "failed to start", naming neither.
 */
class JndiExecutorIT {

    @Test
    void anUnboundJndiExecutorFailsTheStartNamingTheProperty() {
        assertThatThrownBy(() -> Apps.start("after-response.executor=jndi:java:comp/env/concurrent/none"))
                .satisfies(e -> {
                    Throwable cause = e;
                    while (cause != null && !(cause instanceof InvalidConfigurationPropertyValueException)) {
                        cause = cause.getCause();
                    }
                    assertThat(cause).as("the start-up failure: " + e + ", most specific cause: "
                            + NestedExceptionUtils.getMostSpecificCause(e))
                            .isInstanceOf(InvalidConfigurationPropertyValueException.class);
                    assertThat(((InvalidConfigurationPropertyValueException) cause).getName())
                            .isEqualTo("after-response.executor");
                });
    }
}
