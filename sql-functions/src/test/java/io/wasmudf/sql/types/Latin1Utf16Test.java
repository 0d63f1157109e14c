package io.wasmudf.sql.types;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What the host writes for a module with latin1+utf16 text arguments decodes back to the string. */
class Latin1Utf16Test {

    @Test
    void roundTrips() {
        Random r = new Random(5);
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(24);
            int widest = i % 3 == 0 ? 0x80 : i % 3 == 1 ? 0x100 : 0x10000;
            for (int k = 0; k < n; k++) {
                sb.append((char) r.nextInt(widest)); // lone surrogates included: Java strings may hold them
            }
            String s = sb.toString();
            boolean latin1 = Latin1Utf16.isLatin1(s);
            assertEquals(s.chars().allMatch(c -> c < 0x100), latin1, s);
            byte[] buf = new byte[5 + 2 * n];
            int len = Latin1Utf16.write(s, latin1, buf, 5);
            assertEquals(latin1 ? n : n | Latin1Utf16.UTF16_TAG, len, s);
            // UTF-16LE decoding would replace lone surrogates, so compare code units
            String back = latin1 ? new String(buf, 5, n, StandardCharsets.ISO_8859_1) : units(buf, 5, n);
            assertEquals(s, back);
        }
    }

    private static String units(byte[] buf, int off, int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = (char) (buf[off + 2 * i] & 0xFF | (buf[off + 2 * i + 1] & 0xFF) << 8);
        }
        return new String(c);
    }
}
