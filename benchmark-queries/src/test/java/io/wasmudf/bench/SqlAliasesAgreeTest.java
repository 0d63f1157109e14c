package io.wasmudf.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The per-row SQL benchmark's three implementations agree: the wasm UDFs through our driver, the
 * Java aliases, and the Chicory aliases, on the benchmark strings, edge integers and NULL.
 */
class SqlAliasesAgreeTest {
    private static final List<String> STRINGS = Arrays.asList(
            Workloads.STRINGS[0], Workloads.STRINGS[3], Workloads.STRINGS[4], "", null);
    private static final List<String> STRINGS_AND_ALL = new java.util.ArrayList<>(STRINGS);

    static {
        STRINGS_AND_ALL.addAll(Arrays.asList(Workloads.STRINGS));
    }

    private static final List<Integer> INTS = Arrays.asList(0, -1, 41, Integer.MAX_VALUE, null);

    @Test
    void oursJavaAndChicoryAgreePerRow() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:wasm:mem:aliases_agree")) {
            SqlBench.createWasmFunctions(c);
            for (Integer x : INTS) {
                agree(c, "inc", x, true, JavaAliases::inc, ChicoryAliases::inc);
                agree(c, "inc_nullable", x, false, JavaAliases::incNullable, ChicoryAliases::incNullable);
            }
            for (String s : STRINGS) {
                agree(c, "char_len", s, true, JavaAliases::charLen, ChicoryAliases::charLen);
                agree(c, "char_len_nullable", s, false, JavaAliases::charLenNullable, ChicoryAliases::charLenNullable);
            }
            // the latin1+utf16 variants (no Chicory counterpart), on every benchmark string
            for (String s : STRINGS_AND_ALL) {
                assertEquals(s == null ? null : JavaAliases.charLen(s), query(c, "SELECT char_len16(?)", s), "char_len16(" + s + ")");
                assertEquals(JavaAliases.charLenNullable(s), query(c, "SELECT char_len16_nullable(?)", s), "char_len16_nullable(" + s + ")");
            }
            // issue 17's pair: the freestanding and the wasi-libc build of strings.c give the same answers
            for (String s : STRINGS_AND_ALL) {
                Integer expected = s == null ? null : JavaAliases.charLen(s);
                assertEquals(expected, query(c, "SELECT utf8_length_free(?)", s), "utf8_length_free(" + s + ")");
                assertEquals(expected, query(c, "SELECT utf8_length_wasi(?)", s), "utf8_length_wasi(" + s + ")");
                assertEquals(query(c, "SELECT LENGTH(slugify_free(?))", s), query(c, "SELECT LENGTH(slugify_wasi(?))", s), "slugify(" + s + ")");
            }
        }
    }

    /** For a STRICT function, H2 answers NULL for NULL without calling any of the three. */
    private static <T> void agree(Connection c, String function, T arg, boolean strict, Function<T, Integer> java,
                                  Function<T, Integer> chicory) throws SQLException {
        Integer expected = strict && arg == null ? null : java.apply(arg);
        String call = function + "(" + arg + ")";
        assertEquals(expected, query(c, "SELECT " + function + "(?)", arg), "ours: " + call);
        if (!strict || arg != null) {
            assertEquals(expected, chicory.apply(arg), "Chicory: " + call);
        }
    }

    private static Integer query(Connection c, String sql, Object arg) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setObject(1, arg, arg instanceof String || arg == null && !sql.contains("inc") ? java.sql.Types.VARCHAR : java.sql.Types.INTEGER);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                int v = rs.getInt(1);
                return rs.wasNull() ? null : v;
            }
        }
    }
}
