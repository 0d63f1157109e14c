package io.wasmudf.sql;

/** A guest broke the ABI contract at call time (bad UTF-8, bad option tag, value out of range). */
public final class AbiException extends RuntimeException {
    private final String sqlState;

    public AbiException(String sqlState, String message) {
        super(message, null, false, false);
        this.sqlState = sqlState;
    }

    public String sqlState() {
        return sqlState;
    }
}
