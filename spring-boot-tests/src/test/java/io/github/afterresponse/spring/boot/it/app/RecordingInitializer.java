package io.github.afterresponse.spring.boot.it.app;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@code ServletContainerInitializer} listed in test resources' META-INF/services, exactly as
 * core lists its {@code AfterResponseInitializer}: it counts whether Boot's embedded Tomcat runs
 * initializers found in jars (it does not, so core's does not add a filter either).
 */
public class RecordingInitializer implements ServletContainerInitializer {

    public static final AtomicInteger RUNS = new AtomicInteger();

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        RUNS.incrementAndGet();
    }
}
