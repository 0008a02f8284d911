package io.github.afterresponse.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mailer on PostgreSQL instead of H2: the same Flyway migrations, seed, campaign and restart.
 * The test runs its own PostgreSQL server (Debian's {@code postgresql} package, which {@code
 * .ci/run} installs) in a temporary directory on a free loopback port, started and stopped by PID.
 * As root, the server runs as the {@code postgres} user through {@code setpriv}, which execs it:
 * the PID the test holds is the postmaster's own.
 */
class PostgresIT {

    private static Path cluster;
    private static Process postgres;
    private static int port;

    @BeforeAll
    static void startPostgres() throws Exception {
        Path bin = binaries();
        cluster = Files.createTempDirectory("mailer-pg-");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            run(List.of("chown", "postgres:postgres", cluster.toString()));
        }
        run(asUser(root, List.of(bin.resolve("initdb").toString(), "-D", cluster.resolve("data").toString(),
                "-U", "mailer", "--auth=trust", "-E", "UTF8", "--no-sync")));
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        postgres = new ProcessBuilder(asUser(root, List.of(bin.resolve("postgres").toString(),
                "-D", cluster.resolve("data").toString(), "-p", Integer.toString(port), "-k", cluster.toString(),
                "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off")))
                .redirectErrorStream(true)
                .redirectOutput(cluster.resolve("postgres.log").toFile())
                .start();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "mailer", "")) {
                c.createStatement().execute("CREATE DATABASE mailer");
                return true;
            }
        });
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.toHandle().destroy(); // SIGTERM: PostgreSQL's smart shutdown
            if (!postgres.waitFor(20, TimeUnit.SECONDS)) {
                postgres.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (cluster != null) {
            try (Stream<Path> files = Files.walk(cluster)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void campaignsAreStoredAndSentOnPostgresAndIdsGoOnAfterARestart(@TempDir Path dataDir) throws Exception {
        Map<String, String> settings = Map.of("port", "0", "smtp-port", "0", "data-dir", dataDir.toString(),
                "db-url", "jdbc:postgresql://127.0.0.1:" + port + "/mailer", "db-user", "mailer",
                "rate", "0", "customers", "300");
        long first;
        try (BulkMailer mailer = BulkMailer.start(DemoOptions.parse(settings))) {
            assertThat(mailer.describe()).contains("PostgreSQL");
            assertThat(mailer.campaigns().customers().count()).isEqualTo(300);
            MailerApiClient api = MailerApiClient.open(URI.create("http://127.0.0.1:" + mailer.port() + "/"));
            JsonNode created = api.createCampaign(Map.of("subject", "Hi {firstName}", "text", "Dear {name}", "segment", "vip"));
            first = created.get("id").asLong();
            int total = created.get("total").asInt();
            assertThat(total).isPositive();
            await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(api.campaign(first).path("state").asText()));
            JsonNode done = api.campaign(first);
            int refused = done.get("failed").asInt();
            assertThat(done.get("sent").asInt() + refused).isEqualTo(total);
            assertThat(mailer.embeddedSmtp().orElseThrow().outbox().size()).isEqualTo(total - refused);
        }
        try (BulkMailer again = BulkMailer.start(DemoOptions.parse(settings))) {
            assertThat(again.campaigns().customers().count()).as("seeded once").isEqualTo(300);
            MailerApiClient api = MailerApiClient.open(URI.create("http://127.0.0.1:" + again.port() + "/"));
            JsonNode next = api.createCampaign(Map.of("subject", "Again", "text", "Dear {name}", "city", "Oslo"));
            assertThat(next.get("id").asLong()).isGreaterThan(first);
            assertThat(api.campaign(first).path("state").asText()).isEqualTo("COMPLETED");
        }
    }

    private static Path binaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        List<Path> versions = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> list = Files.list(root)) {
                list.filter(v -> Files.isExecutable(v.resolve("bin/postgres"))).forEach(versions::add);
            }
        }
        if (versions.isEmpty()) {
            String message = "PostgreSQL is not installed (Debian package postgresql: /usr/lib/postgresql/N/bin/postgres)";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(message + "; .ci/run installs it");
            }
            Assumptions.abort(message);
        }
        versions.sort(Comparator.comparing(v -> Integer.parseInt(v.getFileName().toString().replaceAll("\\D", "0"))));
        return versions.get(versions.size() - 1).resolve("bin");
    }

    private static List<String> asUser(boolean root, List<String> command) {
        if (!root) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
    }
}
