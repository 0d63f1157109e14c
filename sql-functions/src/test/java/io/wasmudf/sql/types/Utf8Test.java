package io.wasmudf.sql.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void encodesLikeTheJdk() {
        Random r = new Random(7);
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(20);
            boolean asciiOnly = r.nextInt(4) == 0; // the copy fast path
            for (int k = 0; k < n; k++) {
                switch (asciiOnly ? 0 : r.nextInt(5)) {
                    case 0: sb.append((char) r.nextInt(0x80)); break;
                    case 1: sb.append((char) (0x80 + r.nextInt(0x780))); break;
                    case 2: sb.append((char) (0x800 + r.nextInt(0xD000 - 0x800))); break;
                    case 3: sb.appendCodePoint(0x10000 + r.nextInt(0x100000)); break;
                    default: sb.append((char) (0xD800 + r.nextInt(0x800))); // lone surrogate
                }
            }
            String s = sb.toString();
            byte[] expected = s.getBytes(StandardCharsets.UTF_8);
            assertEquals(expected.length, Utf8.length(s), s);
            long measured = Utf8.measure(s);
            assertEquals(expected.length == s.length() && s.chars().allMatch(c -> c < 0x80), (measured & 1) == 0, s);
            // short strings are written into UTF-8's worst case unmeasured; pad longer ones past the limit
            for (String t : new String[] {s, s + "x".repeat(Utf8.UNMEASURED_CHARS + 1 - s.length())}) {
                byte[] want = t.getBytes(StandardCharsets.UTF_8);
                long plan = Utf8.plan(t);
                int allocation = Utf8.allocation(plan);
                assertTrue(allocation >= want.length && allocation <= 3 * t.length(), t);
                if (t.length() > Utf8.UNMEASURED_CHARS) {
                    assertEquals(want.length, allocation, "a long string is measured exactly");
                }
                byte[] buf = new byte[3 + allocation];
                assertEquals(want.length, Utf8.write(t, (plan & 1) != 0, buf, 3), t);
                assertArrayEquals(want, Arrays.copyOfRange(buf, 3, 3 + want.length), t);
                assertTrue(Utf8.isValid(buf, 3, want.length));
            }
        }
    }

    /** Surrogates next to each other and to the ASCII prefix: a pair is written at its low half, anything unpaired as '?'. */
    @Test
    void pairsAndLoneSurrogatesAtEveryNeighbour() {
        String hi = "\ud83d";
        String lo = "\ude00";
        for (String s : new String[] {hi + lo, "a" + hi + lo, "ab" + hi, lo + "a", "a" + lo + hi + lo, hi + hi + lo, hi + lo + lo,
                hi + lo + hi + lo, "é" + lo + lo, "é" + hi, "é" + hi + lo + "x", "x" + hi + "é" + lo, lo + hi}) {
            byte[] want = s.getBytes(StandardCharsets.UTF_8);
            byte[] buf = new byte[3 * s.length() + 2];
            assertEquals(want.length, Utf8.write(s, true, buf, 2), s);
            assertArrayEquals(want, Arrays.copyOfRange(buf, 2, 2 + want.length), s);
        }
    }

    @Test
    void rejectsMalformedUtf8() {
        byte[][] bad = {
            {(byte) 0xff}, {(byte) 0xc0, (byte) 0x80}, {(byte) 0xe0, (byte) 0x80, (byte) 0x80}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xc3}, {(byte) 0x80}, {'a', (byte) 0xe2, (byte) 0x82},
        };
        for (byte[] b : bad) {
            assertFalse(Utf8.isValid(b, 0, b.length), Arrays.toString(b));
        }
        byte[] good = "aé€😀".getBytes(StandardCharsets.UTF_8);
        assertTrue(Utf8.isValid(good, 0, good.length));
    }

    @Test
    void asciiPrefixFindsTheFirstHighByteAtAnyOffset() {
        Random r = new Random(21);
        for (int i = 0; i < 5000; i++) {
            byte[] b = new byte[r.nextInt(40)];
            for (int k = 0; k < b.length; k++) {
                b[k] = (byte) (r.nextInt(8) == 0 ? 0x80 | r.nextInt(0x80) : r.nextInt(0x80));
            }
            int off = b.length == 0 ? 0 : r.nextInt(b.length + 1);
            int len = r.nextInt(b.length - off + 1);
            int want = 0;
            while (want < len && b[off + want] >= 0) {
                want++;
            }
            assertEquals(want, Utf8.asciiPrefix(b, off, len), Arrays.toString(b) + " " + off + " " + len);
        }
    }
}
