package io.github.afterresponse.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The usage example in docs/index.md is the tested CampaignServlet, character for character. */
class DocsExampleTest {

    @Test
    void docsShowTheTestedServlet() throws IOException {
        String source = Files.readString(
                Path.of("src/test/java/io/github/afterresponse/it/CampaignServlet.java"), StandardCharsets.UTF_8);
        String docs = Files.readString(Path.of("../docs/index.md"), StandardCharsets.UTF_8);

        String tested = between(source, "// tag::campaign-servlet[]\n", "// end::campaign-servlet[]\n");
        String shown = between(docs, "<!-- example:campaign-servlet -->\n```java\n", "```\n<!-- end:campaign-servlet -->");

        assertThat(shown).isEqualTo(tested);
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        int to = text.indexOf(end, from + 1);
        assertThat(from).as("marker " + start.strip()).isNotNegative();
        assertThat(to).as("marker " + end.strip()).isGreaterThan(from);
        return text.substring(from + start.length(), to);
    }
}
