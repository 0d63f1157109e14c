package io.wasmudf.engine.internal.text;

import io.wasmudf.engine.WatSyntaxException;
import io.wasmudf.engine.internal.decode.Utf8;
import java.nio.charset.StandardCharsets;
import io.wasmudf.engine.WasmFeatures;
import java.util.Arrays;

/**
 * The token stream of one text source with a cursor: kinds, byte ranges, keyword/identifier text
 * and decoded string values in parallel arrays. Parsers move the cursor and ask for typed values;
 * every error names the 1-based line and column of the token it is about.
 */
final class Tokens {
    static final int LPAR = 0;
    static final int RPAR = 1;
    static final int KEYWORD = 2;
    static final int ID = 3;
    static final int STRING = 4;
    static final int NUM = 5;
    static final int RESERVED = 6;
    static final int EOF = 7;

    private final byte[] source;
    private int[] kinds = new int[64];
    private int[] starts = new int[64];
    private int[] ends = new int[64];
    private String[] texts = new String[64];
    private byte[][] strings = new byte[64][];
    private int count;
    private int[] lineStarts;
    /** The cursor: index of the next token. */
    int pos;
    /** The version whose text rules apply where 2.0 and 3.0 differ (u32 limits and offsets in 2.0). */
    WasmFeatures features = WasmFeatures.V3_0;

    Tokens(byte[] source) {
        this.source = source;
    }

    void add(int kind, int start, int end, String text, byte[] value) {
        if (count == kinds.length) {
            int cap = count * 2;
            kinds = Arrays.copyOf(kinds, cap);
            starts = Arrays.copyOf(starts, cap);
            ends = Arrays.copyOf(ends, cap);
            texts = Arrays.copyOf(texts, cap);
            strings = Arrays.copyOf(strings, cap);
        }
        kinds[count] = kind;
        starts[count] = start;
        ends[count] = end;
        texts[count] = text;
        strings[count] = value;
        count++;
    }

    void finish() {
        int lines = 1;
        for (byte c : source) {
            if (c == '\n') {
                lines++;
            }
        }
        lineStarts = new int[lines];
        int k = 1;
        for (int j = 0; j < source.length; j++) {
            if (source[j] == '\n') {
                lineStarts[k++] = j + 1;
            }
        }
    }

    byte[] source() {
        return source;
    }

    int count() {
        return count;
    }

    // ---- inspection at an index

    int kind(int t) {
        return kinds[t];
    }

    String text(int t) {
        return texts[t];
    }

    byte[] stringValue(int t) {
        return strings[t];
    }

    int start(int t) {
        return starts[t];
    }

    int end(int t) {
        return ends[t];
    }

    // ---- cursor

    int peek() {
        return kinds[pos];
    }

    int peek(int ahead) {
        int t = pos + ahead;
        return t < count ? kinds[t] : EOF;
    }

    boolean isKeyword(String word) {
        return kinds[pos] == KEYWORD && texts[pos].equals(word);
    }

    boolean isKeyword(int ahead, String word) {
        int t = pos + ahead;
        return t < count && kinds[t] == KEYWORD && texts[t].equals(word);
    }

    /** Whether the cursor is at {@code (word}. */
    boolean atForm(String word) {
        return kinds[pos] == LPAR && isKeyword(1, word);
    }

    /** The keyword after the {@code (} at the cursor, or null. */
    String formHead() {
        if (kinds[pos] != LPAR || pos + 1 >= count || kinds[pos + 1] != KEYWORD) {
            return null;
        }
        return texts[pos + 1];
    }

    boolean peekId() {
        return kinds[pos] == ID;
    }

    void expect(int kind) {
        if (kinds[pos] != kind) {
            throw unexpected();
        }
        pos++;
    }

    void expectKeyword(String word) {
        if (!isKeyword(word)) {
            throw unexpected();
        }
        pos++;
    }

    /** Consumes {@code (word}. */
    void openForm(String word) {
        expect(LPAR);
        expectKeyword(word);
    }

    void close() {
        expect(RPAR);
    }

    boolean tryKeyword(String word) {
        if (isKeyword(word)) {
            pos++;
            return true;
        }
        return false;
    }

    /** An optional {@code $id}: its name or null. */
    String optId() {
        if (kinds[pos] == ID) {
            return texts[pos++];
        }
        return null;
    }

    String keyword() {
        if (kinds[pos] != KEYWORD) {
            throw unexpected();
        }
        return texts[pos++];
    }

    byte[] string() {
        if (kinds[pos] != STRING) {
            throw unexpected();
        }
        return strings[pos++];
    }

    /** A string that must be a well-formed UTF-8 name. */
    String name() {
        int t = pos;
        byte[] value = string();
        if (!Utf8.isValid(value, 0, value.length)) {
            throw errorAt(starts[t], "malformed UTF-8 encoding");
        }
        return new String(value, StandardCharsets.UTF_8);
    }

    /** Skips one token or a whole parenthesised form. */
    void skipItem() {
        if (kinds[pos] == LPAR) {
            int depth = 0;
            do {
                int k = kinds[pos];
                if (k == LPAR) {
                    depth++;
                } else if (k == RPAR) {
                    depth--;
                } else if (k == EOF) {
                    throw unexpected();
                }
                pos++;
            } while (depth > 0);
        } else if (kinds[pos] == EOF || kinds[pos] == RPAR) {
            throw unexpected();
        } else {
            pos++;
        }
    }

    /** Skips to just after the {@code )} closing the form whose inside the cursor is in. */
    void skipToClose() {
        while (kinds[pos] != RPAR) {
            skipItem();
        }
        pos++;
    }

    /** 1-based line of a token. */
    int line(int t) {
        int idx = Arrays.binarySearch(lineStarts, starts[t]);
        return (idx >= 0 ? idx : -idx - 2) + 1;
    }

    // ---- errors

    /** The error for the token at the cursor: "unknown operator" for words outside the language. */
    WatSyntaxException unexpected() {
        return unexpected(pos);
    }

    WatSyntaxException unexpected(int t) {
        int k = kinds[t];
        if (k == RESERVED || (k == KEYWORD && !Vocabulary.isKnown(texts[t]))) {
            return error(t, "unknown operator " + texts[t]);
        }
        if (k == EOF) {
            return error(t, "unexpected end of input");
        }
        return error(t, "unexpected token");
    }

    WatSyntaxException error(int t, String reason) {
        return errorAt(t < count ? starts[t] : source.length, reason);
    }

    WatSyntaxException errorAt(int offset, String reason) {
        int[] ls = lineStarts;
        if (ls == null) {
            int line = 1;
            int lineStart = 0;
            for (int j = 0; j < offset && j < source.length; j++) {
                if (source[j] == '\n') {
                    line++;
                    lineStart = j + 1;
                }
            }
            return new WatSyntaxException(reason, line, offset - lineStart + 1);
        }
        int idx = Arrays.binarySearch(ls, offset);
        int line = idx >= 0 ? idx : -idx - 2;
        return new WatSyntaxException(reason, line + 1, offset - ls[line] + 1);
    }
}
