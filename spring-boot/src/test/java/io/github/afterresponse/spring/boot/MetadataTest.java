package io.github.afterresponse.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.afterresponse.internal.config.InitParameters;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generated configuration metadata, which IDEs complete from. */
class MetadataTest {

    static List<JsonNode> properties() throws IOException {
        try (InputStream in = MetadataTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated metadata").isNotNull();
            List<JsonNode> properties = new ArrayList<>();
            new ObjectMapper().readTree(in).get("properties").forEach(properties::add);
            return properties;
        }
    }

    static List<String> names() throws IOException {
        return properties().stream().map(p -> p.get("name").asText()).filter(n -> n.startsWith("after-response.")).toList();
    }

    @Test
    void everyInitParameterOfCoreHasItsProperty() throws IOException {
        List<String> names = names();
        assertThat(InitParameters.names()).isNotEmpty().allSatisfy(
                initParameter -> assertThat(names).contains("after-response." + initParameter));
    }

    @Test
    void everyPropertyHasADescription() throws IOException {
        assertThat(properties()).filteredOn(p -> p.get("name").asText().startsWith("after-response."))
                .allSatisfy(p -> assertThat(p.path("description").asText()).as(p.get("name").asText()).isNotBlank());
    }

    @Test
    void settingsWithAFixedDefaultShowIt() throws IOException {
        List<String> withDefault = properties().stream().filter(p -> p.has("defaultValue"))
                .map(p -> p.get("name").asText()).toList();
        assertThat(withDefault).contains("after-response.enabled", "after-response.buffer-limit",
                "after-response.connection-close", "after-response.abort-policy", "after-response.time-limit",
                "after-response.queue-capacity", "after-response.retry-after", "after-response.shutdown-grace",
                "after-response.discover-context-propagators", "after-response.filter.name",
                "after-response.filter.url-patterns", "after-response.filter.order", "after-response.endpoint.max-tasks",
                "after-response.context-propagation.micrometer");
    }
}
