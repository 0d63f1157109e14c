package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.connect;
import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.fails;
import static io.wasmudf.h2.TestSupport.memUrl;
import static io.wasmudf.h2.TestSupport.one;
import static io.wasmudf.h2.TestSupport.upload;
import static io.wasmudf.h2.TestSupport.wasm;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every SQL type of the ABI through real H2 calls, strict and CALLED ON NULL INPUT, with NULLs. */
class AbiTypesTest {
    private static String url;
    private static Connection c;

    @BeforeAll
    static void setUp() throws SQLException {
        url = memUrl();
        c = connect(url);
        upload(c, "abi", wasm("abi"));
        String[] ddl = {
            "add_i32(integer, integer) RETURNS integer STRICT AS 'abi'",
            "add_i64(bigint, bigint) RETURNS bigint STRICT AS 'abi'",
            "mul_f32(real, real) RETURNS real STRICT AS 'abi'",
            "mul_f64(double precision, double precision) RETURNS double precision STRICT AS 'abi'",
            "not_bool(boolean) RETURNS boolean STRICT AS 'abi'",
            "neg_smallint(smallint) RETURNS smallint STRICT AS 'abi'",
            "times1000(smallint) RETURNS smallint STRICT AS 'abi'",
            "div_i32(integer, integer) RETURNS integer STRICT AS 'abi'",
            "boom() RETURNS integer STRICT AS 'abi'",
            "recurse(integer) RETURNS integer STRICT AS 'abi'",
            "counter() RETURNS integer STRICT AS 'abi'",
            "text_len(text) RETURNS integer STRICT AS 'abi'",
            "post_count() RETURNS integer STRICT AS 'abi'",
            "echo(text) RETURNS text STRICT AS 'abi'",
            "up(varchar) RETURNS text STRICT AS 'abi', 'upper'",
            "rev(bytea) RETURNS bytea STRICT AS 'abi', 'reverse'",
            "cat(text, text) RETURNS text STRICT AS 'abi', 'concat'",
            "rep(text, integer) RETURNS text STRICT AS 'abi', 'repeat'",
            "bad_utf8(text) RETURNS text STRICT AS 'abi'",
            "bad_ptr(text) RETURNS text STRICT AS 'abi'",
            "opt_add(integer, integer) RETURNS integer CALLED ON NULL INPUT AS 'abi'",
            "opt_len(text) RETURNS integer AS 'abi'",
            "opt_i32(integer) RETURNS integer AS 'abi'",
            "opt_bool(boolean) RETURNS boolean AS 'abi', 'opt_i32'",
            "opt_smallint(smallint) RETURNS smallint AS 'abi', 'opt_i32'",
            "opt_i64(bigint) RETURNS bigint AS 'abi'",
            "opt_f32(real) RETURNS real AS 'abi'",
            "opt_f64(double precision) RETURNS double precision AS 'abi'",
            "opt_text(text) RETURNS text AS 'abi'",
            "opt_bytes(bytea) RETURNS bytea AS 'abi', 'opt_text'",
            "opt_bad(integer) RETURNS integer AS 'abi'",
        };
        for (String d : ddl) {
            exec(c, "CREATE FUNCTION " + d.replace(" AS '", " LANGUAGE wasm AS '"));
        }
    }

    @AfterAll
    static void tearDown() throws SQLException {
        c.close();
    }

    @Test
    void strictNumbers() throws SQLException {
        Random r = new Random(3);
        for (int i = 0; i < 200; i++) {
            int a = r.nextInt();
            int b = r.nextInt();
            assertEquals(a + b, one(c, "SELECT add_i32(?, ?)", a, b));
            long x = r.nextLong();
            long y = r.nextLong();
            assertEquals(x + y, one(c, "SELECT add_i64(?, ?)", x, y));
            float f = r.nextFloat() * 1e6f - 5e5f;
            float g = r.nextFloat() * 100;
            assertEquals(f * g, (Float) one(c, "SELECT mul_f32(?, ?)", f, g));
            double d = r.nextGaussian() * 1e100;
            double e = r.nextGaussian();
            assertEquals(d * e, (Double) one(c, "SELECT mul_f64(?, ?)", d, e));
            short s = (short) r.nextInt(Short.MAX_VALUE);
            assertEquals((short) -s, ((Number) one(c, "SELECT neg_smallint(CAST(? AS SMALLINT))", s)).shortValue());
        }
        assertEquals(Integer.MIN_VALUE, one(c, "SELECT add_i32(2147483647, 1)"), "wraps like Wasm i32.add");
        assertEquals(false, one(c, "SELECT not_bool(TRUE)"));
        assertEquals(true, one(c, "SELECT not_bool(FALSE)"));
        assertTrue(Double.isNaN((Double) one(c, "SELECT mul_f64(CAST('NaN' AS DOUBLE PRECISION), 1)")));
        assertEquals(Double.POSITIVE_INFINITY, one(c, "SELECT mul_f64(1e308, 10)"));
    }

    @Test
    void strictFunctionsReturnNullForNullWithoutCalling() throws SQLException {
        int before = (Integer) one(c, "SELECT post_count()");
        assertNull(one(c, "SELECT add_i32(NULL, 1)"));
        assertNull(one(c, "SELECT add_i64(1, NULL)"));
        assertNull(one(c, "SELECT mul_f64(NULL, NULL)"));
        assertNull(one(c, "SELECT not_bool(NULL)"));
        assertNull(one(c, "SELECT text_len(NULL)"));
        assertNull(one(c, "SELECT echo(NULL)"));
        assertNull(one(c, "SELECT rev(NULL)"));
        assertNull(one(c, "SELECT cat('a', NULL)"));
        assertNull(one(c, "SELECT rep('a', NULL)"));
        assertEquals(before, one(c, "SELECT post_count()"), "text_len was not called");
        assertNull(one(c, "SELECT div_i32(NULL, 0)"), "no trap: the function is not called");
    }

    @Test
    void smallintOutOfRangeIs22003() {
        SQLException e = fails("22003", () -> one(c, "SELECT times1000(CAST(100 AS SMALLINT))"));
        assertTrue(e.getMessage().contains("function times1000") && e.getMessage().contains("100000"), e.getMessage());
    }

    @Test
    void textRoundTripsIncludingEmptyNonAsciiAndLarge() throws SQLException {
        String[] samples = {"", "a", "hello world", "héllo wörld", "日本語テキスト", "emoji 😀👍🏽", "nul\0inside", "x".repeat(100_000),
            "ü".repeat(70_000) + "😀".repeat(20_000)};
        for (String s : samples) {
            assertEquals(s, one(c, "SELECT echo(?)", s));
            assertEquals(s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, one(c, "SELECT text_len(?)", s));
            assertEquals(s + "|" + s, one(c, "SELECT cat(cat(?, '|'), ?)", s, s));
            assertEquals(asciiUpper(s), one(c, "SELECT up(?)", s));
        }
        assertEquals("ababab", one(c, "SELECT rep('ab', 3)"));
        assertEquals("", one(c, "SELECT rep('ab', 0)"));
    }

    private static String asciiUpper(String s) {
        StringBuilder sb = new StringBuilder();
        for (char ch : s.toCharArray()) {
            sb.append(ch >= 'a' && ch <= 'z' ? (char) (ch - 32) : ch);
        }
        return sb.toString();
    }

    @Test
    void byteaRoundTrips() throws SQLException {
        Random r = new Random(5);
        for (int n : new int[] {0, 1, 2, 255, 4096, 1 << 20}) {
            byte[] b = new byte[n];
            r.nextBytes(b);
            byte[] expected = new byte[n];
            for (int i = 0; i < n; i++) {
                expected[i] = b[n - 1 - i];
            }
            assertArrayEquals(expected, (byte[]) one(c, "SELECT rev(?)", (Object) b));
        }
        assertArrayEquals(new byte[] {3, 2, 1}, (byte[]) one(c, "SELECT rev(X'010203')"));
    }

    @Test
    void calledOnNullInputSeesNullsAsOptions() throws SQLException {
        assertEquals(5, one(c, "SELECT opt_add(2, 3)"));
        assertEquals(2, one(c, "SELECT opt_add(2, NULL)"), "called with b = none");
        assertNull(one(c, "SELECT opt_add(NULL, 3)"), "returned none");
        assertEquals(-1, one(c, "SELECT opt_len(NULL)"));
        assertEquals(0, one(c, "SELECT opt_len('')"));
        assertEquals(3, one(c, "SELECT opt_len('abc')"));
    }

    @Test
    void everyOptionTypeRoundTrips() throws SQLException {
        assertEquals(-7, one(c, "SELECT opt_i32(-7)"));
        assertNull(one(c, "SELECT opt_i32(NULL)"));
        assertEquals(true, one(c, "SELECT opt_bool(TRUE)"));
        assertEquals(false, one(c, "SELECT opt_bool(FALSE)"));
        assertNull(one(c, "SELECT opt_bool(NULL)"));
        assertEquals((short) -300, ((Number) one(c, "SELECT opt_smallint(CAST(-300 AS SMALLINT))")).shortValue());
        assertNull(one(c, "SELECT opt_smallint(NULL)"));
        assertEquals(Long.MIN_VALUE, one(c, "SELECT opt_i64(-9223372036854775808)"));
        assertNull(one(c, "SELECT opt_i64(NULL)"));
        assertEquals(1.5f, one(c, "SELECT opt_f32(CAST(1.5 AS REAL))"));
        assertNull(one(c, "SELECT opt_f32(NULL)"));
        assertEquals(-2.25e300, one(c, "SELECT opt_f64(-2.25e300)"));
        assertNull(one(c, "SELECT opt_f64(NULL)"));
        assertEquals("", one(c, "SELECT opt_text('')"));
        assertEquals("grüß 😀", one(c, "SELECT opt_text(?)", "grüß 😀"));
        assertNull(one(c, "SELECT opt_text(NULL)"));
        assertArrayEquals(new byte[] {9, 8}, (byte[]) one(c, "SELECT opt_bytes(X'0908')"));
        assertArrayEquals(new byte[0], (byte[]) one(c, "SELECT opt_bytes(X'')"));
        assertNull(one(c, "SELECT opt_bytes(NULL)"));
    }

    @Test
    void resultTypesAreTheDeclaredSqlTypes() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT add_i32(1, 2), add_i64(1, 2), mul_f32(1, 2), mul_f64(1, 2), not_bool(true),"
                + " neg_smallint(CAST(1 AS SMALLINT)), echo('x'), rev(X'01'), opt_i32(1), opt_text('a')");
             ResultSet rs = ps.executeQuery()) {
            String[] expected = {"INTEGER", "BIGINT", "REAL", "DOUBLE PRECISION", "BOOLEAN", "SMALLINT", "CHARACTER VARYING",
                "BINARY VARYING", "INTEGER", "CHARACTER VARYING"};
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], rs.getMetaData().getColumnTypeName(i + 1), "column " + (i + 1));
            }
        }
    }

    @Test
    void cabiPostRunsAfterEveryCall() throws SQLException {
        try (Connection own = connect(url)) {
            int before = (Integer) one(own, "SELECT post_count()");
            one(own, "SELECT SUM(text_len(CAST(X AS VARCHAR))) FROM SYSTEM_RANGE(1, 25)");
            assertEquals(before + 25, one(own, "SELECT post_count()"));
        }
    }

    @Test
    void invalidResultsAreErrorsNamingTheFunction() {
        SQLException e = fails("22021", () -> one(c, "SELECT bad_utf8('x')"));
        assertTrue(e.getMessage().startsWith("function bad_utf8: "), e.getMessage());
        e = fails("38000", () -> one(c, "SELECT bad_ptr('x')"));
        assertTrue(e.getMessage().contains("out of bounds"), e.getMessage());
        e = fails("38000", () -> one(c, "SELECT opt_bad(1)"));
        assertTrue(e.getMessage().contains("discriminant"), e.getMessage());
    }

    @Test
    void trapsAre38000AndTheConnectionStaysUsable() throws SQLException {
        try (Connection own = connect(url)) {
            assertEquals(1, one(own, "SELECT counter()"));
            assertEquals(2, one(own, "SELECT counter()"));
            SQLException e = fails("38000", () -> one(own, "SELECT div_i32(1, 0)"));
            assertTrue(e.getMessage().contains("function div_i32") && e.getMessage().contains("integer divide by zero"), e.getMessage());
            assertEquals(1, one(own, "SELECT counter()"), "the trapped instance was discarded; a fresh one starts over");
            e = fails("38000", () -> one(own, "SELECT boom()"));
            assertTrue(e.getMessage().contains("function boom") && e.getMessage().contains("unreachable"), e.getMessage());
            e = fails("38000", () -> one(own, "SELECT div_i32(-2147483648, -1)"));
            assertTrue(e.getMessage().contains("integer overflow"), e.getMessage());
            e = fails("54001", () -> one(own, "SELECT recurse(0)")); // call stack exhausted: statement_too_complex
            assertTrue(e.getMessage().contains("function recurse"), e.getMessage());
            assertEquals(3, one(own, "SELECT add_i32(1, 2)"));
            assertEquals(1, one(own, "SELECT counter()"));
            own.setAutoCommit(false);
            fails("38000", () -> one(own, "SELECT div_i32(1, 0)"));
            own.rollback();
            own.setAutoCommit(true);
            assertEquals(5, one(own, "SELECT div_i32(10, 2)"));
        }
    }

    @Test
    void instancesArePerSession() throws SQLException {
        try (Connection a = connect(url); Connection b = connect(url)) {
            assertEquals(1, one(a, "SELECT counter()"));
            assertEquals(2, one(a, "SELECT counter()"));
            assertEquals(1, one(b, "SELECT counter()"), "b has its own instance");
            assertEquals(3, one(a, "SELECT counter()"));
            fails("38000", () -> one(b, "SELECT boom()"));
            assertEquals(4, one(a, "SELECT counter()"), "a trap in b does not disturb a");
        }
    }

    @Test
    void immutableConstantCallsFoldButVolatileOnesRunPerRow() throws SQLException {
        try (Connection own = connect(url)) {
            assertEquals(5L, ((Number) one(own, "SELECT COUNT(DISTINCT counter()) FROM SYSTEM_RANGE(1, 5)")).longValue());
        }
    }
}
