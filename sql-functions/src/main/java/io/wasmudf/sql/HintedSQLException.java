package io.wasmudf.sql;

import java.sql.SQLException;

/**
 * A SQLException with PostgreSQL's HINT field. Embedded callers read the hint in the message, on a
 * line of its own as pgJDBC shows it ({@code \n  Hint: …}); the wire server sends it as the
 * ErrorResponse's H field.
 */
public final class HintedSQLException extends SQLException {
    private static final long serialVersionUID = 1L;
    private final String primary;
    private final String hint;

    public HintedSQLException(String sqlState, String message, String hint) {
        super(message + "\n  Hint: " + hint, sqlState);
        this.primary = message;
        this.hint = hint;
    }

    /** The message without the hint (PostgreSQL's primary message). */
    public String primaryMessage() {
        return primary;
    }

    /** The hint, a sentence as PostgreSQL writes them. */
    public String hint() {
        return hint;
    }
}
