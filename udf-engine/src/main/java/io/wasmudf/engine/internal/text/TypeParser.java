package io.wasmudf.engine.internal.text;

/**
 * Value, reference, heap and storage types, encoded as they appear in the binary format (a
 * one-byte code, or {@code 0x63/0x64} and a heap type for {@code (ref null? ht)}).
 */
final class TypeParser {
    private static final byte[][] SINGLE = new byte[256][];

    static {
        for (int k = 0; k < 256; k++) {
            SINGLE[k] = new byte[] {(byte) k};
        }
    }

    private final Tokens t;
    private final Space types;

    TypeParser(Tokens t, Space types) {
        this.t = t;
        this.types = types;
    }

    static byte[] single(int code) {
        return SINGLE[code];
    }

    /** Code of a number or vector type keyword, or -1. */
    static int numType(String w) {
        switch (w) {
            case "i32": return 0x7F;
            case "i64": return 0x7E;
            case "f32": return 0x7D;
            case "f64": return 0x7C;
            case "v128": return 0x7B;
            default: return -1;
        }
    }

    /** Code of a reference type shorthand keyword ({@code funcref}...), or -1. */
    static int refShorthand(String w) {
        switch (w) {
            case "funcref": return 0x70;
            case "externref": return 0x6F;
            case "anyref": return 0x6E;
            case "eqref": return 0x6D;
            case "i31ref": return 0x6C;
            case "structref": return 0x6B;
            case "arrayref": return 0x6A;
            case "nullfuncref": return 0x73;
            case "nullexternref": return 0x72;
            case "nullref": return 0x71;
            case "exnref": return 0x69;
            case "nullexnref": return 0x74;
            default: return -1;
        }
    }

    /** Code of an abstract heap type keyword, or -1. */
    static int absHeapType(String w) {
        switch (w) {
            case "func": return 0x70;
            case "extern": return 0x6F;
            case "any": return 0x6E;
            case "eq": return 0x6D;
            case "i31": return 0x6C;
            case "struct": return 0x6B;
            case "array": return 0x6A;
            case "nofunc": return 0x73;
            case "noextern": return 0x72;
            case "none": return 0x71;
            case "exn": return 0x69;
            case "noexn": return 0x74;
            default: return -1;
        }
    }

    /** Whether a value type starts at the cursor. */
    boolean atValType() {
        if (t.peek() == Tokens.KEYWORD) {
            String w = t.text(t.pos);
            return numType(w) >= 0 || refShorthand(w) >= 0;
        }
        return t.atForm("ref");
    }

    byte[] valType() {
        if (t.peek() == Tokens.KEYWORD) {
            int code = numType(t.text(t.pos));
            if (code >= 0) {
                t.pos++;
                return SINGLE[code];
            }
        }
        return refType();
    }

    /** A reference type: shorthand keyword or {@code (ref null? heaptype)}. */
    byte[] refType() {
        if (t.peek() == Tokens.KEYWORD) {
            int code = refShorthand(t.text(t.pos));
            if (code < 0) {
                throw t.unexpected();
            }
            t.pos++;
            return SINGLE[code];
        }
        t.openForm("ref");
        boolean nullable = t.tryKeyword("null");
        ByteBuf b = new ByteBuf(8);
        int abs = heapType(b);
        t.close();
        if (nullable && abs >= 0) {
            return SINGLE[abs];
        }
        ByteBuf out = new ByteBuf(8);
        out.u8(nullable ? 0x63 : 0x64).bytes(b);
        return out.toArray();
    }

    /** Whether the reference type at the cursor is nullable (without consuming it). */
    boolean refTypeNullable() {
        if (t.peek() == Tokens.KEYWORD) {
            return refShorthand(t.text(t.pos)) >= 0;
        }
        return t.atForm("ref") && t.isKeyword(2, "null");
    }

    /** Writes a heap type; returns its abstract code, or -1 for a type index. */
    int heapType(ByteBuf out) {
        if (t.peek() == Tokens.KEYWORD) {
            int code = absHeapType(t.text(t.pos));
            if (code < 0) {
                throw t.unexpected();
            }
            t.pos++;
            out.u8(code);
            return code;
        }
        if (!Space.atRef(t)) {
            throw t.unexpected();
        }
        int idx = types.resolve(t);
        out.s64(idx & 0xFFFFFFFFL);
        return -1;
    }

    /** A storage type: value type or packed {@code i8}/{@code i16}. */
    byte[] storageType() {
        if (t.isKeyword("i8")) {
            t.pos++;
            return SINGLE[0x78];
        }
        if (t.isKeyword("i16")) {
            t.pos++;
            return SINGLE[0x77];
        }
        return valType();
    }

    /** A field type ({@code (mut st)} or {@code st}) as storage type bytes followed by the mutability byte. */
    byte[] fieldType() {
        boolean mut = false;
        byte[] st;
        if (t.atForm("mut")) {
            t.openForm("mut");
            st = storageType();
            t.close();
            mut = true;
        } else {
            st = storageType();
        }
        byte[] out = new byte[st.length + 1];
        System.arraycopy(st, 0, out, 0, st.length);
        out[st.length] = (byte) (mut ? 1 : 0);
        return out;
    }
}
