package io.github.afterresponse.spring.boot;

import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.AfterResponseFilter;
import io.github.afterresponse.CompletionCallback;
import io.github.afterresponse.ContextPropagator;
import io.github.afterresponse.spring.boot.internal.AfterResponseEndpoint;
import io.github.afterresponse.spring.boot.internal.AfterResponseMetrics;
import io.github.afterresponse.spring.boot.internal.AfterResponseRegistration;
import io.github.afterresponse.spring.boot.internal.BootAfterResponseFilter;
import io.github.afterresponse.spring.boot.internal.BuiltInPropagators;
import io.github.afterresponse.spring.boot.internal.ConfigFactory;
import io.github.afterresponse.spring.boot.internal.FilterLifecycle;
import io.github.afterresponse.spring.boot.internal.OnNoFilterOfTheApplication;
import io.github.afterresponse.spring.boot.internal.RegisteredFilters;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import java.util.List;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Registers the After Response filter in a servlet web application, configured from
 * {@link AfterResponseProperties}; off with {@code after-response.enabled=false}, and backing off
 * when the application declares its own {@code FilterRegistrationBean} of an
 * {@code AfterResponseFilter} or of a subclass (or an {@code AfterResponseFilter} bean). It adds:
 *
 * <ul>
 *   <li>the filter: asynchronous, for {@code REQUEST} dispatches (the filter passes every other
 *       dispatch straight on), on {@code after-response.filter.url-patterns}, at
 *       {@code after-response.filter.order}; {@link CompletionCallback} beans are told how each of
 *       its exchanges ended, after the exchange's own callbacks, on the thread that
 *       {@link CompletionCallback} describes;</li>
 *   <li>context propagation: the request thread's MDC, observation (trace) and Spring Security
 *       context reach the tasks and callbacks; {@link ContextPropagator} beans add more, after the
 *       built-in ones and those named in {@code after-response.context-propagators};</li>
 *   <li>a graceful stop in Boot's lifecycle, after the web server's request drain and before the
 *       server stops, while every bean is still alive;</li>
 *   <li>Micrometer meters ({@code after.response.*}) when a {@code MeterRegistry} bean exists, and the
 *       Actuator endpoint {@code afterresponse} when it is available (exposed).</li>
 * </ul>
 */
@AutoConfiguration(afterName = {
        // Boot 3.5 and Boot 4.0 names: the meters need the MeterRegistry bean to be defined first.
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(prefix = "after-response", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(AfterResponseProperties.class)
public class AfterResponseAutoConfiguration {

    /** The After Response filters of the context, the auto-configured one or the application's own. */
    @Bean
    RegisteredFilters afterResponseRegisteredFilters(ListableBeanFactory beans) {
        return new RegisteredFilters(beans);
    }

    /**
     * The filter's registration.
     *
     * @throws InvalidConfigurationPropertyValueException naming the property whose value the
     *     filter refuses
     */
    @Bean
    @Conditional(OnNoFilterOfTheApplication.class)
    FilterRegistrationBean<AfterResponseFilter> afterResponseFilter(AfterResponseProperties properties,
            Environment environment, ObjectProvider<ContextPropagator> propagators,
            ObjectProvider<CompletionCallback> callbacks, ObjectProvider<AfterResponseMetrics> metrics,
            RegisteredFilters filters) {
        ClassLoader loader = AfterResponseAutoConfiguration.class.getClassLoader();
        List<ContextPropagator> builtIn = BuiltInPropagators.forClassPath(
                properties.getContextPropagation().isMicrometer(), loader);
        ConfigFactory factory = new ConfigFactory(properties, environment);
        AfterResponseConfig config = factory.create(builtIn, propagators.orderedStream().toList());
        checkedMaxTasks(properties); // refused even while the endpoint is not exposed
        AfterResponseProperties.Filter filter = properties.getFilter();
        if (filter.getName() == null || filter.getName().isBlank()) {
            throw new InvalidConfigurationPropertyValueException("after-response.filter.name", filter.getName(),
                    "must be a filter name, but was blank");
        }
        if (filter.getUrlPatterns().isEmpty() || filter.getUrlPatterns().stream().anyMatch(p -> p == null || p.isBlank())) {
            throw new InvalidConfigurationPropertyValueException("after-response.filter.url-patterns",
                    String.join(",", filter.getUrlPatterns()), "must be one or more URL patterns such as /*, but was "
                            + filter.getUrlPatterns());
        }
        FilterRegistrationBean<AfterResponseFilter> registration = new AfterResponseRegistration(
                new BootAfterResponseFilter(config, filter.getName(), callbacks, metrics.getIfAvailable()), filters,
                factory.startupCheck(config));
        registration.setName(filter.getName());
        registration.setAsyncSupported(true);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setUrlPatterns(filter.getUrlPatterns());
        registration.setOrder(filter.getOrder());
        return registration;
    }

    private static int checkedMaxTasks(AfterResponseProperties properties) {
        int maxTasks = properties.getEndpoint().getMaxTasks();
        if (maxTasks < 0 || maxTasks > AfterResponseProperties.MAX_ENDPOINT_TASKS) {
            throw new InvalidConfigurationPropertyValueException("after-response.endpoint.max-tasks", maxTasks,
                    "must be between 0 and " + AfterResponseProperties.MAX_ENDPOINT_TASKS + ", but was " + maxTasks);
        }
        return maxTasks;
    }

    /** Stops the filters after Boot's request drain and before the web server. */
    @Bean
    FilterLifecycle afterResponseFilterLifecycle(RegisteredFilters filters) {
        return new FilterLifecycle(filters);
    }

    /** Starts the filters the lifecycle stopped again before the web server, if the context is started again. */
    @Bean
    FilterLifecycle.Restart afterResponseFilterRestart(FilterLifecycle lifecycle) {
        return new FilterLifecycle.Restart(lifecycle);
    }

    /** The meters, when Micrometer is present and the application has a {@code MeterRegistry}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    static class Metrics {

        @Bean
        AfterResponseMetrics afterResponseMetrics(RegisteredFilters filters) {
            return new AfterResponseMetrics(filters);
        }
    }

    /** The Actuator endpoint, when Actuator is present and the endpoint is enabled and exposed. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint")
    static class ActuatorEndpoint {

        @Bean
        @ConditionalOnAvailableEndpoint(endpoint = AfterResponseEndpoint.class)
        AfterResponseEndpoint afterResponseEndpoint(RegisteredFilters filters, AfterResponseProperties properties) {
            return new AfterResponseEndpoint(filters, checkedMaxTasks(properties));
        }
    }
}
