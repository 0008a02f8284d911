package io.github.afterresponse.spring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.afterresponse.spring.boot.it.app.TestApplication;
import io.github.afterresponse.spring.boot.it.webfilter.AnnotatedAfterResponseFilter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.type.AnnotationMetadata;

/**
 * An application that declares its own After Response filter (a subclass) with {@code @WebFilter}
 * and {@code @ServletComponentScan}, Boot's documented way for servlet components, gets that one
 * alone: Boot registers the scanned filter through a {@code FilterRegistrationBean} bean
 * definition without type arguments, which no bean condition can see, so the auto-configured
 * registration steps aside when the servlet context starts.
 */
class WebFilterBackOffIT {

    /**
     * What {@code @ServletComponentScan} registers for the {@code @WebFilter} it finds (Boot's
     * WebFilterHandler, the same in 3.5 and 4.0; the annotation itself moved packages in 4.0, so
     * this shared test tree registers the same definition directly): a {@code FilterRegistrationBean}
     * bean definition, without type arguments, whose filter is an inner bean definition.
     */
    static class WebFilterLikeServletComponentScan implements ImportBeanDefinitionRegistrar {
        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            registry.registerBeanDefinition(AnnotatedAfterResponseFilter.class.getName(),
                    BeanDefinitionBuilder.rootBeanDefinition(FilterRegistrationBean.class)
                            .addPropertyValue("asyncSupported", true)
                            .addPropertyValue("filter", BeanDefinitionBuilder
                                    .rootBeanDefinition(AnnotatedAfterResponseFilter.class).getBeanDefinition())
                            .addPropertyValue("initParameters", Map.of("jmx", "false"))
                            .addPropertyValue("name", "annotatedAfterResponse")
                            .addPropertyValue("urlPatterns", new String[] {"/*"})
                            .getBeanDefinition());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Import(WebFilterLikeServletComponentScan.class)
    static class ScansWebFilters {
    }

    @Test
    void aWebFilterSubclassMakesTheAutoConfigurationBackOff() {
        try (ConfigurableApplicationContext app = Apps.start(new Class<?>[] {TestApplication.class,
                ScansWebFilters.class})) {
            assertThat(OwnFilterBackOffIT.afterResponseFilters(app))
                    .as("After Response filters in the servlet context").containsExactly("annotatedAfterResponse");
        }
    }
}
