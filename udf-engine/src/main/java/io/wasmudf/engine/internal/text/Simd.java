package io.wasmudf.engine.internal.text;

import io.wasmudf.engine.WasmFeatures;
import java.math.BigInteger;

/** The immediates of vector instructions: {@code v128.const} shapes and lanes, lane indices. */
final class Simd {
    private Simd() {}

    /** Writes the 16 bytes of {@code v128.const shape lane*} (after the opcode). */
    static void v128Const(Tokens t, ByteBuf out) {
        int shapeTok = t.pos;
        if (t.peek() != Tokens.KEYWORD) {
            throw t.unexpected();
        }
        String shape = t.text(shapeTok);
        int lanes;
        int bits;
        boolean isFloat = false;
        switch (shape) {
            case "i8x16": lanes = 16; bits = 8; break;
            case "i16x8": lanes = 8; bits = 16; break;
            case "i32x4": lanes = 4; bits = 32; break;
            case "i64x2": lanes = 2; bits = 64; break;
            case "f32x4": lanes = 4; bits = 32; isFloat = true; break;
            case "f64x2": lanes = 2; bits = 64; isFloat = true; break;
            default: throw t.unexpected();
        }
        t.pos++;
        int given = 0;
        while (t.peek(given) == Tokens.NUM || t.peek(given) == Tokens.RESERVED
                || (t.peek(given) == Tokens.KEYWORD && CodeParser.isFloatKeyword(t.text(t.pos + given)))) {
            given++;
        }
        if (given != lanes) {
            throw t.error(t.pos + Math.min(given, lanes), "wrong number of lane literals");
        }
        for (int k = 0; k < lanes; k++) {
            int tok = t.pos;
            int kind = t.peek();
            if (kind != Tokens.NUM && !(kind == Tokens.KEYWORD && CodeParser.isFloatKeyword(t.text(tok)))) {
                throw t.unexpected();
            }
            String text = t.text(tok);
            long v;
            try {
                if (isFloat) {
                    Long f = Numbers.floatBits(text, bits == 32);
                    if (f == null) {
                        throw t.error(tok, "unknown operator " + text);
                    }
                    v = f;
                } else {
                    Long i = Numbers.integer(text, bits);
                    if (i == null) {
                        throw Space.numberError(t, tok);
                    }
                    v = i;
                }
            } catch (Numbers.OutOfRange e) {
                throw t.error(tok, "constant out of range");
            }
            t.pos++;
            for (int b = 0; b < bits / 8; b++) {
                out.u8((int) (v >>> (8 * b)));
            }
        }
    }

    /** A lane index: a natural number below 256. */
    static int laneIndex(Tokens t) {
        // the same rule, worded by each version's reference parser
        return (int) Space.nat(t, 8, t.features == WasmFeatures.V2_0 ? "malformed lane index" : "i8 constant out of range");
    }

    /** The 16 lane indices of {@code i8x16.shuffle}. */
    static void shuffleLanes(Tokens t, ByteBuf out) {
        int first = t.pos;
        int n = 0;
        while (t.peek(n) == Tokens.NUM
                || (t.peek(n) == Tokens.KEYWORD && CodeParser.isFloatKeyword(t.text(first + n)))) {
            n++;
        }
        if (n != 16) {
            throw t.error(first, "invalid lane length");
        }
        for (int k = 0; k < 16; k++) {
            int tok = t.pos;
            BigInteger v = t.peek() == Tokens.NUM ? Numbers.nat(t.text(tok)) : null;
            if (v == null || v.bitLength() > 8) {
                throw t.error(tok, t.features == WasmFeatures.V2_0 ? "malformed lane index" : "i8 constant out of range");
            }
            out.u8(v.intValue());
            t.pos++;
        }
    }
}
