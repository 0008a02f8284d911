package io.github.afterresponse.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The code shown in docs/mailer.md and docs/mailer-benchmark.md is the code that is compiled: each
 * block after a {@code <!-- excerpt: path -->} marker must appear in that source file, line for
 * line (indentation aside).
 */
class DocsExcerptsTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern EXCERPT = Pattern.compile("<!-- excerpt: (\\S+) -->\\s*\\n```java\\n(.*?)\\n```", Pattern.DOTALL);

    @Test
    void everyExcerptIsInItsSourceFile() throws Exception {
        List<String> problems = new ArrayList<>();
        int excerpts = 0;
        for (String page : List.of("docs/mailer.md", "docs/mailer-benchmark.md")) {
            Matcher excerpt = EXCERPT.matcher(Files.readString(ROOT.resolve(page), StandardCharsets.UTF_8));
            while (excerpt.find()) {
                excerpts++;
                Path source = ROOT.resolve(excerpt.group(1));
                if (!Files.exists(source)) {
                    problems.add(page + ": no file " + excerpt.group(1));
                    continue;
                }
                List<String> code = stripped(Files.readAllLines(source, StandardCharsets.UTF_8));
                List<String> shown = stripped(excerpt.group(2).lines().toList());
                if (Collections.indexOfSubList(code, shown) < 0) {
                    problems.add(page + ": the excerpt of " + excerpt.group(1) + " starting '" + shown.get(0)
                            + "' is not in that file as it is");
                }
            }
        }
        assertThat(excerpts).as("excerpts found").isGreaterThanOrEqualTo(3);
        assertThat(problems).isEmpty();
    }

    private static List<String> stripped(List<String> lines) {
        return lines.stream().map(String::strip).toList();
    }
}
