package io.github.afterresponse.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs the test once per container; the method takes a {@link Container} parameter.
 *
 * <pre>{@code
 * @EveryContainer
 * void answers(Container container) throws Exception {
 *     try (RunningServer server = container.start(app)) { ... }
 * }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
// "[Jetty]": Surefire's XML report (usePhrasedTestCaseMethodName) appends this to the method's display name.
@ParameterizedTest(name = "[{0}]")
@EnumSource(Container.class)
public @interface EveryContainer {
}
