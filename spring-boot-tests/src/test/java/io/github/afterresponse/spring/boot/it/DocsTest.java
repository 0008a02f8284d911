package io.github.afterresponse.spring.boot.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.json.JsonParserFactory;

/** docs/spring-boot.md shows the tested sources and lists every property of the metadata. */
class DocsTest {

    private static final Path DOCS = Path.of("../../docs/spring-boot.md");
    private static final Path SOURCES = Path.of("../src/test/java/io/github/afterresponse/spring/boot/it");

    @ParameterizedTest(name = "{1}")
    @CsvSource({"app/CampaignController.java, campaign-controller", "plain/PlainRegistration.java, plain-registration"})
    void theDocsShowTheTestedSource(String file, String tag) throws IOException {
        String source = Files.readString(SOURCES.resolve(file), StandardCharsets.UTF_8);
        String docs = Files.readString(DOCS, StandardCharsets.UTF_8);
        assertThat(between(docs, "<!-- example:" + tag + " -->\n```java\n", "```\n<!-- end:" + tag + " -->"))
                .isEqualTo(between(source, "// tag::" + tag + "[]\n", "// end::" + tag + "[]\n"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void thePropertiesTableListsEveryPropertyOfTheMetadata() throws IOException {
        List<String> documented = new ArrayList<>();
        Matcher row = Pattern.compile("^\\| `(after-response\\.[a-z.-]+)` \\|", Pattern.MULTILINE).matcher(
                between(Files.readString(DOCS, StandardCharsets.UTF_8), "<!-- properties -->", "<!-- end:properties -->"));
        while (row.find()) {
            documented.add(row.group(1));
        }
        List<String> properties = new ArrayList<>();
        try (InputStream in = DocsTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            Map<String, Object> metadata = JsonParserFactory.getJsonParser()
                    .parseMap(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            for (Map<String, Object> property : (List<Map<String, Object>>) metadata.get("properties")) {
                String name = (String) property.get("name");
                if (name.startsWith("after-response.")) {
                    properties.add(name);
                }
            }
        }
        assertThat(properties).isNotEmpty();
        assertThat(documented).containsExactlyInAnyOrderElementsOf(properties);
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        int to = text.indexOf(end, from + 1);
        assertThat(from).as("marker " + start.strip()).isNotNegative();
        assertThat(to).as("marker " + end.strip()).isGreaterThan(from);
        return text.substring(from + start.length(), to);
    }
}
