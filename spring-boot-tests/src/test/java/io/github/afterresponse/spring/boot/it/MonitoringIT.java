package io.github.afterresponse.spring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.afterresponse.spring.boot.it.app.Held;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.context.ConfigurableApplicationContext;

/** The meters and the Actuator endpoint show the counts and the running exchanges. */
class MonitoringIT {

    private static ConfigurableApplicationContext app;
    private static int port;

    @BeforeAll
    static void start() {
        app = Apps.start("management.endpoints.web.exposure.include=afterresponse,metrics",
                "after-response.endpoint.max-tasks=2");
        port = Apps.port(app);
    }

    @AfterAll
    static void stop() {
        Held.releaseAll();
        app.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void metersAndEndpointShowAcceptedRunningAndCompletedExchanges() throws Exception {
        MeterRegistry meters = app.getBean(MeterRegistry.class);
        List<String> keys = List.of("m1", "m2", "m3");
        for (String key : keys) {
            assertThat(RawHttp.get(port, "/held?key=" + key).status()).isEqualTo(200);
            Held.entry(key).task.get(10, TimeUnit.SECONDS);
        }
        List<String> ids = keys.stream().map(key -> Held.entry(key).exchangeId).toList();

        assertThat(meters.get("after.response.exchanges.running").tag("filter", "afterResponse").gauge().value()).isEqualTo(3);
        assertThat(meters.get("after.response.exchanges.queued").tag("filter", "afterResponse").gauge().value()).isZero();
        assertThat(meters.get("after.response.exchanges.accepted").tag("filter", "afterResponse").functionCounter().count())
                .isEqualTo(3);

        RawHttp.Response response = RawHttp.get(port, "/actuator/afterresponse");
        assertThat(response.status()).isEqualTo(200);
        Map<String, Object> report = (Map<String, Object>) ((Map<String, Object>) JsonParserFactory.getJsonParser()
                .parseMap(response.body()).get("filters")).get("afterResponse");
        assertThat(report).containsEntry("started", true);
        assertThat(number(report, "running")).isEqualTo(3);
        assertThat(number(report, "queued")).isZero();
        assertThat(number(report, "total")).isEqualTo(3);
        assertThat(number(report, "maxTasks")).isEqualTo(2);
        assertThat(number(report, "omitted")).isEqualTo(1);
        assertThat(number(report, "accepted")).as("the three, and this request").isEqualTo(4);
        List<Map<String, Object>> tasks = (List<Map<String, Object>>) report.get("tasks");
        assertThat(tasks).as("after-response.endpoint.max-tasks").hasSize(2);
        assertThat(tasks).allSatisfy(task -> {
            assertThat(ids).contains((String) task.get("id"));
            assertThat(task).containsEntry("state", "RUNNING").containsEntry("queued", false)
                    .containsEntry("method", "GET").containsEntry("uri", "/held").containsEntry("statusName", "normal");
            assertThat(number(task, "status")).isZero();
            assertThat(number(task, "total")).isEqualTo(-1);
        });
        assertThat(tasks.get(0).get("id")).as("oldest first").isEqualTo(ids.get(0));

        keys.forEach(key -> Held.entry(key).release());
        for (String key : keys) {
            Held.entry(key).completion.get(10, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(meters.get("after.response.exchanges.completed").tag("filter", "afterResponse").functionCounter().count())
                    .isGreaterThanOrEqualTo(3);
            assertThat(meters.get("after.response.background").tag("filter", "afterResponse")
                    .tag("outcome", "completed").tag("status", "normal").timer().count()).isGreaterThanOrEqualTo(3);
        });
        assertThat(meters.get("after.response.exchanges.running").tag("filter", "afterResponse").gauge().value()).isZero();
        assertThat(meters.find("after.response.background").tag("outcome", "rejected").timer()).isNull();

        RawHttp.Response metric = RawHttp.get(port, "/actuator/metrics/after.response.exchanges.accepted");
        assertThat(metric.status()).isEqualTo(200);
        assertThat(metric.body()).contains("\"name\":\"after.response.exchanges.accepted\"").contains("afterResponse");
    }

    private static long number(Map<String, Object> map, String key) {
        return ((Number) map.get(key)).longValue();
    }
}
