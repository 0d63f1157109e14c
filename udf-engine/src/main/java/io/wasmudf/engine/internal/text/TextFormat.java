package io.wasmudf.engine.internal.text;

import io.wasmudf.engine.WasmFeatures;
import java.io.ByteArrayOutputStream;

/**
 * Entry to the text parser for the engine and the script runner: a whole module text to binary.
 * Accepts {@code (module $id? field*)}, bare fields, and the script forms
 * {@code (module binary "...")} and {@code (module quote "...")}.
 */
public final class TextFormat {
    private TextFormat() {}

    /** Encodes one module given as UTF-8 text. */
    public static byte[] module(byte[] utf8) {
        return module(utf8, WasmFeatures.V3_0);
    }

    /** Encodes one module given as UTF-8 text, by the text rules of {@code features}' version. */
    public static byte[] module(byte[] utf8, WasmFeatures features) {
        Tokens t = Lexer.lex(utf8, features);
        byte[] binary = moduleAt(t);
        if (t.peek() != Tokens.EOF) {
            throw t.unexpected();
        }
        return binary;
    }

    /** The module at the cursor: a {@code (module ...)} form or, outside one, fields up to the end. */
    static byte[] moduleAt(Tokens t) {
        if (!t.atForm("module")) {
            return ModuleParser.fields(t);
        }
        t.pos += 2;
        t.optId();
        byte[] binary;
        if (t.tryKeyword("binary")) {
            binary = strings(t);
        } else if (t.tryKeyword("quote")) {
            binary = module(strings(t), t.features);
        } else {
            binary = ModuleParser.fields(t);
        }
        t.close();
        return binary;
    }

    /** Concatenated string tokens at the cursor. */
    static byte[] strings(Tokens t) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (t.peek() == Tokens.STRING) {
            b.writeBytes(t.string());
        }
        return b.toByteArray();
    }
}
