package io.github.afterresponse.demo.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The few JDBC shapes the stores use; SQLExceptions leave as {@link StoreException}. */
final class Jdbc {

    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet row) throws SQLException;
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;

    Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    <T> List<T> list(String sql, Row<T> row, Object... parameters) {
        return run(connection -> list(connection, sql, row, parameters));
    }

    static <T> List<T> list(Connection connection, String sql, Row<T> row, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters); ResultSet rows = statement.executeQuery()) {
            List<T> result = new ArrayList<>();
            while (rows.next()) {
                result.add(row.read(rows));
            }
            return result;
        }
    }

    <T> Optional<T> one(String sql, Row<T> row, Object... parameters) {
        List<T> rows = list(sql, row, parameters);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    long count(String sql, Object... parameters) {
        return one(sql, rows -> rows.getLong(1), parameters).orElse(0L);
    }

    int update(String sql, Object... parameters) {
        return run(connection -> update(connection, sql, parameters));
    }

    static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        }
    }

    /** Runs work in one transaction: committed if it returns, rolled back if it throws. */
    <T> T transaction(Work<T> work) {
        return run(connection -> {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        });
    }

    <T> T run(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < parameters.length; i++) {
                Object value = parameters[i];
                if (value instanceof Instant instant) {
                    statement.setTimestamp(i + 1, Timestamp.from(instant));
                } else if (value instanceof Optional<?> optional) {
                    statement.setObject(i + 1, optional.orElse(null));
                } else if (value instanceof Enum<?> constant) {
                    statement.setString(i + 1, constant.name());
                } else {
                    statement.setObject(i + 1, value);
                }
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    static Optional<Instant> instant(ResultSet row, String column) throws SQLException {
        Timestamp value = row.getTimestamp(column);
        return Optional.ofNullable(value).map(Timestamp::toInstant);
    }

    static Optional<String> text(ResultSet row, String column) throws SQLException {
        return Optional.ofNullable(row.getString(column));
    }
}
