package io.wasmudf.sql;

import java.sql.SQLException;

/** Hex decoding for bytea ({@code \x…}) and H2 binary ({@code X'…'}) literals. */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {}

    /**
     * Decodes pairs of hex digits; whitespace between pairs is allowed, as in PostgreSQL.
     *
     * @throws SQLException 22023 naming {@code what} on an odd digit count or a non-hex character
     */
    public static byte[] decode(String hex, String what) throws SQLException {
        byte[] out = new byte[hex.length() / 2];
        int n = 0;
        int i = 0;
        while (i < hex.length()) {
            char c = hex.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            int hi = Character.digit(c, 16);
            if (hi < 0) {
                throw SqlStates.error(SqlStates.INVALID_PARAMETER_VALUE, what + ": invalid hexadecimal digit \"" + c + "\" at offset " + i);
            }
            if (i + 1 >= hex.length()) {
                throw SqlStates.error(SqlStates.INVALID_PARAMETER_VALUE, what + ": invalid hexadecimal data: odd number of digits");
            }
            int lo = Character.digit(hex.charAt(i + 1), 16);
            if (lo < 0) {
                throw SqlStates.error(SqlStates.INVALID_PARAMETER_VALUE, what + ": invalid hexadecimal digit \"" + hex.charAt(i + 1) + "\" at offset " + (i + 1));
            }
            out[n++] = (byte) (hi << 4 | lo);
            i += 2;
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /** Lower-case hex of {@code bytes}. */
    public static String encode(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = DIGITS[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = DIGITS[bytes[i] & 0xF];
        }
        return new String(out);
    }
}
