package io.wasmudf.sql.types;

import io.wasmudf.sql.AbiException;
import io.wasmudf.sql.SqlStates;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * UTF-8 straight into and out of guest memory, so passing a string costs no intermediate array.
 * Unpaired surrogates encode as {@code '?'}, like {@link String#getBytes}.
 */
final class Utf8 {
    // a 2-, 3- or 4-byte sequence as one or two little-endian stores: fewer bounds checks than a
    // store per byte (the UTF-8 bridge on the benchmark's strings: 40.3 -> 37.2 ns in-process)
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    // eight bytes' sign bits at once for the ASCII scans of results: C2 does not vectorise a byte
    // loop that exits early, so a byte-at-a-time scan costs a compare and branch per byte
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8() {}

    /**
     * Strings up to this many chars are written without being measured first: the host allocates
     * UTF-8's worst case, 3 bytes per char, and passes the encoded length. Measuring took about a
     * third of the host's cost of passing a short string; the memory is the guest's for the call
     * only, and 3 KB at most.
     */
    static final int UNMEASURED_CHARS = 1024;

    /** The encoded length of {@code s}. */
    static int length(String s) {
        return (int) (measure(s) >>> 1);
    }

    /**
     * How to pass {@code s}, for {@link #allocation} and {@link #write}: a {@link #measure} result
     * for a long string; for a short one (see {@link #UNMEASURED_CHARS}) UTF-8's worst case, marked
     * as needing {@link #encode}.
     */
    static long plan(String s) {
        int n = s.length();
        return n <= UNMEASURED_CHARS ? (long) (3 * n) << 1 | 1 : measure(s);
    }

    /** The bytes {@link #plan} asks to allocate. */
    static int allocation(long plan) {
        return (int) (plan >>> 1);
    }

    /**
     * The encoded length of {@code s} shifted left by one, with the low bit set when {@code s} has a
     * character outside ASCII (then {@link #encode} is needed; otherwise the chars' low bytes are
     * the encoding).
     */
    static long measure(String s) {
        int n = s.length();
        long len = n;
        boolean ascii = true;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                ascii = false;
                if (c < 0x800) {
                    len += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    len += 2; // 4 bytes for 2 chars
                    i++;
                } else if (Character.isSurrogate(c)) {
                    // '?' : one byte, already counted
                } else {
                    len += 2;
                }
            }
        }
        if (len > Integer.MAX_VALUE) {
            throw new AbiException(SqlStates.INVALID_PARAMETER_VALUE, "string too long for a 32-bit guest");
        }
        return len << 1 | (ascii ? 0 : 1);
    }

    /**
     * Writes {@code s} at {@code buf[off]}, in the {@link #allocation} bytes its {@link #plan} asked
     * for: {@link #encode} if the plan's low bit says so, else a copy; returns the encoded length.
     */
    @SuppressWarnings("deprecation")
    static int write(String s, boolean encode, byte[] buf, int off) {
        if (!encode) {
            // measured as all ASCII: String.getBytes(int, int, byte[], int) copies each char's low
            // byte, which is its UTF-8; for Latin-1 strings the JDK does it as one array copy
            s.getBytes(0, s.length(), buf, off);
            return s.length();
        }
        return encode(s, buf, off);
    }

    /** Encodes {@code s} at {@code buf[off]}, which has room for its UTF-8; returns the encoded length. */
    @SuppressWarnings("deprecation")
    static int encode(String s, byte[] buf, int off) {
        int n = s.length();
        // the ASCII prefix in one copy (an array copy for the Latin-1 strings the JDK holds), then
        // the rest char by char: 47 -> 38 ns per ASCII or Latin-1 string in the per-row benchmark
        int ascii = 0;
        while (ascii < n && s.charAt(ascii) < 0x80) {
            ascii++;
        }
        s.getBytes(0, ascii, buf, off);
        if (ascii == n) {
            return n;
        }
        int p = off + ascii;
        // i is the loop's only counter (a surrogate pair is written at its low half), so C2 makes
        // it a counted loop and hoists charAt's checks: 1.3-1.4x faster on realistic titles and
        // JSON documents than skipping the low half with i++ inside (thread CPU time, 2026-12-07)
        for (int i = ascii; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                buf[p++] = (byte) c;
            } else if (c < 0x800) {
                SHORT_LE.set(buf, p, (short) (0x80C0 | c >> 6 | (c & 0x3F) << 8));
                p += 2;
            } else if (!Character.isSurrogate(c)) {
                SHORT_LE.set(buf, p, (short) (0x80E0 | c >> 12 | (c >> 6 & 0x3F) << 8));
                buf[p + 2] = (byte) (0x80 | c & 0x3F);
                p += 3;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                // paired: written with its low half, on the next iteration
            } else if (Character.isLowSurrogate(c) && i > ascii && Character.isHighSurrogate(s.charAt(i - 1))) {
                int cp = Character.toCodePoint(s.charAt(i - 1), c);
                INT_LE.set(buf, p, 0x808080F0 | cp >> 18 | (cp >> 12 & 0x3F) << 8 | (cp >> 6 & 0x3F) << 16 | (cp & 0x3F) << 24);
                p += 4;
            } else {
                buf[p++] = '?'; // unpaired
            }
        }
        return p - off;
    }

    /** How many of {@code buf[off, off+len)}'s leading bytes are ASCII (all {@code len} when every byte is). */
    static int asciiPrefix(byte[] buf, int off, int len) {
        int i = off;
        int end = off + len;
        for (; i <= end - 8; i += 8) {
            long w = (long) LONG_LE.get(buf, i);
            if ((w & HIGH_BITS) != 0) {
                // the lowest set sign bit is the first non-ASCII byte (little-endian)
                return i - off + (Long.numberOfTrailingZeros(w & HIGH_BITS) >>> 3);
            }
        }
        while (i < end && buf[i] >= 0) {
            i++;
        }
        return i - off;
    }

    /**
     * Decodes {@code buf[off, off+len)} into {@code out} as Latin-1, one byte per char, if it is
     * well-formed UTF-8 whose chars all fit Latin-1 (ASCII, and U+0080..U+00FF as {@code C2}/{@code C3}
     * sequences); returns the number of chars, or -1 at the first byte that is anything else (a
     * wider char, or malformed: the caller then takes the general path, which tells the two apart).
     * The first {@code ascii} bytes are known to be ASCII. {@code out} has room for {@code len} bytes.
     */
    static int decodeLatin1(byte[] buf, int off, int len, int ascii, byte[] out) {
        System.arraycopy(buf, off, out, 0, ascii);
        int o = ascii;
        int end = off + len;
        int i = off + ascii;
        while (i < end) {
            int b = buf[i];
            if (b >= 0) {
                out[o++] = (byte) b;
                i++;
            } else if ((b == (byte) 0xC2 || b == (byte) 0xC3) && i + 1 < end && cont(buf[i + 1])) {
                out[o++] = (byte) ((b & 0x03) << 6 | buf[i + 1] & 0x3F);
                i += 2;
            } else {
                return -1;
            }
        }
        return o;
    }

    /** True if {@code buf[off, off+len)} is well-formed UTF-8 (no overlongs, surrogates or values above U+10FFFF). */
    static boolean isValid(byte[] buf, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            int b = buf[i];
            if (b >= 0) {
                // a run of ASCII between multi-byte sequences (names, words between accents)
                i += 1 + asciiPrefix(buf, i + 1, end - i - 1);
                continue;
            }
            b &= 0xFF;
            if (b >= 0xC2 && b <= 0xDF) {
                if (i + 1 >= end || !cont(buf[i + 1])) {
                    return false;
                }
                i += 2;
            } else if (b >= 0xE0 && b <= 0xEF) {
                if (i + 2 >= end || !cont(buf[i + 1]) || !cont(buf[i + 2])) {
                    return false;
                }
                int b1 = buf[i + 1] & 0xFF;
                if ((b == 0xE0 && b1 < 0xA0) || (b == 0xED && b1 > 0x9F)) {
                    return false;
                }
                i += 3;
            } else if (b >= 0xF0 && b <= 0xF4) {
                if (i + 3 >= end || !cont(buf[i + 1]) || !cont(buf[i + 2]) || !cont(buf[i + 3])) {
                    return false;
                }
                int b1 = buf[i + 1] & 0xFF;
                if ((b == 0xF0 && b1 < 0x90) || (b == 0xF4 && b1 > 0x8F)) {
                    return false;
                }
                i += 4;
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean cont(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
