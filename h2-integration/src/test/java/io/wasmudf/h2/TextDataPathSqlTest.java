package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.connect;
import static io.wasmudf.h2.TestSupport.createManifestFunctions;
import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.fails;
import static io.wasmudf.h2.TestSupport.memUrl;
import static io.wasmudf.h2.TestSupport.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Text through a call's whole data path (H2's value, UTF-8 in guest memory, the guest, the result
 * lifted back) on the inputs the argument encoder and the result decoder take different paths
 * for: ASCII, every Latin-1 char, wider chars, surrogate pairs and lone surrogates, the empty
 * string, NULL, lengths around the unmeasured-allocation limit, very long strings, and a string
 * over the function's memory limit. strings.wasm's {@code reverse_text} and {@code utf8_length}
 * are the probes (a result that depends on every code point, and its count); the JDK's UTF-8
 * encoding is the oracle (a lone surrogate travels as {@code '?'}, as {@code String.getBytes} has it).
 */
class TextDataPathSqlTest {
    private static Connection c;

    @BeforeAll
    static void setUp() throws SQLException {
        c = connect(memUrl());
        createManifestFunctions(c, "strings");
        exec(c, "CREATE FUNCTION reverse_capped(s text) RETURNS text LANGUAGE wasm IMMUTABLE STRICT AS 'strings', 'reverse_text'"
                + " SET wasm.max_memory = '1MB'");
    }

    @AfterAll
    static void tearDown() throws SQLException {
        c.close();
    }

    /** What the guest receives for {@code s}: its UTF-8, decoded back. */
    private static String travelled(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    private static List<String> inputs() {
        List<String> in = new ArrayList<>();
        in.add("");
        in.add("plain ascii, long enough to cross several eight-byte words");
        for (char ch = 0x80; ch <= 0xFF; ch++) {
            in.add(String.valueOf(ch));
            // after ASCII words, with another Latin-1 char or (every other one) a wider char after it
            char other = (ch & 1) == 0 ? (char) (0x17F - (ch - 0x80)) : (char) (0xFF - (ch - 0x80));
            in.add("ab" + ch + "cdefghij" + other + ch);
        }
        in.add("Zoë Müller, Ærø, Straße, crème brûlée");
        in.add("Ā just past Latin-1, ÿ just inside");
        in.add("Ελληνικά — 東京 日本語");
        in.add("😀");
        in.add("a😀b🎉c" + "🚀".repeat(50));
        in.add("\uD800"); // lone high surrogate
        in.add("x\uDC00y"); // lone low surrogate
        in.add("\uDC00\uD800"); // a pair in the wrong order: two lone surrogates
        in.add("é\uD83D"); // a high surrogate at the very end
        for (int n : new int[] {1023, 1024, 1025}) {
            // around the length up to which the host allocates 3 bytes a char without measuring
            in.add("東".repeat(n));
            in.add("é".repeat(n));
            in.add("a".repeat(n - 1) + "😀"); // a pair straddling the limit
            in.add("a".repeat(n));
        }
        in.add("é".repeat(100_000) + "😀" + "x".repeat(50_000) + "東".repeat(20_000)); // very long, measured
        return in;
    }

    @Test
    void textArgumentsAndResultsTravelExactly() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT reverse_text(?), utf8_length(?)")) {
            for (String s : inputs()) {
                ps.setString(1, s);
                ps.setString(2, s);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    String t = travelled(s);
                    String what = s.length() > 40 ? s.substring(0, 40) + "… (" + s.length() + " chars)" : s;
                    assertEquals(new StringBuilder(t).reverse().toString(), rs.getString(1), what);
                    assertEquals(t.codePointCount(0, t.length()), rs.getInt(2), what);
                }
            }
        }
        assertNull(one(c, "SELECT reverse_text(NULL)"));
        assertNull(one(c, "SELECT utf8_length(NULL)"));
    }

    @Test
    void jsonGetResultsOfEveryKind() throws SQLException {
        // json_get's results: the lifted text of a string value, Latin-1 or wider, escaped or not
        for (String v : new String[] {"", "Zoë", "José Müller", "Ægir Østergård", "Łukasz Wójcik", "Ζωή", "さくら", "a😀", "ÿĀ", "\u0080"}) {
            assertEquals(v, one(c, "SELECT json_get(?, 'name')", "{\"id\":1,\"name\":\"" + v + "\",\"x\":[1]}"), v);
        }
        assertEquals("é \"jr\" 😀", one(c, "SELECT json_get(?, 'name')", "{\"name\":\"\\u00e9 \\\"jr\\\" \\ud83d\\ude00\"}"));
        assertNull(one(c, "SELECT json_get(?, 'name')", "{\"name\":null}"));
        assertNull(one(c, "SELECT json_get(NULL, 'name')"));
        assertNull(one(c, "SELECT json_get(?, NULL)", "{\"name\":\"x\"}"));
    }

    @Test
    void anArgumentOverTheMemoryLimitIsAnErrorNamingTheFunctionAndTheSessionGoesOn() throws SQLException {
        assertEquals("ba", one(c, "SELECT reverse_capped('ab')"));
        SQLException e = fails("53200", () -> one(c, "SELECT reverse_capped(?)", "é".repeat(1 << 20))); // 2 MiB of UTF-8
        assertTrue(e.getMessage().startsWith("function reverse_capped: "), e.getMessage());
        assertEquals("éa", one(c, "SELECT reverse_capped('aé')"), "the next call gets a fresh instance");
        assertEquals(3, one(c, "SELECT utf8_length('abc')"), "other functions unaffected");
    }
}
