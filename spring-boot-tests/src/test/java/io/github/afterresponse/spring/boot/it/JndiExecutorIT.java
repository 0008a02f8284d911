package io.github.afterresponse.spring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.NestedExceptionUtils;

/**
 * An {@code after-response.executor=jndi:…} name that is not bound (embedded Tomcat has no JNDI
 * unless naming is enabled) fails the start with Boot's report naming the property: it is looked
 * up when the filter is configured, inside the servlet context's start, rather than only in the
 * filter's init, where Tomcat would log it and fail the web server without naming it.
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
