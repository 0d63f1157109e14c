package io.wasmudf.pg;

/** The fields of an ErrorResponse/NoticeResponse. */
record PgError(String severity, String sqlState, String message, String detail, String hint, int position) {
    static PgError error(String sqlState, String message) {
        return new PgError("ERROR", sqlState, message, null, null, 0);
    }

    /** The same error with its position moved by {@code offset} characters (statement inside a longer query). */
    PgError shifted(int offset) {
        return position <= 0 || offset == 0 ? this : new PgError(severity, sqlState, message, detail, hint, position + offset);
    }

    static PgError fatal(String sqlState, String message) {
        return new PgError("FATAL", sqlState, message, null, null, 0);
    }
}
