package io.github.afterresponse.demo.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * Version 2 of the schema: synthetic customers, the same on every machine (a fixed seed). About
 * one in two hundred has an address at {@code bounce.example.com}, which the embedded SMTP server
 * refuses by default, so that a newcomer's first campaign shows how failures are recorded.
 */
final class SeedCustomers implements JavaMigration {

    static final List<String> SEGMENTS = List.of("retail", "wholesale", "vip", "newsletter", "inactive");
    static final List<String> CITIES = List.of("Amsterdam", "Berlin", "Lisbon", "Lyon", "Madrid", "Milan",
            "Oslo", "Prague", "Vienna", "Zurich");
    private static final List<String> LANGUAGES = List.of("en", "de", "fr", "es", "it", "pt", "nl");
    private static final List<String> FIRST = List.of("Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis",
            "Barbara", "Ken", "Frances", "Edsger", "Radia", "Tim", "Hedy", "Niklaus", "Katherine", "Donald",
            "Sophie", "John", "Anita", "Bjarne", "Lovelace", "Ingrid", "Mateo", "Chiara", "Lukas", "Amélie",
            "Zoë", "Jürgen", "Søren", "Inês");
    private static final List<String> LAST = List.of("Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton",
            "Ritchie", "Liskov", "Thompson", "Allen", "Dijkstra", "Perlman", "Berners-Lee", "Lamarr", "Wirth",
            "Johnson", "Knuth", "Wilson", "Backus", "Borg", "Stroustrup", "Müller", "Rossi", "García", "Dubois",
            "Jensen", "Novák", "Silva", "de Vries", "Kowalski", "O'Brien");

    private final int customers;

    SeedCustomers(int customers) {
        this.customers = customers;
    }

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("2");
    }

    /** No checksum: the count may differ from start to start, and only an empty database is seeded. */
    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    /** The same whatever the count, so that a later start with another --customers validates. */
    @Override
    public String getDescription() {
        return "seed synthetic customers";
    }

    @Override
    public void migrate(Context context) throws Exception {
        SplittableRandom random = new SplittableRandom(20261202L);
        Connection connection = context.getConnection();
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO customer (id, name, email, segment, city, language) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (int id = 1; id <= customers; id++) {
                String first = FIRST.get(random.nextInt(FIRST.size()));
                String last = LAST.get(random.nextInt(LAST.size()));
                String local = ascii(first) + "." + ascii(last) + "." + id;
                String domain = random.nextInt(200) == 0 ? "bounce.example.com" : "example.com";
                insert.setLong(1, id);
                insert.setString(2, first + " " + last);
                insert.setString(3, local + "@" + domain);
                insert.setString(4, SEGMENTS.get(random.nextInt(SEGMENTS.size())));
                insert.setString(5, CITIES.get(random.nextInt(CITIES.size())));
                insert.setString(6, LANGUAGES.get(random.nextInt(LANGUAGES.size())));
                insert.addBatch();
                if (id % 1000 == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
    }

    private static String ascii(String name) {
        String plain = java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "")
                .replace("ø", "o")
                .toLowerCase(Locale.ROOT);
        return plain.replaceAll("[^a-z]", "");
    }
}
