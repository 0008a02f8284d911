package io.github.afterresponse.demo.store;

import java.sql.SQLException;

/** The database failed; the SQL state tells which constraint, if any. */
public final class StoreException extends RuntimeException {

    StoreException(SQLException cause) {
        super(cause.getMessage(), cause);
    }

    /** Whether a unique constraint refused the write (SQL state class 23, 23505 on H2 and PostgreSQL). */
    public boolean isDuplicateKey() {
        return getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState());
    }
}
