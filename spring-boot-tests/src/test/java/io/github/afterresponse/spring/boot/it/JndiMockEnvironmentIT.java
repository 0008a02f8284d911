package io.github.afterresponse.spring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.spring.boot.it.app.TestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;

/**
 * An application configured with {@code after-response.executor=jndi:…} (bound by its production
 * server) still loads in a mock-environment {@code @SpringBootTest}, where no servlet container
 * starts and no JNDI exists: the executor is looked up only as the filter's registration is
 * applied to a starting servlet context.
 */
@SpringBootTest(classes = TestApplication.class,
        properties = {"after-response.executor=jndi:java:comp/env/concurrent/afterResponse",
                "spring.main.banner-mode=off"})
class JndiMockEnvironmentIT {

    @Autowired
    ApplicationContext context;

    @Test
    void aMockWebEnvironmentTestOfAJndiConfiguredApplicationLoadsItsContext() {
        assertThat(context.getBeansOfType(FilterRegistrationBean.class)).containsKey("afterResponseFilter");
    }
}
