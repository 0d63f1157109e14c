package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.connect;
import static io.wasmudf.h2.TestSupport.createManifestFunctions;
import static io.wasmudf.h2.TestSupport.count;
import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.fails;
import static io.wasmudf.h2.TestSupport.one;
import static io.wasmudf.h2.TestSupport.rows;
import static io.wasmudf.h2.TestSupport.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.udfs.UdfModules;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CREATE/DROP AGGREGATE on embedded H2 with the C support functions of aggs.wasm: PostgreSQL's
 * transition rules (STRICT skips NULLs, the first input as initial state), FINALFUNC, a bytea
 * state, GROUP BY, FILTER, DISTINCT, persistence, and the DDL errors (compared with PostgreSQL 15
 * in io.wasmudf.pg.PgAggregateTest).
 */
class AggregateTest extends PerTestDatabase {
    @BeforeEach
    void createSupportAndTable() throws SQLException {
        createManifestFunctions(c, "aggs");
        exec(c, "CREATE TABLE t(g integer, x integer, d double precision, s text)");
        exec(c, "INSERT INTO t VALUES (1, 1, 1.5, 'a'), (1, NULL, NULL, NULL), (1, 3, 2.5, 'b'), (2, 10, 4.0, 'c'), (2, 10, NULL, 'c'),"
                + " (3, NULL, NULL, NULL)");
    }

    @Test
    void strictTransitionWithInitCondSkipsNullsAndGroups() throws SQLException {
        exec(c, "CREATE AGGREGATE wsum(integer) (SFUNC = int4_sum_acc, STYPE = bigint, INITCOND = '0')");
        assertEquals(24L, one(c, "SELECT wsum(x) FROM t"));
        assertEquals(List.of(List.of(1, 4L), List.of(2, 20L), List.of(3, 0L)), rows(c, "SELECT g, wsum(x) FROM t GROUP BY g ORDER BY g"));
        // no rows: the initial state, as PostgreSQL
        assertEquals(0L, one(c, "SELECT wsum(x) FROM t WHERE g = 99"));
        assertEquals(4L, one(c, "SELECT wsum(x) FILTER (WHERE x < 10) FROM t"));
        assertEquals(14L, one(c, "SELECT wsum(DISTINCT x) FROM t"));
        // a smallint argument is converted (PostgreSQL's implicit cast), a bigint one is no match
        assertEquals(7L, one(c, "SELECT wsum(CAST(x AS smallint)) FROM (VALUES 3, 4) v(x)"));
        SQLException e = fails("42883", () -> one(c, "SELECT wsum(CAST(x AS bigint)) FROM t"));
        assertTrue(e.getMessage().contains("function wsum(bigint) does not exist"), e.getMessage());
    }

    @Test
    void strictTransitionWithoutInitCondTakesTheFirstInput() throws SQLException {
        exec(c, "CREATE AGGREGATE wmax(integer) (SFUNC = int4_larger, STYPE = integer)");
        assertEquals(List.of(List.of(1, 3), List.of(2, 10), Arrays.asList(3, null)), rows(c, "SELECT g, wmax(x) FROM t GROUP BY g ORDER BY g"));
        assertNull(one(c, "SELECT wmax(x) FROM t WHERE false"));
        exec(c, "CREATE AGGREGATE wjoin(text) (SFUNC = text_join_acc, STYPE = text)");
        // H2 has no ORDER BY inside a user aggregate's call; one row per group keeps the order out of it
        assertEquals(List.of(List.of("a"), List.of("c,c")), rows(c, "SELECT wjoin(s) FROM t WHERE g > 1 OR x = 1 GROUP BY g HAVING COUNT(s) > 0 ORDER BY g"));
    }

    @Test
    void nonStrictTransitionSeesNulls() throws SQLException {
        exec(c, "CREATE AGGREGATE wcount(integer) (SFUNC = count_acc, STYPE = bigint)");
        assertEquals(6L, one(c, "SELECT wcount(x) FROM t"));
        assertNull(one(c, "SELECT wcount(x) FROM t WHERE false"));
        assertEquals(List.of(List.of(1, 3L), List.of(2, 2L), List.of(3, 1L)), rows(c, "SELECT g, wcount(x) FROM t GROUP BY g ORDER BY g"));
    }

    @Test
    void byteaStateWithFinalFunction() throws SQLException {
        exec(c, "CREATE AGGREGATE wavg(double precision) (SFUNC = avg_acc, STYPE = bytea, FINALFUNC = avg_final, INITCOND = '\\x',"
                + " PARALLEL = SAFE)");
        assertEquals(8.0 / 3, one(c, "SELECT wavg(d) FROM t"));
        assertEquals(List.of(List.of(1, 2.0), List.of(2, 4.0), Arrays.asList(3, null)), rows(c, "SELECT g, wavg(d) FROM t GROUP BY g ORDER BY g"));
        // an integer argument is converted to double precision
        assertEquals(2.0, one(c, "SELECT wavg(x) FROM (VALUES 1, 2, 3) v(x)"));
        // a state the guest did not write: its trap is an error naming the transition function, the connection stays usable
        exec(c, "CREATE AGGREGATE wbad(double precision) (SFUNC = avg_acc, STYPE = bytea, FINALFUNC = avg_final, INITCOND = '\\x01')");
        SQLException e = fails("38000", () -> one(c, "SELECT wbad(d) FROM t"));
        assertTrue(e.getMessage().contains("avg_acc"), e.getMessage());
        assertEquals(8.0 / 3, one(c, "SELECT wavg(d) FROM t"));
    }

    @Test
    void replaceAndDrop() throws SQLException {
        exec(c, "CREATE AGGREGATE wagg(integer) (SFUNC = int4_sum_acc, STYPE = bigint, INITCOND = '0')");
        fails("42723", () -> exec(c, "CREATE AGGREGATE wagg(integer) (SFUNC = int4_sum_acc, STYPE = bigint, INITCOND = '0')"));
        exec(c, "CREATE OR REPLACE AGGREGATE wagg(integer) (SFUNC = int4_sum_acc, STYPE = bigint, INITCOND = '100')");
        assertEquals(124L, one(c, "SELECT wagg(x) FROM t"));
        // a support function cannot go while an aggregate uses it (PostgreSQL: 2BP01)
        SQLException e = fails("2BP01", () -> exec(c, "DROP FUNCTION int4_sum_acc(bigint, integer)"));
        assertTrue(e.getMessage().contains("cannot drop function int4_sum_acc(bigint,integer) because other objects depend on it"), e.getMessage());
        // other argument types make another function (an overload, as in PostgreSQL): the aggregate keeps its own
        exec(c, "CREATE OR REPLACE FUNCTION int4_sum_acc(s bigint, x bigint) RETURNS bigint STRICT LANGUAGE wasm AS 'aggs', 'int8_sum_acc'");
        assertEquals(124L, one(c, "SELECT wagg(x) FROM t"));
        exec(c, "DROP FUNCTION int4_sum_acc(bigint, bigint)");
        // nor change its result type; a replacement with the same signature is used by the next statement
        fails("42P13", () -> exec(c, "CREATE OR REPLACE FUNCTION int4_sum_acc(s bigint, x integer) RETURNS integer STRICT LANGUAGE wasm"
                + " AS 'aggs', 'int4_larger'"));
        exec(c, "CREATE OR REPLACE FUNCTION int4_sum_acc(s bigint, x integer) RETURNS bigint CALLED ON NULL INPUT LANGUAGE wasm"
                + " AS 'aggs', 'count_acc'");
        assertEquals(106L, one(c, "SELECT wagg(x) FROM t"));
        fails("42809", () -> exec(c, "DROP FUNCTION wagg(integer)"));
        fails("42809", () -> exec(c, "DROP AGGREGATE int4_larger(integer, integer)"));
        fails("42883", () -> exec(c, "DROP AGGREGATE wagg(text)"));
        exec(c, "DROP AGGREGATE IF EXISTS nosuch(integer)");
        exec(c, "DROP AGGREGATE wagg(integer)");
        fails("42883", () -> exec(c, "DROP AGGREGATE wagg(integer)"));
        fails("90022", () -> one(c, "SELECT wagg(x) FROM t"));
        exec(c, "DROP FUNCTION int4_sum_acc(bigint, integer)");
        assertEquals(0L, count(c, "SELECT COUNT(*) FROM wasm.aggregates"));
    }

    @Test
    void createErrorsFollowPostgres() throws SQLException {
        SQLException e = fails("42883", () -> exec(c, "CREATE AGGREGATE a(integer) (SFUNC = nosuch, STYPE = integer)"));
        assertEquals("function nosuch(integer, integer) does not exist", e.getMessage().replaceAll(" \\(there is.*", ""));
        e = fails("42883", () -> exec(c, "CREATE AGGREGATE a(integer) (SFUNC = int4_larger, STYPE = bigint)"));
        assertTrue(e.getMessage().startsWith("function int4_larger(bigint, integer) does not exist"), e.getMessage());
        e = fails("42P13", () -> exec(c, "CREATE AGGREGATE a(integer) (SFUNC = int4_sum_acc, STYPE = bigint)"));
        assertEquals("must not omit initial value when transition function is strict and transition type is not compatible with input type",
                e.getMessage());
        e = fails("42883", () -> exec(c, "CREATE AGGREGATE a(double precision) (SFUNC = avg_acc, STYPE = bytea, FINALFUNC = avg_acc,"
                + " INITCOND = '\\x')"));
        assertTrue(e.getMessage().startsWith("function avg_acc(bytea) does not exist"), e.getMessage());
        e = fails("22P02", () -> exec(c, "CREATE AGGREGATE a(integer) (SFUNC = int4_sum_acc, STYPE = bigint, INITCOND = 'abc')"));
        assertEquals("invalid input syntax for type bigint: \"abc\"", e.getMessage());
        fails("42P13", () -> exec(c, "CREATE AGGREGATE a(integer) (STYPE = integer)"));
        fails("42P13", () -> exec(c, "CREATE AGGREGATE a(integer) (SFUNC = int4_larger)"));
        fails("42601", () -> exec(c, "CREATE AGGREGATE a(integer) (SFUNC = int4_larger, STYPE = integer, BOGUS = 1)"));
        fails("0A000", () -> exec(c, "CREATE AGGREGATE a(integer) (SFUNC = int4_larger, STYPE = integer, MSFUNC = int4_larger)"));
        fails("42723", () -> exec(c, "CREATE AGGREGATE int4_larger(integer) (SFUNC = int4_larger, STYPE = integer)"));
        fails("42723", () -> exec(c, "CREATE AGGREGATE sum(integer) (SFUNC = int4_larger, STYPE = integer)"));
        // nothing was left behind, and the connection works
        assertEquals(0L, count(c, "SELECT COUNT(*) FROM wasm.aggregates"));
        assertEquals(1, one(c, "SELECT 1"));
    }

    @Test
    void windowsAndPreparedStatements() throws SQLException {
        exec(c, "CREATE AGGREGATE wsum(integer) (SFUNC = int4_sum_acc, STYPE = bigint, INITCOND = '0')");
        assertEquals(List.of(List.of(1, 4L), List.of(2, 20L)),
                rows(c, "SELECT DISTINCT g, wsum(x) OVER (PARTITION BY g) FROM t WHERE g < 3 ORDER BY g"));
        assertEquals(List.of(List.of(1, 1L), List.of(3, 4L), List.of(10, 24L)),
                rows(c, "SELECT DISTINCT x, wsum(x) OVER (ORDER BY x) FROM t WHERE x IS NOT NULL ORDER BY x"));
        assertEquals(20L, one(c, "SELECT wsum(x) FROM t WHERE g = ?", 2));
    }

    @Test
    void aNonAdminUserCreatesAndDropsAggregatesOthersMayCallThem() throws SQLException {
        String url = TestSupport.memUrl();
        try (Connection admin = connect(url)) {
            exec(admin, "CREATE USER alice PASSWORD 'pw'");
            exec(admin, "CREATE USER bob PASSWORD 'pw'");
            exec(admin, "CREATE SCHEMA app AUTHORIZATION alice");
            exec(admin, "GRANT SELECT, INSERT ON wasm.modules TO alice");
            try (Connection alice = java.sql.DriverManager.getConnection(TestSupport.withoutSettings(url), "alice", "pw")) {
                upload(alice, "aggs", UdfModules.bytes("aggs"));
                exec(alice, "CREATE FUNCTION app.acc(s bigint, x integer) RETURNS bigint LANGUAGE wasm STRICT AS 'aggs', 'int4_sum_acc'");
                SQLException e = fails("42501", () -> exec(alice, "CREATE AGGREGATE public.asum(integer) (SFUNC = app.acc, STYPE = bigint,"
                        + " INITCOND = '0')"));
                assertTrue(e.getMessage().startsWith("permission denied for schema PUBLIC"), e.getMessage());
                exec(alice, "CREATE AGGREGATE app.asum(integer) (SFUNC = app.acc, STYPE = bigint, INITCOND = '0')");
                assertEquals(6L, one(alice, "SELECT app.asum(x) FROM (VALUES 1, 2, 3) v(x)"));
            }
            try (Connection bob = java.sql.DriverManager.getConnection(TestSupport.withoutSettings(url), "bob", "pw")) {
                assertEquals(3L, one(bob, "SELECT app.asum(x) FROM (VALUES 1, 2) v(x)"), "PUBLIC may call it, as in PostgreSQL");
                SQLException e = fails("42501", () -> exec(bob, "DROP AGGREGATE app.asum(integer)"));
                assertEquals("must be owner of function app.asum", e.getMessage());
            }
            try (Connection alice = java.sql.DriverManager.getConnection(TestSupport.withoutSettings(url), "alice", "pw")) {
                exec(alice, "DROP AGGREGATE app.asum(integer)");
                exec(alice, "DROP FUNCTION app.acc");
            }
            assertEquals(0L, count(admin, "SELECT COUNT(*) FROM wasm.aggregates"));
        }
    }

    @Test
    void h2sOwnAggregateSyntaxStillGoesToH2() throws SQLException {
        SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                () -> exec(c, "CREATE AGGREGATE h2agg FOR 'no.such.Clazz'"));
        assertTrue(e.getMessage().contains("no.such.Clazz"), e.getMessage());
    }

    @Test
    void aCopyOfAnOpenDatabaseGetsItsOwnAggregateBridges() throws Exception {
        Path original = TestSupport.fileDb();
        try (Connection f = connect("jdbc:wasm:file:" + original)) {
            createManifestFunctions(f, "aggs");
            exec(f, "CREATE AGGREGATE wsum(integer) (SFUNC = int4_sum_acc, STYPE = bigint, INITCOND = '0')");
        }
        Path copy = TestSupport.fileDb();
        java.nio.file.Files.copy(Path.of(original + ".mv.db"), Path.of(copy + ".mv.db"));
        try (Connection o = connect("jdbc:wasm:file:" + original); Connection k = connect("jdbc:wasm:file:" + copy)) {
            String bridgeO = (String) one(o, "SELECT bridge FROM wasm.aggregates");
            String bridgeK = (String) one(k, "SELECT bridge FROM wasm.aggregates");
            assertTrue(!bridgeO.equals(bridgeK), bridgeO + " " + bridgeK);
            assertEquals(bridgeK, one(k, "SELECT EXTERNAL_NAME FROM INFORMATION_SCHEMA.ROUTINES WHERE ROUTINE_NAME = 'WSUM'"));
            assertEquals(6L, one(o, "SELECT wsum(x) FROM (VALUES 1, 2, 3) v(x)"));
            assertEquals(10L, one(k, "SELECT wsum(x) FROM (VALUES 1, 2, 3, 4) v(x)"));
        }
    }

    @Test
    void survivesReopen() throws SQLException {
        Path db = TestSupport.fileDb();
        String url = "jdbc:wasm:file:" + db;
        try (Connection f = connect(url)) {
            createManifestFunctions(f, "aggs");
            exec(f, "CREATE AGGREGATE wsum(integer) (SFUNC = int4_sum_acc, STYPE = bigint, INITCOND = '0')");
            assertEquals(6L, one(f, "SELECT wsum(x) FROM (VALUES 1, 2, 3) v(x)"));
        }
        try (Connection f = connect(url)) {
            assertEquals(6L, one(f, "SELECT wsum(x) FROM (VALUES 1, 2, 3) v(x)"));
            exec(f, "DROP AGGREGATE wsum(integer)");
        }
    }
}
