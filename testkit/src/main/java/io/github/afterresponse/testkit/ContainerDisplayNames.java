package io.github.afterresponse.testkit;

import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGenerator;

/**
 * Names a test method that takes only a {@link Container} by its name alone, so that each case of
 * {@link EveryContainer} reads {@code clientThatClosesCancelsTheWork[Jetty]} in Surefire's and
 * Failsafe's XML reports, instead of {@code clientThatClosesCancelsTheWork(Container)[1]}. Other
 * methods keep JUnit's standard names. Set as the default generator in a module's
 * {@code junit-platform.properties}.
 */
public final class ContainerDisplayNames extends DisplayNameGenerator.Standard {

    @Override
    public String generateDisplayNameForMethod(List<Class<?>> enclosingInstanceTypes, Class<?> testClass,
            Method testMethod) {
        Class<?>[] parameters = testMethod.getParameterTypes();
        if (parameters.length == 1 && parameters[0] == Container.class) {
            return testMethod.getName();
        }
        return super.generateDisplayNameForMethod(enclosingInstanceTypes, testClass, testMethod);
    }
}
