package io.wasmudf.engine;

/** Instantiation failed because an import is missing or has an incompatible type. */
public class LinkException extends WasmException {
    private final String reason;

    public LinkException(String reason, String importModule, String importName) {
        super(reason + ": " + importModule + "." + importName);
        this.reason = reason;
    }

    /** For a failure that concerns several imports: {@code message} is the whole message, naming them all. */
    protected LinkException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** "unknown import" or "incompatible import type", as the spec suite words it. */
    public String reason() {
        return reason;
    }
}
