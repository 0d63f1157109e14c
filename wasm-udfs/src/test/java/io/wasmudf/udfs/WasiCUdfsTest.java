package io.wasmudf.udfs;

import static io.wasmudf.udfs.guest.Guest.nullText;
import static io.wasmudf.udfs.guest.Guest.some;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wasmudf.engine.Grants;
import io.wasmudf.engine.GuestRaisedException;
import io.wasmudf.udfs.guest.Guest;
import io.wasmudf.udfs.guest.Oracles;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The C UDFs built against wasi-libc with the default reactor command (src/wasi/udfs.c: malloc,
 * snprintf, so the module imports WASI functions): format_fixed against Java's BigDecimal (the
 * exact binary value, ties to even, as C's printf rounds), json_path against PostgreSQL's jsonpath.
 */
class WasiCUdfsTest {
    private final Guest g = new Guest("wasi-udfs", Grants.NONE);

    @Test
    void theFreestandingStringsBuiltWithWasiLibcGiveTheSameResults() {
        // src/strings.c twice: freestanding (strings) and against wasi-libc with the malloc-backed arena (wasi-strings)
        Random r = new Random(9);
        try (Guest free = new Guest("strings", Grants.NONE); Guest wasi = new Guest("wasi-strings", Grants.NONE)) {
            for (int i = 0; i < 500; i++) {
                StringBuilder b = new StringBuilder();
                for (int k = r.nextInt(i < 490 ? 40 : 200_000); k > 0; k--) {
                    b.appendCodePoint(r.nextInt(8) == 0 ? 0x80 + r.nextInt(0x3000) : 32 + r.nextInt(95));
                }
                String s = b.toString();
                assertEquals(free.text("slugify", s), wasi.text("slugify", s), s);
                assertEquals(free.text("reverse_text", s), wasi.text("reverse_text", s));
                assertEquals(free.i32("utf8_length", s), wasi.i32("utf8_length", s));
                String t = s.length() > 300 ? s.substring(0, 300) : s;
                assertEquals(free.i32("levenshtein", t, "kitten sitting"), wasi.i32("levenshtein", t, "kitten sitting"));
            }
            assertEquals("hello-world", wasi.text("slugify", "Hello, World!"));
        }
    }

    @Test
    void formatFixedAgreesWithBigDecimal() {
        Random r = new Random(4);
        List<Double> xs = new ArrayList<>(List.of(0.0, -0.0, 0.125, 0.375, 2.5, -2.5, 1e21, 1.7976931348623157e308, 4.9e-324,
                -0.001, 123456.789, 0.1, 1.005, 2.675));
        for (int i = 0; i < 400; i++) {
            xs.add(i % 2 == 0 ? (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(30) - 10) : Double.longBitsToDouble(r.nextLong()));
        }
        for (double x : xs) {
            if (Double.isNaN(x) || Double.isInfinite(x)) {
                continue;
            }
            for (int digits : new int[] {0, 1, 2, 3, 6, 17, 40}) {
                String expected = new BigDecimal(x).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
                if (expected.startsWith("-") && new BigDecimal(expected).signum() == 0) {
                    expected = expected.substring(1);
                }
                assertEquals(expected, g.text("format_fixed", x, digits), "format_fixed(" + x + ", " + digits + ")");
            }
        }
        assertEquals("NaN", g.text("format_fixed", Double.NaN, 2));
        assertEquals("-Infinity", g.text("format_fixed", Double.NEGATIVE_INFINITY, 2));
        GuestRaisedException e = assertThrows(GuestRaisedException.class, () -> g.text("format_fixed", 1.0, 41));
        assertEquals("22023", e.sqlState());
        assertEquals("format_fixed: digits must be between 0 and 40", e.getMessage());
    }

    @Test
    void jsonPathAgreesWithPostgresJsonpath() throws Exception {
        String doc = """
                {"name": "Ada", "age": 36, "langs": ["en", "fr", {"x": [1, 2.5, true]}], "nested": {"deep": {"k": "v\\u00e9\\n"}},
                 "key with space": "s", "dup": 1, "dup": 2, "nul": null, "t": true, "f": false, "neg": -12.75, "esc": "a\\"b\\\\c\\/d",
                 "emoji": "\\ud83c\\udf89", "empty": "", "arr": [], "obj": {}}""";
        List<String> paths = List.of("$.name", "$.age", "$.langs[0]", "$.langs[1]", "$.langs[2].x[1]", "$.langs[2].x[2]", "$.langs[3]",
                "$.nested.deep.k", "$.\"key with space\"", "$.dup", "$.nul", "$.t", "$.f", "$.neg", "$.esc", "$.emoji", "$.empty",
                "$.missing", "$.name.x", "$.langs.x", "$.age[0]", "$.langs[2].x[9]", "$.nested.deep", "$.arr[0]");
        try (Connection pg = Oracles.postgres("json_path");
             PreparedStatement st = pg.prepareStatement("SELECT jsonb_typeof(v), v #>> '{}' FROM "
                     + "(SELECT jsonb_path_query_first(?::jsonb, ('strict ' || ?)::jsonpath, '{}', true) AS v) q")) {
            for (String path : paths) {
                st.setString(1, doc);
                st.setString(2, path);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    String type = rs.getString(1);
                    String got = g.optText("json_path", some(doc), some(path));
                    if (type == null || type.equals("null")) {
                        assertNull(got, path);
                    } else if (type.equals("object") || type.equals("array")) {
                        // containers come back as their text in the document (jsonb reformats them): equal as jsonb
                        try (PreparedStatement eq = pg.prepareStatement("SELECT ?::jsonb = ?::jsonb")) {
                            eq.setString(1, got);
                            eq.setString(2, rs.getString(2));
                            try (ResultSet e = eq.executeQuery()) {
                                e.next();
                                assertEquals(true, e.getBoolean(1), path + ": " + got);
                            }
                        }
                    } else {
                        assertEquals(rs.getString(2), got, path);
                    }
                }
            }
        }
        assertNull(g.optText("json_path", nullText(), some("$.a")));
        assertNull(g.optText("json_path", some("{\"a\": 1"), some("$.a")), "not valid JSON");
        assertNull(g.optText("json_path", some("{\"a\": 1} x"), some("$.a")), "trailing garbage");
        assertEquals("1", g.optText("json_path", some("[1, 2]"), some("$[0]")));
        GuestRaisedException e = assertThrows(GuestRaisedException.class, () -> g.optText("json_path", some("{}"), some("a.b")));
        assertEquals("42601", e.sqlState());
        e = assertThrows(GuestRaisedException.class, () -> g.optText("json_path", some("{}"), some("$..a")));
        assertEquals("42601", e.sqlState());
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertNull(g.optText("json_path", some(deep), some("$[0]")), "nesting deeper than 1000 is not accepted, and does not overflow");
    }
}
