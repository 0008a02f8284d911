package io.github.afterresponse.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/mailer.md lists every option of {@link DemoOptions#usage()} in its options table, each in
 * one row with its environment variable and its default, so that the page cannot fall behind the
 * code.
 */
class DocsOptionsTest {

    /** One option as {@code --help} prints it: {@code   --name=...  (MAILER_NAME, default 'value')}. */
    private record Option(String name, String env, String defaultValue) {
    }

    private static final Pattern USAGE_LINE = Pattern.compile("^  --([a-z-]+)=\\.\\.\\.  \\((MAILER_[A-Z_]+), default '(.*)'\\)$",
            Pattern.MULTILINE);
    private static final Path PAGE = Path.of("..", "docs", "mailer.md");

    @Test
    void everyOptionHasARowWithItsVariableAndDefault() throws Exception {
        List<Option> options = options();
        String page = Files.readString(PAGE, StandardCharsets.UTF_8);

        assertThat(options).as("options parsed from DemoOptions.usage()").hasSizeGreaterThanOrEqualTo(20);
        List<String> problems = new ArrayList<>();
        for (Option option : options) {
            Optional<String> row = page.lines().filter(line -> line.startsWith("| `--" + option.name() + "` |")).findFirst();
            if (row.isEmpty()) {
                problems.add("no row starting with | `--" + option.name() + "` |");
                continue;
            }
            if (!row.get().contains("| `" + option.env() + "` |")) {
                problems.add("the row of --" + option.name() + " must name `" + option.env() + "`, but is: " + row.get());
            }
            String shownDefault = option.defaultValue().isEmpty() ? "| (empty) |" : "| `" + option.defaultValue() + "` |";
            if (!row.get().contains(shownDefault)) {
                problems.add("the row of --" + option.name() + " must show the default " + shownDefault + ", but is: " + row.get());
            }
        }
        assertThat(problems).as("docs/mailer.md against DemoOptions.usage()").isEmpty();
    }

    @Test
    void thePageNamesNoOptionThatDoesNotExist() throws Exception {
        List<String> known = options().stream().map(Option::name).toList();
        Matcher rows = Pattern.compile("^\\| `--([a-z-]+)` \\|", Pattern.MULTILINE)
                .matcher(Files.readString(PAGE, StandardCharsets.UTF_8));
        List<String> documented = new ArrayList<>();
        while (rows.find()) {
            documented.add(rows.group(1));
        }

        assertThat(documented).as("option rows in docs/mailer.md").containsExactlyInAnyOrderElementsOf(known);
    }

    private static List<Option> options() {
        Matcher line = USAGE_LINE.matcher(DemoOptions.usage().replace("\r\n", "\n"));
        List<Option> options = new ArrayList<>();
        while (line.find()) {
            options.add(new Option(line.group(1), line.group(2), line.group(3)));
        }
        return options;
    }
}
