package io.github.afterresponse.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the test once per container that {@linkplain Container#supportsH2c() accepts cleartext HTTP/2 with prior
 * knowledge}; the method takes a {@link Container} parameter.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
// "[Jetty]": Surefire's XML report (usePhrasedTestCaseMethodName) appends this to the method's display name.
@ParameterizedTest(name = "[{0}]")
@MethodSource("io.github.afterresponse.testkit.Container#h2cContainers")
public @interface EveryH2cContainer {
}
