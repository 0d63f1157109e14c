package io.wasmudf.sql.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Memory;
import io.wasmudf.sql.AbiException;
import io.wasmudf.sql.AbiValues;
import io.wasmudf.sql.GuestInstance;
import io.wasmudf.sql.SqlStates;
import io.wasmudf.sql.SqlTypes;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Text results lifted from a real instance's memory (abi.wasm) against the JDK's strict UTF-8
 * decoder as the oracle: the word-at-a-time ASCII scan at every alignment and length, non-ASCII
 * and malformed bytes right after and inside long ASCII runs, surrogates, empty and long results.
 */
class TextResultTest {
    private static CompiledModule module;
    private GuestInstance guest;
    private Memory memory;

    @BeforeEach
    void instantiate() throws Exception {
        if (module == null) {
            try (InputStream in = TextResultTest.class.getResourceAsStream("/abi.wasm")) {
                module = Engine.create().compile(in.readAllBytes());
            }
        }
        guest = GuestInstance.instantiate(module);
        memory = guest.memory();
    }

    /** The JDK's strict decoding, or null where it reports malformed input. */
    private static String oracle(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Places {@code b} at {@code ptr} in guest memory and lifts it as the text result {@code (ptr, len)}. */
    private String lift(byte[] b, int ptr) {
        memory.write(ptr, b, 0, b.length);
        return TextType.text(guest, ptr, b.length);
    }

    private void check(byte[] b, int ptr) {
        String want = oracle(b);
        if (want == null) {
            AbiException x = assertThrows(AbiException.class, () -> lift(b, ptr));
            assertEquals(SqlStates.CHARACTER_NOT_IN_REPERTOIRE, x.sqlState());
        } else {
            assertEquals(want, lift(b, ptr));
        }
    }

    @Test
    void oneNonAsciiByteAtEveryPositionAndAlignment() {
        for (int len = 0; len <= 40; len++) {
            for (int at = 0; at <= len; at++) {
                for (int align = 0; align < 8; align++) {
                    byte[] ascii = "x".repeat(len).getBytes(StandardCharsets.US_ASCII);
                    check(ascii, 1024 + align);
                    if (at < len) {
                        byte[] lone = ascii.clone();
                        lone[at] = (byte) 0x80; // a continuation byte alone: malformed
                        check(lone, 1024 + align);
                        byte[] e = new byte[len + 1];
                        System.arraycopy(ascii, 0, e, 0, at);
                        e[at] = (byte) 0xC3; // é
                        e[at + 1] = (byte) 0xA9;
                        System.arraycopy(ascii, at + 1, e, at + 2, len - at - 1);
                        check(e, 1024 + align);
                    }
                }
            }
        }
    }

    @Test
    void randomMixturesDecodeLikeTheJdk() {
        Random r = new Random(21);
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder();
            int parts = r.nextInt(8);
            for (int p = 0; p < parts; p++) {
                sb.append("abcdefghijklmnopqrstuvwxyz0123456789 -", 0, r.nextInt(38)); // ASCII runs of any length
                switch (r.nextInt(4)) {
                    case 0 -> sb.append((char) (0x80 + r.nextInt(0x780)));
                    case 1 -> sb.append((char) (0x800 + r.nextInt(0xD000 - 0x800)));
                    case 2 -> sb.appendCodePoint(0x10000 + r.nextInt(0x100000));
                    default -> { }
                }
            }
            byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
            int ptr = 2048 + r.nextInt(16);
            check(b, ptr);
            if (b.length > 0) {
                byte[] broken = b.clone(); // one byte flipped: mostly malformed, sometimes not
                broken[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                check(broken, ptr);
                check(java.util.Arrays.copyOf(b, r.nextInt(b.length)), ptr); // cut mid-sequence: malformed or not
            }
        }
    }

    @Test
    void surrogatesOverlongsAndLongResults() {
        // an encoded surrogate and an overlong after 16 ASCII bytes: the scan must hand them to the check
        check(("0123456789abcdef").concat("\0").getBytes(StandardCharsets.UTF_8), 4096);
        byte[] surrogate = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f', (byte) 0xED, (byte) 0xA0, (byte) 0x80};
        check(surrogate, 4096);
        byte[] overlong = {'0', '1', '2', '3', '4', '5', '6', '7', (byte) 0xC0, (byte) 0xAF};
        check(overlong, 4096);
        String pairs = "a😀b🎉" + "é".repeat(100) + "x".repeat(40_000);
        assertEquals(pairs, lift(pairs.getBytes(StandardCharsets.UTF_8), 8192));
        assertEquals("", lift(new byte[0], 0));
    }

    @Test
    void latin1ResultsDecodeInOnePassAndLeaveEverythingElseToTheGeneralPath() {
        // every Latin-1 char after ASCII runs of every length up to past the word size, at both ends
        for (int c = 0x80; c <= 0xFF; c++) {
            for (int run = 0; run <= 17; run++) {
                String x = "y".repeat(run);
                String s = x + (char) c + x + (char) (0xFF - (c - 0x80)) + "z";
                check(s.getBytes(StandardCharsets.UTF_8), 3000 + run % 8);
            }
        }
        // the one-pass path gives up at these; each must still decode (or fail with 22021) like the JDK
        byte[][] hard = {
            {'a', (byte) 0xC3}, // a lead byte cut off at the end
            {'a', (byte) 0xC3, 'b'}, // a lead byte without its continuation
            {'a', (byte) 0xC3, (byte) 0xC3, (byte) 0xA9}, // two leads in a row
            {'a', (byte) 0xC1, (byte) 0xBF}, // overlong U+007F
            {'a', (byte) 0xC0, (byte) 0x80}, // overlong NUL
            {(byte) 0xC3, (byte) 0xA9, (byte) 0xC4, (byte) 0x80}, // é then U+0100, the first char past Latin-1
            {(byte) 0xC3, (byte) 0xA9, (byte) 0xE2, (byte) 0x80, (byte) 0x94}, // é then an em dash
            {(byte) 0xC3, (byte) 0xA9, (byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}, // é then a surrogate pair's code point
            {(byte) 0xC3, (byte) 0xA9, (byte) 0x80}, // a continuation byte alone after é
        };
        for (byte[] b : hard) {
            check(b, 5000);
        }
        // the longest result that takes the one-pass path, and the shortest that does not
        for (int len : new int[] {TextType.LATIN1_SCRATCH, TextType.LATIN1_SCRATCH + 1}) {
            byte[] b = ("é" + "x".repeat(len - 2)).getBytes(StandardCharsets.UTF_8);
            assertEquals(len, b.length);
            check(b, 6000);
        }
    }

    @Test
    void argumentsRoundTripThroughMemory() throws Throwable {
        String[] texts = {"", "plain ascii title", "Crème brûlée in Zürich — 東京 🎉", "\uD800 lone", "x".repeat(5000) + "é"};
        for (String s : texts) {
            long packed = guest.lowerIntoMemory(SqlTypes.TEXT, s);
            String want = new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8); // lone surrogate -> '?'
            assertEquals(want, TextType.text(guest, AbiValues.ptr(packed), AbiValues.len(packed)));
        }
        assertEquals(0L, guest.lowerIntoMemory(SqlTypes.TEXT, null));
    }
}
