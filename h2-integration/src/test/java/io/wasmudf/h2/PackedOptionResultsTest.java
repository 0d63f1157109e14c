package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.fails;
import static io.wasmudf.h2.TestSupport.one;
import static io.wasmudf.h2.TestSupport.withFunctions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.udfs.UdfModules;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CALLED ON NULL INPUT functions whose exports return their option result packed into one i64
 * (test-options.wasm, built from wasm-udfs/src/test-modules/options.c with the SDK's
 * wasmudf_opt32) instead of through a return area.
 */
class PackedOptionResultsTest {
    private static Connection c;

    @BeforeAll
    static void setUp() throws SQLException {
        c = withFunctions("options", UdfModules.bytes("test-options"), "opt_int(x integer) RETURNS integer CALLED ON NULL INPUT",
                "opt_real(x real) RETURNS real CALLED ON NULL INPUT", "opt_bool(b boolean) RETURNS boolean CALLED ON NULL INPUT",
                "opt_small(x smallint) RETURNS smallint CALLED ON NULL INPUT", "bad_packed(x integer) RETURNS integer CALLED ON NULL INPUT");
    }

    @AfterAll
    static void tearDown() throws SQLException {
        c.close();
    }

    @Test
    void valuesAndNullsComeBack() throws SQLException {
        assertEquals(42, one(c, "SELECT opt_int(?)", 21));
        assertEquals(-6, one(c, "SELECT opt_int(?)", -3));
        assertEquals(-2, one(c, "SELECT opt_int(?)", Integer.MAX_VALUE));
        assertNull(one(c, "SELECT opt_int(CAST(NULL AS INTEGER))"));
        assertNull(one(c, "SELECT opt_int(?)", 7), "a present argument can still give NULL");
        assertEquals(Boolean.FALSE, one(c, "SELECT opt_bool(?)", true));
        assertEquals(Boolean.TRUE, one(c, "SELECT opt_bool(?)", false));
        assertNull(one(c, "SELECT opt_bool(CAST(NULL AS BOOLEAN))"));
        assertEquals((short) 6, ((Number) one(c, "SELECT opt_small(CAST(5 AS SMALLINT))")).shortValue());
        assertNull(one(c, "SELECT opt_small(CAST(NULL AS SMALLINT))"));
    }

    @Test
    void realsKeepTheirBits() throws SQLException {
        assertEquals(-1.5f, ((Number) one(c, "SELECT opt_real(?)", 1.5f)).floatValue());
        assertEquals(2.5f, ((Number) one(c, "SELECT opt_real(?)", -2.5f)).floatValue());
        assertEquals(-Float.MIN_VALUE, ((Number) one(c, "SELECT opt_real(?)", Float.MIN_VALUE)).floatValue());
        // (-0.0 is not checked here: H2's REAL values normalise it to 0.0; check.mjs checks its bits)
        assertTrue(Float.isNaN(((Number) one(c, "SELECT opt_real(?)", Float.NaN)).floatValue()));
        assertEquals(Float.NEGATIVE_INFINITY, ((Number) one(c, "SELECT opt_real(?)", Float.POSITIVE_INFINITY)).floatValue());
        assertNull(one(c, "SELECT opt_real(?)", 7.0f));
    }

    @Test
    void aScanThroughTheBridgesCallSitesAgreesWithJava() throws SQLException {
        long want = 0;
        for (int x = 1; x <= 3000; x++) {
            if (x % 3 != 0 && x != 7) {
                want += 2L * x;
            }
        }
        assertEquals(want, ((Number) one(c, "SELECT SUM(opt_int(CASE WHEN MOD(x, 3) = 0 THEN NULL ELSE CAST(x AS INTEGER) END))"
                + " FROM SYSTEM_RANGE(1, 3000)")).longValue());
        assertEquals(1000L, ((Number) one(c, "SELECT COUNT(*) FROM SYSTEM_RANGE(1, 3000) WHERE opt_int(CASE WHEN MOD(x, 3) = 0"
                + " THEN NULL ELSE CAST(x AS INTEGER) END) IS NULL")).longValue() - 1, "NULL for every third row, and for 7");
    }

    @Test
    void badResultsAreErrorsNamingTheFunction() throws SQLException {
        SQLException e = fails("38000", () -> one(c, "SELECT bad_packed(?)", 5));
        assertTrue(e.getMessage().contains("function bad_packed") && e.getMessage().contains("invalid option discriminant 2"), e.getMessage());
        e = fails("22003", () -> one(c, "SELECT opt_small(CAST(32767 AS SMALLINT))"));
        assertTrue(e.getMessage().contains("function opt_small") && e.getMessage().contains("32768"), e.getMessage());
        assertEquals(4, one(c, "SELECT opt_int(?)", 2), "the connection stays usable");
    }

    @Test
    void onlyThirtyTwoBitOptionResultsMayBePacked() throws SQLException {
        SQLException e = fails("42P13", () -> exec(c, "CREATE FUNCTION wide(x bigint) RETURNS bigint LANGUAGE wasm CALLED ON NULL INPUT AS 'options'"));
        assertEquals("function wide: export \"wide\" has signature (i32, i64) -> i64 but bigint -> bigint (CALLED ON NULL INPUT) needs"
                + " (i32 is_some, i64) -> i32 retptr", ((io.wasmudf.sql.HintedSQLException) e).primaryMessage());
        e = fails("42P13", () -> exec(c, "CREATE FUNCTION opt_int_strict(x integer) RETURNS integer LANGUAGE wasm STRICT AS 'options', 'opt_int'"));
        assertTrue(e.getMessage().contains("needs (i32) -> i32"), e.getMessage());
        e = fails("42P13", () -> exec(c, "CREATE FUNCTION opt_int_text(x integer) RETURNS text LANGUAGE wasm CALLED ON NULL INPUT AS 'options', 'opt_int'"));
        assertTrue(e.getMessage().contains("needs (i32 is_some, i32) -> i32 retptr\n  Hint: "), e.getMessage());
    }
}
