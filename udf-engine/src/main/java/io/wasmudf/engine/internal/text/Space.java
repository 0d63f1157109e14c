package io.wasmudf.engine.internal.text;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

/**
 * One index space of a module (functions, types, locals...): its symbolic names and size.
 * Numeric references pass through unchecked (range is the validator's business); a name must be
 * bound, else the text is malformed.
 */
final class Space {
    private final String kind;
    private final Map<String, Integer> names = new HashMap<>();
    private int count;

    Space(String kind) {
        this.kind = kind;
    }

    int count() {
        return count;
    }

    /** Adds an entry, named or not; a name bound twice is "duplicate KIND". */
    int add(String id, Tokens t, int tok) {
        if (id != null && names.putIfAbsent(id, count) != null) {
            throw t.error(tok, "duplicate " + kind);
        }
        return count++;
    }

    Integer lookup(String id) {
        return names.get(id);
    }

    /** Reads an index or name at the cursor. */
    int resolve(Tokens t) {
        int tok = t.pos;
        if (t.peek() == Tokens.ID) {
            Integer i = names.get(t.text(tok));
            if (i == null) {
                throw t.error(tok, "unknown " + kind + " $" + t.text(tok));
            }
            t.pos++;
            return i;
        }
        return nat32(t);
    }

    /** Whether the token at the cursor can start a reference (a name or a number). */
    static boolean atRef(Tokens t) {
        return t.peek() == Tokens.ID || t.peek() == Tokens.NUM;
    }

    /** An unsigned 32-bit number at the cursor. */
    static int nat32(Tokens t) {
        return (int) nat(t, 32, "constant out of range");
    }

    /** An unsigned number of at most {@code bits} bits at the cursor; wider ones fail with {@code tooWide}. */
    static long nat(Tokens t, int bits, String tooWide) {
        int tok = t.pos;
        if (t.peek() != Tokens.NUM) {
            throw t.unexpected();
        }
        BigInteger v = Numbers.nat(t.text(tok));
        if (v == null) {
            throw numberError(t, tok);
        }
        if (v.bitLength() > bits) {
            throw t.error(tok, tooWide);
        }
        t.pos++;
        return v.longValue();
    }

    /** A malformed number token is "unknown operator"; a well-formed one of the wrong sort "unexpected token". */
    static RuntimeException numberError(Tokens t, int tok) {
        String s = t.text(tok);
        boolean wellFormed;
        try {
            wellFormed = Numbers.integer(s, 64) != null || Numbers.f64(s) != null;
        } catch (Numbers.OutOfRange e) {
            wellFormed = true;
        }
        return wellFormed ? t.error(tok, "unexpected token") : t.error(tok, "unknown operator " + s);
    }
}
