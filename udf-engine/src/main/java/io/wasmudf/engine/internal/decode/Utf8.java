package io.wasmudf.engine.internal.decode;

/**
 * Strict UTF-8 well-formedness as the Wasm spec requires for names: no overlong forms, no
 * surrogates, nothing above U+10FFFF. Checked by hand so the rules do not depend on the JDK
 * decoder's replacement behaviour.
 */
public final class Utf8 {
    private Utf8() {}

    public static boolean isValid(byte[] b, int from, int length) {
        int i = from;
        int end = from + length;
        while (i < end) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int extra;
            int lo = 0x80;
            int hi = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                extra = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                extra = 2;
                if (c == 0xE0) {
                    lo = 0xA0;
                } else if (c == 0xED) {
                    hi = 0x9F;
                }
            } else if (c >= 0xF0 && c <= 0xF4) {
                extra = 3;
                if (c == 0xF0) {
                    lo = 0x90;
                } else if (c == 0xF4) {
                    hi = 0x8F;
                }
            } else {
                return false;
            }
            if (end - i <= extra) {
                return false;
            }
            int second = b[i + 1] & 0xFF;
            if (second < lo || second > hi) {
                return false;
            }
            for (int k = 2; k <= extra; k++) {
                int cont = b[i + k] & 0xFF;
                if (cont < 0x80 || cont > 0xBF) {
                    return false;
                }
            }
            i += extra + 1;
        }
        return true;
    }
}
