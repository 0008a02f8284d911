package io.github.afterresponse.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.afterresponse.AfterResponse;
import io.github.afterresponse.AfterResponseConfig;
import io.github.afterresponse.AfterResponseFilter;
import io.github.afterresponse.testkit.Container;
import io.github.afterresponse.testkit.EveryContainer;
import io.github.afterresponse.testkit.RawHttpClient;
import io.github.afterresponse.testkit.RawResponse;
import io.github.afterresponse.testkit.RunningServer;
import io.github.afterresponse.testkit.WebApp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Invalid configuration stops the web application from starting, naming the parameter and value. */
class StartupIT {

    private static WebApp app(AfterResponseFilter filter, Map<String, String> initParams) {
        return WebApp.create()
                .filter("mailFilter", filter, initParams, true, "/*")
                .servlet("hello", ((Handler) (request, response) -> {
                    response.getWriter().print("0123456789".repeat(10));
                    AfterResponse.of(request).then(task -> { });
                }).servlet(), true, "/hello");
    }

    private static List<String> messages(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
        }
        return messages;
    }

    @EveryContainer
    void badValueFailsStartUpNamingParameterAndValue(Container container) {
        assertThatThrownBy(() -> container.start(app(new AfterResponseFilter(), Map.of("buffer-limit", "lots"))))
                .satisfies(e -> assertThat(messages(e)).contains("After Response filter 'mailFilter' cannot start: "
                        + "init-param buffer-limit must be a byte size from 0 to 1GiB such as 1048576, 64KiB or 1MiB, "
                        + "but was 'lots'"));
        assertThatThrownBy(() -> container.start(app(new AfterResponseFilter(), Map.of("connection-close", "maybe"))))
                .satisfies(e -> assertThat(messages(e)).anySatisfy(message -> assertThat(message)
                        .contains("init-param connection-close must be true or false, but was 'maybe'")));
    }

    @EveryContainer
    void unknownParameterFailsStartUp(Container container) {
        assertThatThrownBy(() -> container.start(app(new AfterResponseFilter(), Map.of("bufferlimit", "1MiB"))))
                .satisfies(e -> assertThat(messages(e)).anySatisfy(message -> assertThat(message)
                        .contains("init-param bufferlimit must be one of buffer-limit, connection-close, "
                                + "snapshot-attributes")
                        .contains("but was '1MiB'")));
    }

    @EveryContainer
    void programmaticConfigurationRefusesInitParams(Container container) {
        AfterResponseFilter configured = new AfterResponseFilter(AfterResponseConfig.defaults());
        assertThatThrownBy(() -> container.start(app(configured, Map.of("buffer-limit", "1MiB"))))
                .satisfies(e -> assertThat(messages(e)).anySatisfy(message -> assertThat(message)
                        .contains("was constructed with an AfterResponseConfig, so its init-params [buffer-limit] "
                                + "must be empty")));
    }

    @EveryContainer
    void programmaticConfigurationApplies(Container container) throws Exception {
        AfterResponseFilter filter = new AfterResponseFilter(AfterResponseConfig.builder().bufferLimit(16).build());
        try (RunningServer server = container.start(app(filter, Map.of()))) {
            RawResponse response = RawHttpClient.get(server.port(), "/hello");
            assertThat(response.contentLength()).as("100 bytes pass a 16-byte buffer").isEmpty();
            assertThat(response.body()).hasSize(100);
            assertThat(filter.config().bufferLimit()).isEqualTo(16);
        }
    }

    @EveryContainer
    void initParamsApply(Container container) throws Exception {
        AfterResponseFilter filter = new AfterResponseFilter();
        try (RunningServer server = container.start(app(filter, Map.of("buffer-limit", "128", "connection-close", "false")))) {
            RawResponse response = RawHttpClient.get(server.port(), "/hello");
            assertThat(response.contentLength()).hasValue(100);
            assertThat(filter.config().bufferLimit()).isEqualTo(128);
            assertThat(filter.config().connectionClose()).isFalse();
        }
    }

    /**
     * All three containers call {@code init} (and later {@code destroy}) once per name when one
     * filter instance is registered under two names. The second {@code init} is refused, so nothing
     * of the first (its JMX view, its monitor) is left behind.
     */
    @EveryContainer
    void oneInstanceUnderTwoNamesIsRefusedAndLeavesNothingBehind(Container container) throws Exception {
        AfterResponseFilter shared = new AfterResponseFilter();
        WebApp twice = app(shared, Map.of()).contextPath("/twice").filter("again", shared, Map.of(), true, "/*");
        assertThatThrownBy(() -> container.start(twice))
                .satisfies(e -> assertThat(messages(e)).anySatisfy(message -> assertThat(message)
                        .contains("After Response filter 'again' cannot start: this AfterResponseFilter instance "
                                + "has already been initialised as filter 'mailFilter'")));
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        assertThat(server.queryNames(new javax.management.ObjectName(
                "io.github.afterresponse:type=AfterResponseFilter,context=\"/twice\",*"), null))
                .as("JMX views left behind").isEmpty();
    }
}
