package io.github.afterresponse.demo.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The database: H2 in file mode under the data directory by default, or any JDBC URL
 * (PostgreSQL tested). Flyway brings the schema up to date and seeds the customers once.
 */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final String description;

    private Database(HikariDataSource dataSource, String description) {
        this.dataSource = dataSource;
        this.description = description;
    }

    /**
     * Opens the database and migrates it.
     *
     * @param url JDBC URL, or empty for H2 under {@code dataDir}
     * @param customers how many synthetic customers the seed migration writes into an empty database
     */
    public static Database open(String url, String user, String password, Path dataDir, int customers)
            throws java.io.IOException {
        HikariConfig config = new HikariConfig();
        String description;
        if (url.isEmpty()) {
            Files.createDirectories(dataDir);
            Path file = dataDir.toAbsolutePath().normalize().resolve("mailer");
            // WRITE_DELAY=0: H2 stores each commit before it returns. With its default (500 ms) a
            // SIGKILL loses the last half second of commits, and every message they recorded as
            // sent would be sent again after the restart.
            // DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook would close the database while the
            // shutdown grace still lets campaigns store where they stopped; close() closes it.
            config.setJdbcUrl("jdbc:h2:file:" + file + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
            config.setUsername("sa");
            config.setPassword("");
            description = "H2 " + file + ".mv.db";
        } else {
            config.setJdbcUrl(url);
            config.setUsername(user);
            config.setPassword(password);
            description = url.replaceAll("password=[^&;]*", "password=***");
        }
        config.setPoolName("mailer-db");
        config.setMaximumPoolSize(24);
        config.setConnectionTimeout(10_000);
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .javaMigrations(new SeedCustomers(customers))
                    .load()
                    .migrate();
            try (Connection connection = dataSource.getConnection()) {
                description = connection.getMetaData().getDatabaseProductName() + " "
                        + connection.getMetaData().getDatabaseProductVersion() + " (" + description + ")";
            }
        } catch (RuntimeException | SQLException e) {
            dataSource.close();
            throw new IllegalStateException("database " + description + ": " + e.getMessage(), e);
        }
        return new Database(dataSource, description);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Product, version and where it is, for the start-up line. */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
