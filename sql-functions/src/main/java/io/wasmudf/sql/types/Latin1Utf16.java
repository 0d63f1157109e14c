package io.wasmudf.sql.types;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Text arguments in the canonical ABI's {@code latin1+utf16} encoding, for modules that declare it
 * (see {@link io.wasmudf.sql.ModuleCheck#LATIN1_UTF16_ARGS}): a string whose chars all fit Latin-1 is passed as
 * one byte per char, any other as UTF-16LE code units with {@link #UTF16_TAG} set in the length.
 * Both are the host's own representation of a {@code String}, so passing one is a copy, and the
 * guest gets a Latin-1 string's length in code points for free.
 */
final class Latin1Utf16 {
    /** The length's high bit: the string is UTF-16 and the length counts 16-bit code units. */
    static final int UTF16_TAG = 1 << 31;

    /** One 16-bit store per unit, not two byte stores. */
    private static final VarHandle UTF16LE = MethodHandles.byteArrayViewVarHandle(char[].class, ByteOrder.LITTLE_ENDIAN);

    private Latin1Utf16() {}

    /** Whether every char of {@code s} fits one Latin-1 byte; stops at the first that does not. */
    static boolean isLatin1(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x100) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes {@code s} at {@code buf[off]}, which has room for it ({@code s.length()} bytes if
     * {@code latin1}, twice that otherwise); returns the length to pass, tagged for UTF-16.
     */
    @SuppressWarnings("deprecation")
    static int write(String s, boolean latin1, byte[] buf, int off) {
        int n = s.length();
        if (latin1) {
            // each char's low byte, which for these chars is the char; for strings the JDK holds
            // as Latin-1 (all of these, unless compact strings are off) it is one array copy
            s.getBytes(0, n, buf, off);
            return n;
        }
        for (int i = 0, p = off; i < n; i++, p += 2) {
            UTF16LE.set(buf, p, s.charAt(i));
        }
        return n | UTF16_TAG;
    }
}
