package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.connect;
import static io.wasmudf.h2.TestSupport.count;
import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.fails;
import static io.wasmudf.h2.TestSupport.fileDb;
import static io.wasmudf.h2.TestSupport.memUrl;
import static io.wasmudf.h2.TestSupport.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.sql.HintedSQLException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Issue 18 item 4: several functions under one name, chosen by argument types as PostgreSQL chooses (see also PgOverloadTest). */
public class OverloadTest extends PerTestDatabase {
    /** Each export tells which overload ran by its last digit. */
    static final String WAT = "(module (memory (export \"memory\") 1) (global $top (mut i32) (i32.const 1024))"
            + " (func (export \"cabi_realloc\") (param i32 i32 i32 i32) (result i32) (local $p i32)"
            + "   global.get $top i32.const 60000 i32.gt_u if i32.const 1024 global.set $top end"
            + "   global.get $top local.set $p global.get $top local.get 3 i32.add global.set $top local.get $p)"
            + " (func (export \"ti\") (param i32) (result i32) local.get 0 i32.const 10 i32.mul i32.const 1 i32.add)"
            + " (func (export \"tb\") (param i64) (result i32) local.get 0 i32.wrap_i64 i32.const 10 i32.mul i32.const 2 i32.add)"
            + " (func (export \"tt\") (param i32 i32) (result i32) local.get 1 i32.const 10 i32.mul i32.const 3 i32.add)"
            + " (func (export \"td\") (param f64) (result i32) local.get 0 i32.trunc_f64_s i32.const 10 i32.mul i32.const 4 i32.add)"
            + " (func (export \"tn\") (param i32 i32) (result i32) local.get 1 i32.const 10 i32.mul i32.const 5 i32.add)"
            + " (func (export \"tt64\") (param i32 i32) (result i64) local.get 1 i64.extend_i32_u i64.const 1000000000000 i64.add)"
            + " (func (export \"tii\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)"
            // CALLED ON NULL INPUT: option<i32> argument (is_some, value), option<i32> result packed into an i64
            + " (func (export \"oi\") (param i32 i32) (result i64) i64.const 1 i64.const 32 i64.shl i64.const 7 i64.or)"
            + " (func (export \"ob\") (param i32 i32) (result i64) i64.const 1 i64.const 32 i64.shl i64.const 8 i64.or))";

    /** The module, for the wire server's tests. */
    public static String wat() {
        return WAT;
    }

    static void createF(Connection c) throws SQLException {
        exec(c, "CREATE FUNCTION f(integer) RETURNS integer LANGUAGE wasm IMMUTABLE STRICT AS '" + WAT + "', 'ti'");
        exec(c, "CREATE FUNCTION f(text) RETURNS integer LANGUAGE wasm IMMUTABLE STRICT AS '" + WAT + "', 'tt'");
        exec(c, "CREATE FUNCTION f(integer, integer) RETURNS integer LANGUAGE wasm IMMUTABLE STRICT AS '" + WAT + "', 'tii'");
    }

    @Test
    void callsResolveByArgumentTypes() throws SQLException {
        createF(c);
        assertEquals(11, one(c, "SELECT f(1)"));
        assertEquals(33, one(c, "SELECT f('abc')"));
        assertEquals(5, one(c, "SELECT f(2, 3)"));
        // PostgreSQL: an untyped NULL goes to the text overload (the string category wins); STRICT, so NULL
        assertNull(one(c, "SELECT f(NULL)"));
        exec(c, "CREATE TABLE t(i INTEGER, s VARCHAR, b BIGINT)");
        exec(c, "INSERT INTO t VALUES (1, 'a', 5), (2, 'bb', 6), (NULL, NULL, NULL)");
        assertEquals("11,21,,", rows("SELECT f(i) FROM t ORDER BY i NULLS LAST"));
        assertEquals("13,23,,", rows("SELECT f(s) FROM t ORDER BY i NULLS LAST"));
        try (PreparedStatement ps = c.prepareStatement("SELECT f(?)")) {
            ps.setInt(1, 4);
            assertEquals(41, single(ps));
            ps.setString(1, "four");
            assertEquals(43, single(ps), "a parameter goes by the type of the value bound");
        }
        assertEquals(3L, count(c, "SELECT COUNT(*) FROM wasm.functions WHERE LOWER(name) = 'f'"));
    }

    @Test
    void noMatchAndAmbiguityUsePostgresWording() throws SQLException {
        createF(c);
        HintedSQLException e = hinted(fails("42883", () -> one(c, "SELECT f(TRUE)")));
        assertEquals("function f(boolean) does not exist", e.primaryMessage());
        assertEquals("No function matches the given name and argument types. You might need to add explicit type casts.", e.hint());
        e = hinted(fails("42883", () -> one(c, "SELECT f(CAST(2 AS BIGINT))")));
        assertEquals("function f(bigint) does not exist", e.primaryMessage(), "no implicit cast from bigint down to integer");
        exec(c, "CREATE FUNCTION g(integer) RETURNS integer LANGUAGE wasm STRICT AS '" + WAT + "', 'ti'");
        exec(c, "CREATE FUNCTION g(bigint) RETURNS integer LANGUAGE wasm STRICT AS '" + WAT + "', 'tb'");
        assertEquals(11, one(c, "SELECT g(1)"));
        assertEquals(52, one(c, "SELECT g(CAST(5 AS BIGINT))"));
        e = hinted(fails("42725", () -> one(c, "SELECT g(CAST(2 AS SMALLINT))")));
        assertEquals("function g(smallint) is not unique", e.primaryMessage());
        assertEquals("Could not choose a best candidate function. You might need to add explicit type casts.", e.hint());
        // CALLED ON NULL INPUT overloads of different categories: an untyped NULL is ambiguous, as in PostgreSQL
        exec(c, "CREATE FUNCTION nk(integer) RETURNS integer LANGUAGE wasm CALLED ON NULL INPUT AS '" + WAT + "', 'oi'");
        exec(c, "CREATE FUNCTION nk(boolean) RETURNS integer LANGUAGE wasm CALLED ON NULL INPUT AS '" + WAT + "', 'ob'");
        assertEquals(7, one(c, "SELECT nk(1)"));
        assertEquals(8, one(c, "SELECT nk(TRUE)"));
        e = hinted(fails("42725", () -> one(c, "SELECT nk(NULL)")));
        assertEquals("function nk(unknown) is not unique", e.primaryMessage());
        assertEquals(1, one(c, "SELECT 1"), "the connection is usable");
    }

    @Test
    void implicitPromotionWhenOnlyAWiderOverloadExists() throws SQLException {
        exec(c, "CREATE FUNCTION p(bigint) RETURNS integer LANGUAGE wasm STRICT AS '" + WAT + "', 'tb'");
        exec(c, "CREATE FUNCTION p(text) RETURNS integer LANGUAGE wasm STRICT AS '" + WAT + "', 'tt'");
        assertEquals(32, one(c, "SELECT p(3)"), "integer -> bigint");
        exec(c, "CREATE FUNCTION q(double precision) RETURNS integer LANGUAGE wasm STRICT AS '" + WAT + "', 'td'");
        exec(c, "CREATE FUNCTION q(text) RETURNS integer LANGUAGE wasm STRICT AS '" + WAT + "', 'tt'");
        assertEquals(34, one(c, "SELECT q(3)"), "integer -> double precision");
        assertEquals(94, one(c, "SELECT q(CAST(9 AS BIGINT))"), "bigint -> double precision");
        assertEquals(24, one(c, "SELECT q(2.5)"), "numeric -> double precision");
    }

    @Test
    void differentResultTypesPerOverload() throws SQLException {
        exec(c, "CREATE FUNCTION r(integer) RETURNS integer LANGUAGE wasm STRICT AS '" + WAT + "', 'ti'");
        exec(c, "CREATE FUNCTION r(text) RETURNS bigint LANGUAGE wasm STRICT AS '" + WAT + "', 'tt64'");
        
        assertEquals(1000000000002L, one(c, "SELECT r('ab')"));
        assertEquals(21L, one(c, "SELECT r(2)"), "integer and bigint results: the call is bigint");
    }

    @Test
    void dropAlterCommentGrantActOnOneOverload() throws SQLException {
        createF(c);
        HintedSQLException e = hinted(fails("42725", () -> exec(c, "DROP FUNCTION f")));
        assertEquals("function name \"f\" is not unique", e.primaryMessage());
        assertEquals("Specify the argument list to select the function unambiguously.", e.hint());
        fails("42725", () -> exec(c, "COMMENT ON FUNCTION f IS 'x'"));
        fails("42883", () -> exec(c, "DROP FUNCTION f(boolean)"));
        exec(c, "COMMENT ON FUNCTION f(text) IS 'length'");
        assertEquals("length", one(c, "SELECT d.description FROM wasm.function_comments d JOIN wasm.functions f ON f.id = d.function_id"
                + " WHERE f.arg_types = 'text'"));
        exec(c, "ALTER FUNCTION f(integer) VOLATILE");
        assertEquals("VOLATILE", one(c, "SELECT volatility FROM wasm.functions WHERE LOWER(name) = 'f' AND arg_types = 'integer'"));
        assertEquals("IMMUTABLE", one(c, "SELECT volatility FROM wasm.functions WHERE LOWER(name) = 'f' AND arg_types = 'text'"));
        assertEquals(11, one(c, "SELECT f(1)"));
        exec(c, "REVOKE EXECUTE ON FUNCTION f(text) FROM PUBLIC");
        assertEquals(1L, count(c, "SELECT COUNT(*) FROM wasm.functions WHERE LOWER(name) = 'f' AND acl IS NOT NULL"));
        // OR REPLACE replaces the matching signature only
        exec(c, "CREATE OR REPLACE FUNCTION f(text) RETURNS integer LANGUAGE wasm IMMUTABLE STRICT AS '" + WAT + "', 'tn'");
        assertEquals(35, one(c, "SELECT f('abc')"));
        assertEquals(11, one(c, "SELECT f(1)"));
        assertEquals(5, one(c, "SELECT f(2, 3)"));
        fails("42P13", () -> exec(c, "CREATE OR REPLACE FUNCTION f(text) RETURNS bigint LANGUAGE wasm STRICT AS '" + WAT + "', 'tt64'"));
        // RENAME moves one overload
        exec(c, "ALTER FUNCTION f(integer, integer) RENAME TO f2");
        assertEquals(5, one(c, "SELECT f2(2, 3)"));
        exec(c, "DROP FUNCTION f(text)");
        assertEquals(11, one(c, "SELECT f(1)"));
        assertEquals(1L, count(c, "SELECT COUNT(*) FROM wasm.functions WHERE LOWER(name) = 'f'"));
        exec(c, "DROP FUNCTION f");
        assertEquals(0L, count(c, "SELECT COUNT(*) FROM wasm.functions WHERE LOWER(name) = 'f'"));
    }

    /** EXECUTE is granted per overload: revoking f(text) leaves f(integer) callable, through the same dispatching alias. */
    @Test
    void privilegesArePerOverload() throws SQLException {
        String url = memUrl();
        try (Connection admin = connect(url)) {
            createF(admin);
            exec(admin, "CREATE USER carol PASSWORD 'pw'");
            exec(admin, "REVOKE EXECUTE ON FUNCTION f(text) FROM PUBLIC");
            try (Connection carol = java.sql.DriverManager.getConnection(TestSupport.withoutSettings(url), "carol", "pw")) {
                assertEquals(11, one(carol, "SELECT f(1)"));
                assertEquals(5, one(carol, "SELECT f(2, 3)"));
                SQLException e = fails("42501", () -> one(carol, "SELECT f('abc')"));
                assertTrue(e.getMessage().contains("permission denied for function f"), e.getMessage());
                exec(admin, "GRANT EXECUTE ON FUNCTION f(text) TO carol");
                assertEquals(33, one(carol, "SELECT f('abc')"));
            }
        }
    }

    @Test
    void dropSeveralOverloadsInOneStatementIsAllOrNothing() throws SQLException {
        createF(c);
        fails("42883", () -> exec(c, "DROP FUNCTION f(integer), f(boolean)"));
        assertEquals(3L, count(c, "SELECT COUNT(*) FROM wasm.functions WHERE LOWER(name) = 'f'"), "nothing dropped");
        assertEquals(11, one(c, "SELECT f(1)"));
        exec(c, "DROP FUNCTION IF EXISTS f(integer), f(boolean), f(text)");
        assertEquals(1L, count(c, "SELECT COUNT(*) FROM wasm.functions WHERE LOWER(name) = 'f'"));
        assertEquals(5, one(c, "SELECT f(2, 3)"));
        exec(c, "DROP FUNCTION f");
        assertEquals(0L, count(c, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.ROUTINES WHERE ROUTINE_NAME = 'F'"), "no alias left");
    }

    @Test
    void overloadsSurviveReopenAndOlderCatalogsUpgrade() throws SQLException {
        Path db = fileDb();
        String url = "jdbc:wasm:file:" + db;
        try (Connection a = connect(url)) {
            exec(a, "CREATE FUNCTION u(integer) RETURNS integer LANGUAGE wasm STRICT AS '" + WAT + "', 'ti'");
            // a catalog of version 5: one function per name, the primary key (schema_name, name)
            exec(a, "ALTER TABLE wasm.functions ADD PRIMARY KEY (schema_name, name)");
            exec(a, "UPDATE wasm.catalog SET catalog_version = 5");
        }
        try (Connection b = connect(url)) {
            assertEquals(CatalogStore.CATALOG_VERSION, one(b, "SELECT catalog_version FROM wasm.catalog"));
            assertEquals(11, one(b, "SELECT u(1)"));
            exec(b, "CREATE FUNCTION u(text) RETURNS integer LANGUAGE wasm STRICT AS '" + WAT + "', 'tt'");
            assertEquals(23, one(b, "SELECT u('xy')"));
        }
        try (Connection d = connect(url)) {
            assertEquals(11, one(d, "SELECT u(1)"));
            assertEquals(23, one(d, "SELECT u('xy')"));
        }
    }

    /** The PostgreSQL-style error with its HINT, as the bridge raised it (H2 wraps it in its own exception). */
    static HintedSQLException hinted(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HintedSQLException h) {
                return h;
            }
        }
        throw new AssertionError("no HINT in " + e, e);
    }

    private String rows(String sql) throws SQLException {
        StringBuilder sb = new StringBuilder();
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                Object o = rs.getObject(1);
                sb.append(o == null ? "" : o).append(',');
            }
        }
        return sb.toString();
    }

    private static Object single(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next());
            return rs.getObject(1);
        }
    }
}
