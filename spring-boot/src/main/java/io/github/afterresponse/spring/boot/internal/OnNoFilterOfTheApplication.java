package io.github.afterresponse.spring.boot.internal;

import io.github.afterresponse.AfterResponseFilter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.ResolvableType;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when the application declares no After Response filter of its own: no
 * {@code FilterRegistrationBean} of {@link AfterResponseFilter} or of a subclass (one that overrides
 * {@code shouldNotFilter}, say), and no {@code AfterResponseFilter} bean. Boot's
 * {@code @ConditionalOnMissingBean(parameterizedContainer = …)} matches the exact type argument
 * only, so a registration of a subclass would get the auto-configured filter beside it. A
 * registration declared with a raw {@code FilterRegistrationBean} type cannot be told apart.
 */
public final class OnNoFilterOfTheApplication extends SpringBootCondition implements ConfigurationCondition {

    /** Its type: {@code FilterRegistrationBean<? extends AfterResponseFilter>}. */
    private static @Nullable FilterRegistrationBean<? extends AfterResponseFilter> registrationType;

    @Override
    public ConfigurationPhase getConfigurationPhase() {
        return ConfigurationPhase.REGISTER_BEAN;
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ConfigurableListableBeanFactory beans = context.getBeanFactory();
        if (beans == null) {
            return ConditionOutcome.match("no bean factory to look in");
        }
        List<String> found = new ArrayList<>();
        try {
            ResolvableType registration = ResolvableType.forField(
                    OnNoFilterOfTheApplication.class.getDeclaredField("registrationType"));
            found.addAll(Arrays.asList(beans.getBeanNamesForType(registration, true, false)));
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
        found.addAll(Arrays.asList(beans.getBeanNamesForType(AfterResponseFilter.class, true, false)));
        return found.isEmpty()
                ? ConditionOutcome.match("the application declares no After Response filter")
                : ConditionOutcome.noMatch("the application declares its own After Response filter: " + found);
    }
}
