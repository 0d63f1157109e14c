package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.fails;
import static io.wasmudf.h2.TestSupport.hex;
import static io.wasmudf.h2.TestSupport.one;
import static io.wasmudf.h2.TestSupport.withFunctions;
import static io.wasmudf.h2.TestSupport.wasm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.udfs.UdfModules;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A module declaring {@code latin1+utf16} text arguments (test-text16.wasm, built from
 * wasm-udfs/src/test-modules/text16.c) gets Latin-1 bytes or tagged UTF-16 code units, through the
 * bridge's constant call sites and the generic path alike.
 */
class Latin1Utf16ArgsTest {
    private static final int UTF16_TAG = 1 << 31;
    private static Connection c;

    @BeforeAll
    static void setUp() throws SQLException {
        c = withFunctions("text16", UdfModules.bytes("test-text16"), "code_points(s text) RETURNS integer STRICT",
                "code_points_or_null(s text) RETURNS integer", "tagged_len(s text) RETURNS integer STRICT",
                "unit_at(s text, i integer) RETURNS integer STRICT", "aligned(s text) RETURNS integer STRICT");
    }

    @AfterAll
    static void tearDown() throws SQLException {
        c.close();
    }

    @Test
    void latin1TextArrivesAsOneBytePerChar() throws SQLException {
        assertEquals(6, one(c, "SELECT tagged_len(?)", "naïve!"));
        assertEquals(0xEF, one(c, "SELECT unit_at(?, 2)", "naïve!"));
        assertEquals((int) 'e', one(c, "SELECT unit_at(?, 4)", "naïve!"));
        assertEquals(-1, one(c, "SELECT unit_at(?, 6)", "naïve!"));
        assertEquals(0, one(c, "SELECT tagged_len('')"));
    }

    @Test
    void otherTextArrivesAsTaggedUtf16() throws SQLException {
        assertEquals(2 | UTF16_TAG, one(c, "SELECT tagged_len(?)", "日本"));
        assertEquals(0x65E5, one(c, "SELECT unit_at(?, 0)", "日本"));
        assertEquals(0x672C, one(c, "SELECT unit_at(?, 1)", "日本"));
        // a surrogate pair is two units and one code point
        assertEquals(3 | UTF16_TAG, one(c, "SELECT tagged_len(?)", "a😀"));
        assertEquals(0xD83D, one(c, "SELECT unit_at(?, 1)", "a😀"));
        assertEquals(2, one(c, "SELECT code_points(?)", "a😀"));
        assertEquals(1, one(c, "SELECT aligned(?)", "日本"));
        assertEquals(1, one(c, "SELECT aligned(?)", "x"));
    }

    @Test
    void codePointsAgreeWithJava() throws SQLException {
        Random r = new Random(11);
        for (int i = 0; i < 300; i++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(i < 290 ? 40 : 3000); // a few past the host's 1,024-char limit for unmeasured UTF-8
            boolean latin1 = i % 2 == 0; // half Latin-1 only, half anything
            for (int k = 0; k < n; k++) {
                switch (r.nextInt(latin1 ? 2 : 4)) {
                    case 0: sb.append((char) r.nextInt(0x80)); break;
                    case 1: sb.append((char) (0x80 + r.nextInt(0x80))); break;
                    case 2: sb.append((char) (0x100 + r.nextInt(0xD000))); break;
                    default: sb.appendCodePoint(0x10000 + r.nextInt(0x100000));
                }
            }
            String s = sb.toString();
            assertEquals(s.codePointCount(0, s.length()), one(c, "SELECT code_points(?)", s), s);
            assertEquals(s.codePointCount(0, s.length()), one(c, "SELECT code_points_or_null(?)", s), s);
        }
        assertEquals(3000, one(c, "SELECT code_points(REPEAT('é', 3000))"));
        assertEquals(3000, one(c, "SELECT code_points(REPEAT('日', 3000))"));
        assertEquals(3000 | UTF16_TAG, one(c, "SELECT tagged_len(REPEAT('日', 3000))"));
    }

    @Test
    void nullStaysNull() throws SQLException {
        assertNull(one(c, "SELECT code_points_or_null(NULL)"));
        assertNull(one(c, "SELECT code_points(NULL)"));
    }

    @Test
    void aMisdeclaredMarkerIsRefused() throws SQLException {
        SQLException e = fails("42P13", () -> exec(c, "CREATE FUNCTION text_len(text) RETURNS integer LANGUAGE wasm STRICT AS X'"
                + hex(wasm("badmarker")) + "'"));
        assertTrue(e.getMessage().contains("wasmudf:text-args:latin1+utf16") && e.getMessage().contains("() -> ()"), e.getMessage());
    }
}
