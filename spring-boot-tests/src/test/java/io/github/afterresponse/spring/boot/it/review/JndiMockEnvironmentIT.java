package io.github.afterresponse.spring.boot.it.review;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.spring.boot.it.app.TestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;

/**
 * Review: an application configured with {@code after-response.executor=jndi:…} (bound by its
 * production server) still has its {@code @SpringBootTest}s in the default mock web environment,
 * where no servlet container starts, no filter is ever initialised and no JNDI exists. The
 * configuration-time look-up (documented as happening "while the servlet context starts") runs
 * there too and fails every such test's context.
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
