package io.github.afterresponse.spring.boot.it;

import io.github.afterresponse.spring.boot.it.app.TestApplication;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the test application, a real Spring Boot application on Tomcat, on a loopback port of its own. */
public final class Apps {

    private Apps() {}

    public static ConfigurableApplicationContext start(String... properties) {
        return start(new Class<?>[] {TestApplication.class}, properties);
    }

    public static ConfigurableApplicationContext start(Class<?>[] sources, String... properties) {
        return start(sources, List.of(), properties);
    }

    /** With listeners, such as one that captures the log once Boot has set up logging. */
    public static ConfigurableApplicationContext start(Class<?>[] sources, List<ApplicationListener<?>> listeners,
            String... properties) {
        List<String> all = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
                "spring.main.banner-mode=off", "management.tracing.sampling.probability=1.0",
                "logging.level.org.springframework.boot.autoconfigure=WARN"));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(sources).listeners(listeners.toArray(ApplicationListener[]::new))
                .properties(all.toArray(String[]::new)).run();
    }

    public static int port(ConfigurableApplicationContext context) {
        return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }
}
