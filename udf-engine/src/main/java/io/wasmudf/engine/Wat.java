package io.wasmudf.engine;

import io.wasmudf.engine.internal.text.TextFormat;
import java.nio.charset.StandardCharsets;

/**
 * The WebAssembly text format: converts a WAT module ({@code (module ...)} or its fields alone) to
 * the binary format, without any external tool. Covers the WebAssembly 3.0 text format; whether
 * the engine can run what the binary uses is decided later by {@link Engine#compile}.
 */
public final class Wat {
    private Wat() {}

    /**
     * Encodes one text module.
     *
     * @throws WatSyntaxException if the text is not a well-formed module (line:column and the
     *     spec's wording in the message)
     */
    public static byte[] toBinary(String text) {
        return toBinary(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Encodes one text module given as UTF-8 bytes. */
    public static byte[] toBinary(byte[] utf8) {
        return TextFormat.module(utf8);
    }

    /**
     * Encodes one text module by the text rules of {@code features}' version (2.0: limits and
     * memarg offsets are u32, "i32 constant out of range" / "i32 constant").
     */
    public static byte[] toBinary(String text, WasmFeatures features) {
        return TextFormat.module(text.getBytes(StandardCharsets.UTF_8), features);
    }
}
