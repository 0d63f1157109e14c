package io.wasmudf.pg;

import java.sql.SQLException;

/**
 * A failure the server words completely itself, with the ErrorResponse fields a plain
 * SQLException cannot carry (HINT, CONTEXT); {@link PgErrors#of} passes it through unchanged.
 */
final class ReportedException extends SQLException {
    private static final long serialVersionUID = 1L;

    private final transient PgError error;

    ReportedException(PgError error, Throwable cause) {
        super(error.message(), error.sqlState(), cause);
        this.error = error;
    }

    ReportedException(PgError error) {
        this(error, null);
    }

    PgError error() {
        return error;
    }
}
