package io.wasmudf.engine;

/** The module decodes but fails validation; the message uses the spec suite's wording. */
public class InvalidModuleException extends WasmException {
    private final String reason;

    public InvalidModuleException(String reason) {
        super(reason);
        this.reason = reason;
    }

    public InvalidModuleException(String reason, String where) {
        super(reason + " (" + where + ")");
        this.reason = reason;
    }

    /** The spec-worded reason without location details. */
    public String reason() {
        return reason;
    }
}
