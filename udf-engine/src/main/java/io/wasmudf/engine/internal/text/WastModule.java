package io.wasmudf.engine.internal.text;

import io.wasmudf.engine.WasmFeatures;
import io.wasmudf.engine.WatSyntaxException;

/**
 * A module in a script: text (already encoded, or the error that stopped it), binary
 * ({@code (module binary ...)}), or quoted text ({@code (module quote ...)}, encoded on demand so
 * that {@code assert_malformed} can observe the error).
 *
 * @param kind how the module was written
 * @param name its {@code $name}, or null
 * @param definition written as {@code (module definition ...)}: defined, not instantiated
 * @param line 1-based line of its {@code (module}
 * @param bytes the binary (TEXT, BINARY) or the quoted text (QUOTE); null for TEXT that failed
 * @param error why a TEXT module is malformed, or null
 * @param source the module's text as written (the whole form for TEXT, the quoted text for QUOTE)
 */
public record WastModule(Kind kind, String name, boolean definition, int line, byte[] bytes,
        WatSyntaxException error, byte[] source) {

    /** How a script writes a module. */
    public enum Kind { TEXT, BINARY, QUOTE }

    /** The binary module; for text forms, throws {@link WatSyntaxException} if it is malformed. */
    public byte[] binary() {
        return binary(WasmFeatures.V3_0);
    }

    /** As {@link #binary()}, quoted text read by the text rules of {@code features}' version. */
    public byte[] binary(WasmFeatures features) {
        switch (kind) {
            case TEXT:
                if (error != null) {
                    throw error;
                }
                return bytes;
            case BINARY:
                return bytes;
            default:
                return TextFormat.module(bytes, features);
        }
    }
}
