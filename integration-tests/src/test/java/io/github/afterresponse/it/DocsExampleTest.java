package io.github.afterresponse.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every code example in the docs is a tested source file of this module, character for character. */
class DocsExampleTest {

    @ParameterizedTest(name = "{1} in {2}")
    @CsvSource({
            "CampaignServlet.java, campaign-servlet, index.md",
            "ReportServlet.java, report-servlet, install.md",
            "ExportServlet.java, export-servlet, install.md",
    })
    void docsShowTheTestedSource(String file, String tag, String page) throws IOException {
        String source = Files.readString(
                Path.of("src/test/java/io/github/afterresponse/it/" + file), StandardCharsets.UTF_8);
        String docs = Files.readString(Path.of("../docs/" + page), StandardCharsets.UTF_8);

        String tested = between(source, "// tag::" + tag + "[]\n", "// end::" + tag + "[]\n");
        String shown = between(docs, "<!-- example:" + tag + " -->\n```java\n", "```\n<!-- end:" + tag + " -->");

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
