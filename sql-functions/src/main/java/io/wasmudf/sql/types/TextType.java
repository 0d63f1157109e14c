package io.wasmudf.sql.types;

import io.wasmudf.sql.AbiException;
import io.wasmudf.sql.GuestInstance;
import io.wasmudf.sql.SqlStates;
import io.wasmudf.sql.StaticCall;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code text} (and {@code varchar}, whose length modifier changes nothing): a canonical-ABI
 * string, {@code (ptr, len)}. Arguments are UTF-8, or {@code latin1+utf16} for modules that ask
 * ({@link io.wasmudf.sql.ModuleCheck#LATIN1_UTF16_ARGS}); results are UTF-8 and are validated.
 */
public final class TextType extends ListType {
    /** {@code text} ({@code varchar}, {@code character varying}, H2's {@code clob}). */
    public static final TextType TEXT = new TextType("text", List.of("varchar", "character varying", "character large object", "clob"));
    /**
     * {@code character} ({@code char(n)}, {@code bpchar}): the same string, blank-padded as the
     * column holds it (PostgreSQL passes bpchar padded too); the length is not enforced on results
     * because PostgreSQL discards a function's type modifiers.
     */
    public static final TextType BPCHAR = new TextType("character", List.of("char", "bpchar"));

    private TextType(String name, List<String> spellings) {
        super(name, spellings, String.class);
    }

    @Override
    public Lowering lowering() {
        return new Lowering.Allocated(
                StaticCall.of(TextType.class, "plan", long.class, GuestInstance.class, String.class),
                StaticCall.of(TextType.class, "align", int.class, long.class),
                StaticCall.of(TextType.class, "allocation", int.class, long.class),
                StaticCall.of(TextType.class, "write", long.class, GuestInstance.class, String.class, long.class, int.class));
    }

    @Override
    public StaticCall liftArea() {
        return StaticCall.of(TextType.class, "lift", String.class, GuestInstance.class, int.class);
    }

    @Override
    public StaticCall liftOptional() {
        return StaticCall.of(TextType.class, "liftOptional", String.class, GuestInstance.class, int.class);
    }

    // A plan: the bytes to allocate, shifted left by two, and how to write them.
    private static final int UTF8_ASCII = 0;
    private static final int UTF8 = 1;
    private static final int LATIN1 = 2;
    private static final int UTF16 = 3;

    /**
     * How {@code s} is passed to {@code g}'s module. UTF-8: short strings get UTF-8's worst case of
     * 3 bytes per char without being measured, longer ones their exact length. {@code latin1+utf16}:
     * one byte per char if every char fits, two otherwise.
     */
    public static long plan(GuestInstance g, String s) {
        if (g.latin1Utf16()) {
            if (Latin1Utf16.isLatin1(s)) {
                return (long) s.length() << 2 | LATIN1;
            }
            if (s.length() > Integer.MAX_VALUE / 2) {
                throw new AbiException(SqlStates.INVALID_PARAMETER_VALUE, "string too long for a 32-bit guest");
            }
            return (long) s.length() << 3 | UTF16;
        }
        long utf8 = Utf8.plan(s);
        return (long) Utf8.allocation(utf8) << 2 | ((utf8 & 1) == 0 ? UTF8_ASCII : UTF8);
    }

    /** The alignment to ask {@code cabi_realloc} for: 2 for {@code latin1+utf16}, as the canonical ABI does. */
    public static int align(long plan) {
        return (plan & 2) != 0 ? 2 : 1;
    }

    /** The bytes to ask {@code cabi_realloc} for. */
    public static int allocation(long plan) {
        return (int) (plan >>> 2);
    }

    /** Writes {@code s} as planned to {@code ptr}, which {@code cabi_realloc} returned; returns {@code (ptr << 32) | len}. */
    public static long write(GuestInstance g, String s, long plan, int ptr) {
        g.checkAllocation(ptr, allocation(plan));
        int mode = (int) plan & 3;
        byte[] buffer = g.memory().buffer();
        int len = mode >= LATIN1 ? Latin1Utf16.write(s, mode == LATIN1, buffer, ptr) : Utf8.write(s, mode == UTF8, buffer, ptr);
        return (long) ptr << 32 | (len & 0xFFFFFFFFL);
    }

    /** The string a return area {@code (ptr, len)} at {@code retptr} points to. */
    public static String lift(GuestInstance g, int retptr) {
        return text(g, g.memory().readInt(retptr), g.memory().readInt(retptr + 4));
    }

    /**
     * The UTF-8 bytes of the string a return area {@code (ptr, len)} at {@code retptr} points to,
     * validated as {@link #lift} does: for hosts that keep text as UTF-8 bytes (Spark's
     * {@code UTF8String}), so a result is copied once instead of decoded and encoded again.
     */
    public static byte[] liftUtf8(GuestInstance g, int retptr) {
        int ptr = g.memory().readInt(retptr);
        int len = g.memory().readInt(retptr + 4);
        g.checkRange(ptr, len, "result text");
        byte[] buf = g.memory().buffer();
        if (!Utf8.isValid(buf, ptr, len)) {
            throw new AbiException(SqlStates.CHARACTER_NOT_IN_REPERTOIRE, "the function returned text that is not valid UTF-8");
        }
        return java.util.Arrays.copyOfRange(buf, ptr, ptr + len);
    }

    public static String liftOptional(GuestInstance g, int retptr) {
        return g.isSome(retptr) ? lift(g, retptr + 4) : null;
    }

    /** Results up to this many bytes try the one-pass Latin-1 decoding ({@link Utf8#decodeLatin1}). */
    static final int LATIN1_SCRATCH = 4096;

    static String text(GuestInstance g, int ptr, int len) {
        g.checkRange(ptr, len, "result text");
        byte[] buf = g.memory().buffer();
        // the ASCII prefix is scanned once, eight bytes at a time: all of it, and the result is a
        // Latin-1 String without a decoder; else only the rest needs the UTF-8 check
        int ascii = Utf8.asciiPrefix(buf, ptr, len);
        if (ascii == len) {
            return new String(buf, ptr, len, StandardCharsets.ISO_8859_1);
        }
        if (len <= LATIN1_SCRATCH) {
            // most non-ASCII text results fit Latin-1 (names with accents): decoded and validated in
            // one pass into a scratch array, then one copy into the String; the JDK's UTF-8 decoder
            // would scan once more and allocate twice (its guess, then the trimmed copy)
            byte[] latin1 = g.scratch(len);
            int n = Utf8.decodeLatin1(buf, ptr, len, ascii, latin1);
            if (n >= 0) {
                return new String(latin1, 0, n, StandardCharsets.ISO_8859_1);
            }
        }
        if (!Utf8.isValid(buf, ptr + ascii, len - ascii)) {
            throw new AbiException(SqlStates.CHARACTER_NOT_IN_REPERTOIRE, "the function returned text that is not valid UTF-8");
        }
        return new String(buf, ptr, len, StandardCharsets.UTF_8);
    }
}
