package io.github.afterresponse.demo.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/** The customers: the segments and cities there are, and who an audience selects. */
public final class CustomerStore {

    private final Jdbc jdbc;

    public CustomerStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    public List<String> segments() {
        return jdbc.list("SELECT DISTINCT segment FROM customer ORDER BY segment", row -> row.getString(1));
    }

    public List<String> cities() {
        return jdbc.list("SELECT DISTINCT city FROM customer ORDER BY city", row -> row.getString(1));
    }

    public long count() {
        return jdbc.count("SELECT COUNT(*) FROM customer");
    }

    /** How many customers the audience selects. */
    public long count(Audience audience) {
        Where where = Where.of(audience);
        return jdbc.count("SELECT COUNT(*) FROM customer c" + where.sql(), where.parameters());
    }

    /** The first customer the audience selects, for a preview. */
    public Optional<Customer> first(Audience audience) {
        Where where = Where.of(audience);
        return jdbc.one("SELECT id, name, email, segment, city, language FROM customer c" + where.sql()
                + " ORDER BY id FETCH FIRST 1 ROWS ONLY", row -> new Customer(row.getLong(1), row.getString(2),
                row.getString(3), row.getString(4), row.getString(5), row.getString(6)), where.parameters());
    }

    /** The given addresses no customer has, compared without regard to case. */
    public Set<String> unknownEmails(List<String> emails) {
        Set<String> unknown = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        unknown.addAll(emails);
        for (int from = 0; from < emails.size(); from += 500) {
            List<String> chunk = emails.subList(from, Math.min(emails.size(), from + 500));
            String marks = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
            unknown.removeAll(jdbc.list("SELECT email FROM customer WHERE LOWER(email) IN (" + marks + ")",
                    row -> row.getString(1), chunk.stream().map(e -> e.toLowerCase(java.util.Locale.ROOT)).toArray()));
        }
        return unknown;
    }

    /** The WHERE clause an audience stands for, on table alias {@code c}. */
    record Where(String sql, Object[] parameters) {
        static Where of(Audience audience) {
            List<String> conditions = new ArrayList<>();
            List<Object> parameters = new ArrayList<>();
            audience.segment().ifPresent(segment -> {
                conditions.add("c.segment = ?");
                parameters.add(segment);
            });
            audience.city().ifPresent(city -> {
                conditions.add("c.city = ?");
                parameters.add(city);
            });
            if (!audience.emails().isEmpty()) {
                conditions.add("LOWER(c.email) IN (" + String.join(",", java.util.Collections.nCopies(audience.emails().size(), "?")) + ")");
                audience.emails().forEach(e -> parameters.add(e.toLowerCase(java.util.Locale.ROOT)));
            }
            return new Where(conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions), parameters.toArray());
        }
    }
}
