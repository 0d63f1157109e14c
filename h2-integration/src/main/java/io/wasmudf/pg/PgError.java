package io.wasmudf.pg;

/**
 * The fields of an ErrorResponse/NoticeResponse; {@code where} is PostgreSQL's CONTEXT line
 * (e.g. {@code COPY t, line 3}), null when there is none.
 */
record PgError(String severity, String sqlState, String message, String detail, String hint, int position, String where) {
    PgError(String severity, String sqlState, String message, String detail, String hint, int position) {
        this(severity, sqlState, message, detail, hint, position, null);
    }

    static PgError error(String sqlState, String message) {
        return new PgError("ERROR", sqlState, message, null, null, 0);
    }

    /** The same error with its position moved by {@code offset} characters (statement inside a longer query). */
    PgError shifted(int offset) {
        return position <= 0 || offset == 0 ? this : new PgError(severity, sqlState, message, detail, hint, position + offset, where);
    }

    /** The same error with a CONTEXT line. */
    PgError withWhere(String context) {
        return new PgError(severity, sqlState, message, detail, hint, position, context);
    }

    /** The same error with a HINT. */
    PgError withHint(String text) {
        return new PgError(severity, sqlState, message, detail, text, position, where);
    }

    static PgError fatal(String sqlState, String message) {
        return new PgError("FATAL", sqlState, message, null, null, 0);
    }
}
