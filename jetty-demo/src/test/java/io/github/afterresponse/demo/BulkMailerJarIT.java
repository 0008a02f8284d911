package io.github.afterresponse.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The runnable jar the README starts: it serves the page and sends a campaign; stopped by SIGTERM,
 * the toolkit's last log line still reaches the output (java.util.logging would lose it: its
 * LogManager resets its handlers in a shutdown hook of its own).
 */
class BulkMailerJarIT {

    private final java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static final Pattern URL = Pattern.compile("Bulk mailer: (http://127\\.0\\.0\\.1:\\d+/)");

    @Test
    void runnableJarStartsAndServes() throws Exception {
        Path jar = Path.of("target/after-response-jetty-demo.jar");
        assertThat(jar).exists();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "--port=0", "--smtp=embedded:0")
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> url = CompletableFuture.supplyAsync(() -> firstUrl(output));
            URI base = URI.create(url.get(60, TimeUnit.SECONDS));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

            HttpResponse<String> queued = http.send(HttpRequest.newBuilder(base.resolve("campaigns"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("subject=Hello&count=3"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(queued.statusCode()).isEqualTo(202);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> http.send(
                    HttpRequest.newBuilder(base.resolve("campaigns/1")).build(),
                    HttpResponse.BodyHandlers.ofString()).body().contains("3 of 3 mails sent, COMPLETED"));
        } finally {
            // SIGTERM, to this process only, by its handle; Process.destroy() would also close the
            // pipe that brings the last lines.
            process.toHandle().destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).alias("the toolkit's last line in:\n"
                + String.join("\n", lines)).until(() -> lines.stream()
                        .anyMatch(line -> line.contains("After Response filter 'afterResponse' stopped")));
    }

    private String firstUrl(BufferedReader output) {
        try {
            StringBuilder seen = new StringBuilder();
            for (String line; (line = output.readLine()) != null; ) {
                lines.add(line);
                seen.append(line).append('\n');
                Matcher matcher = URL.matcher(line);
                if (matcher.find()) {
                    CompletableFuture.runAsync(() -> drain(output));
                    return matcher.group(1);
                }
            }
            throw new IllegalStateException("the demo ended without printing its URL:\n" + seen);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void drain(BufferedReader output) {
        try {
            for (String line; (line = output.readLine()) != null; ) {
                lines.add(line); // and keep the pipe from filling up
            }
        } catch (java.io.IOException e) {
            // the process ended
        }
    }

}
