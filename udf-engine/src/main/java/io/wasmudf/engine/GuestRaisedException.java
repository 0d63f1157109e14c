package io.wasmudf.engine;

/**
 * The guest raised an SQL error through {@code wasmudf.raise_error}, with an SQLSTATE and a
 * message of its choice (PostgreSQL's {@code ereport(ERROR)}). The SQLSTATE is five digits or
 * upper-case letters and never of class 00, 01 or 02 (not errors); anything else the guest
 * passes becomes 38000 with the problem said in the message.
 */
public final class GuestRaisedException extends WasmException {
    private final String sqlState;
    private final String guestMessage;

    public GuestRaisedException(String sqlState, String guestMessage) {
        super(guestMessage);
        this.sqlState = sqlState;
        this.guestMessage = guestMessage;
    }

    /** The SQLSTATE the guest chose. */
    public String sqlState() {
        return sqlState;
    }

    /** The guest's message (at most {@code HostEnvironment}'s message limit, decoded as UTF-8). */
    public String guestMessage() {
        return guestMessage;
    }
}
