package io.wasmudf.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-row SQL benchmark's three implementations agree: the wasm UDFs through our driver, the
 * Java aliases, and the Chicory aliases, on the benchmark strings, edge integers and NULL.
 */
class SqlAliasesAgreeTest {
    private static final List<String> STRINGS = Arrays.asList(
            Workloads.STRINGS[0], Workloads.STRINGS[3], Workloads.STRINGS[4], "", null);
    private static final List<Integer> INTS = Arrays.asList(0, -1, 41, Integer.MAX_VALUE, null);

    @Test
    void oursJavaAndChicoryAgreePerRow() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:wasm:mem:aliases_agree")) {
            for (String f : new String[] {
                    "inc(x integer) RETURNS integer LANGUAGE wasm IMMUTABLE STRICT",
                    "inc_nullable(x integer) RETURNS integer LANGUAGE wasm IMMUTABLE CALLED ON NULL INPUT",
                    "char_len(s text) RETURNS integer LANGUAGE wasm IMMUTABLE STRICT",
                    "char_len_nullable(s text) RETURNS integer LANGUAGE wasm IMMUTABLE CALLED ON NULL INPUT"}) {
                try (PreparedStatement p = c.prepareStatement("CREATE FUNCTION " + f + " AS ?")) {
                    p.setBytes(1, Workloads.module("sqlbench"));
                    p.execute();
                }
            }
            for (Integer x : INTS) {
                Integer strict = x == null ? null : JavaAliases.inc(x);
                assertEquals(strict, query(c, "SELECT inc(?)", x), "inc(" + x + ")");
                if (x != null) {
                    assertEquals(strict, ChicoryAliases.inc(x), "Chicory inc(" + x + ")");
                }
                assertEquals(JavaAliases.incNullable(x), query(c, "SELECT inc_nullable(?)", x), "inc_nullable(" + x + ")");
                assertEquals(JavaAliases.incNullable(x), ChicoryAliases.incNullable(x), "Chicory inc_nullable(" + x + ")");
            }
            for (String s : STRINGS) {
                Integer strict = s == null ? null : JavaAliases.charLen(s);
                assertEquals(strict, query(c, "SELECT char_len(?)", s), "char_len(" + s + ")");
                if (s != null) {
                    assertEquals(strict, ChicoryAliases.charLen(s), "Chicory char_len(" + s + ")");
                }
                assertEquals(JavaAliases.charLenNullable(s), query(c, "SELECT char_len_nullable(?)", s), "char_len_nullable(" + s + ")");
                assertEquals(JavaAliases.charLenNullable(s), ChicoryAliases.charLenNullable(s), "Chicory char_len_nullable(" + s + ")");
            }
        }
    }

    private static Integer query(Connection c, String sql, Object arg) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setObject(1, arg, arg instanceof String || arg == null && sql.contains("char_len") ? java.sql.Types.VARCHAR : java.sql.Types.INTEGER);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                int v = rs.getInt(1);
                return rs.wasNull() ? null : v;
            }
        }
    }
}
