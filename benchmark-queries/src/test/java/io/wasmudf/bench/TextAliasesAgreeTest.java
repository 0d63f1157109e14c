package io.wasmudf.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The realistic text rows' two sides agree (issue 21): strings.wasm's slugify, levenshtein and
 * json_get through our driver give what {@link TextAliases} gives, on the benchmark's generated
 * rows and on edge cases (non-ASCII of every width, surrogate pairs, empty, NULL, malformed and
 * nested JSON, escapes, repeated keys).
 */
class TextAliasesAgreeTest {
    private static final List<String> TEXTS = Arrays.asList(
            "", "a", "Hello, World!", "--Already--slugged--", "  spaces   everywhere  ", "Crème Brûlée à la façon de Zoë",
            "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞß", "àáâãäåæçèéêëìíîïðñòóôõö÷øùúûüýþÿ", "ĀāĂăĄąĆćĲĳŁłŒœſ", "Ελληνικά και English",
            "日本語のテキスト", "emoji 🎉🚀 ok", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 math", "a\u0301 combining", "tab\tnew\nline", "ǅ ǈ ǋ Ɓ ƀ", "100% C++ & AT&T",
            "x".repeat(300), "é".repeat(150));
    private static final List<String> DOCS = Arrays.asList(
            "{}", "{\"name\":\"Zoë\"}", "{\"name\":null}", "{\"name\":42}", "{\"name\":-1.5e3}", "{\"name\":true}", "{\"name\":false}",
            "{\"name\":{\"a\":[1,{\"b\":\"}\"}]}}", "{\"name\":[1,2,[3]]}", "{\"a\":1,\"name\":\"x\",\"name\":\"last\"}",
            "{\"n\\u0061me\":\"escaped key\"}", "{\"name\":\"q\\\"uote \\\\ \\/ \\b\\f\\n\\r\\t\"}", "{\"name\":\"\\ud83d\\ude00 pair\"}",
            "{\"name\":\"\\ud83d lone\"}", "{\"name\":\"\\u00e9\\u4e2d\"}", "  { \"name\" : \"ws\" }  ", "{\"name\":\"x\"} trailing",
            "{\"name\":\"x\",}", "{\"name\":\"unterminated}", "[1,2]", "", "not json", "{\"name\":\"bad \\q escape\"}",
            "{\"name\":{\"a\":1]}", "{\"name\":nul}", "{\"other\":\"Ελληνικά\",\"name\":\"日本語\"}", "{\"name\":\"🎉\"}",
            "{\"name\":\"\u0001\"}", null);
    private static final List<String> KEYS = Arrays.asList("name", "a", "", "n\u00e9", null);

    @Test
    void oursAndJavaAgreePerRow() throws SQLException {
        List<RealisticText.Row> rows = RealisticText.rows(2000, 21);
        try (Connection c = DriverManager.getConnection("jdbc:wasm:mem:text_aliases_agree")) {
            SqlBench.createWasmFunctions(c);
            List<String> texts = new ArrayList<>(TEXTS);
            List<String[]> pairs = new ArrayList<>();
            List<String> docs = new ArrayList<>(DOCS);
            for (RealisticText.Row r : rows) {
                texts.add(r.title());
                pairs.add(new String[] {r.name1(), r.name2()});
                docs.add(r.doc());
            }
            for (int i = 0; i < TEXTS.size(); i++) {
                for (int j = 0; j < TEXTS.size(); j++) {
                    pairs.add(new String[] {TEXTS.get(i), TEXTS.get(j)});
                }
            }
            int nonAscii = 0;
            for (String s : texts) {
                assertEquals(TextAliases.slugify(s), text(c, "SELECT slugify(?)", s), "slugify(" + s + ")");
                nonAscii += s.chars().anyMatch(ch -> ch > 127) ? 1 : 0;
            }
            assertTrue(nonAscii > 100, "the inputs exercise non-ASCII text");
            for (String[] p : pairs) {
                assertEquals(TextAliases.levenshtein(p[0], p[1]), integer(c, "SELECT levenshtein(?, ?)", p[0], p[1]),
                        "levenshtein(" + p[0] + ", " + p[1] + ")");
            }
            int found = 0;
            for (String d : docs) {
                for (String k : KEYS) {
                    String expected = TextAliases.jsonGet(d, k);
                    assertEquals(expected, text(c, "SELECT json_get(?, ?)", d, k), "json_get(" + d + ", " + k + ")");
                    found += expected != null ? 1 : 0;
                }
            }
            assertTrue(found > 1500, "most documents have the field");
            assertEquals(null, text(c, "SELECT slugify(?)", (String) null));
            assertEquals(null, integer(c, "SELECT levenshtein(?, ?)", "a", null));
        }
    }

    private static String text(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement p = prepare(c, sql, args); ResultSet rs = p.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Integer integer(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement p = prepare(c, sql, args); ResultSet rs = p.executeQuery()) {
            rs.next();
            int v = rs.getInt(1);
            return rs.wasNull() ? null : v;
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, String... args) throws SQLException {
        PreparedStatement p = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            p.setObject(i + 1, args[i], Types.VARCHAR);
        }
        return p;
    }
}
