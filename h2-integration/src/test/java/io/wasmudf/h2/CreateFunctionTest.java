package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.connect;
import static io.wasmudf.h2.TestSupport.count;
import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.fails;
import static io.wasmudf.h2.TestSupport.hex;
import static io.wasmudf.h2.TestSupport.memUrl;
import static io.wasmudf.h2.TestSupport.one;
import static io.wasmudf.h2.TestSupport.upload;
import static io.wasmudf.h2.TestSupport.wasm;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** Every DDL form, through real H2, and each of its error cases with its SQLSTATE. */
class CreateFunctionTest extends PerTestDatabase {
    private static final byte[] ABI = wasm("abi");

    @Test
    void inlineByteaHexLiteral() throws SQLException {
        exec(c, "CREATE FUNCTION add_i32(a integer, b integer) RETURNS integer LANGUAGE wasm IMMUTABLE STRICT AS '\\x" + hex(ABI) + "'");
        assertEquals(5, one(c, "SELECT add_i32(2, 3)"));
        assertEquals(1L, count(c, "SELECT COUNT(*) FROM wasm.modules WHERE implicit AND name = 'sha256:' || sha256"));
    }

    @Test
    void inlineH2BinaryLiteral() throws SQLException {
        exec(c, "CREATE FUNCTION add_i64(bigint, bigint) RETURNS bigint LANGUAGE wasm STRICT AS X'" + hex(ABI) + "'");
        assertEquals(Long.MAX_VALUE, one(c, "SELECT add_i64(9223372036854775806, 1)"));
    }

    @Test
    void boundParameterThroughPreparedStatement() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("CREATE FUNCTION mul_f64(double precision, double precision) RETURNS double precision"
                + " LANGUAGE wasm STRICT AS ?")) {
            assertSame(c, ps.getConnection());
            ps.setBytes(1, ABI);
            assertEquals(0, ps.executeUpdate());
        }
        assertEquals(7.5, one(c, "SELECT mul_f64(2.5, 3)"));
    }

    @Test
    void boundParameterMissingIs22023() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("CREATE FUNCTION answer() RETURNS integer LANGUAGE wasm AS ?")) {
            SQLException e = fails("22023", ps::execute);
            assertTrue(e.getMessage().contains("answer"), e.getMessage());
            fails("07009", () -> ps.setBytes(2, ABI));
        }
    }

    @Test
    void uploadedModuleWithExplicitAndImplicitExport() throws SQLException {
        upload(c, "abi", ABI);
        exec(c, "CREATE FUNCTION plus(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'add_i32'");
        exec(c, "CREATE FUNCTION answer() RETURNS integer LANGUAGE wasm STRICT AS 'abi'");
        assertEquals(9, one(c, "SELECT plus(4, 5)"));
        assertEquals(42, one(c, "SELECT answer()"));
        try (ResultSet rs = c.createStatement().executeQuery("SELECT name, arguments, arg_types, return_type, module_name, export_name,"
                + " volatility, is_strict FROM wasm.functions ORDER BY name")) {
            assertTrue(rs.next());
            assertEquals("ANSWER", rs.getString(1));
            assertEquals("", rs.getString(2));
            assertEquals("abi", rs.getString(5));
            assertEquals("answer", rs.getString(6));
            assertEquals("VOLATILE", rs.getString(7));
            assertTrue(rs.getBoolean(8));
            assertTrue(rs.next());
            assertEquals("PLUS", rs.getString(1));
            assertEquals("integer, integer", rs.getString(3));
            assertEquals("integer", rs.getString(4));
            assertEquals("add_i32", rs.getString(6));
            assertTrue(rs.getBoolean(8));
        }
    }

    @Test
    void schemaQualifiedAndQuotedNames() throws SQLException {
        exec(c, "CREATE SCHEMA app");
        upload(c, "abi", ABI);
        exec(c, "CREATE FUNCTION app.\"Plus\"(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'add_i32'");
        assertEquals(3, one(c, "SELECT app.\"Plus\"(1, 2)"));
        exec(c, "DROP FUNCTION app.\"Plus\"");
        assertEquals(0L, count(c, "SELECT COUNT(*) FROM wasm.functions"));
    }

    @Test
    void optionsInAnyOrderAndVolatility() throws SQLException {
        upload(c, "abi", ABI);
        exec(c, "CREATE FUNCTION counter() RETURNS integer AS 'abi' VOLATILE LANGUAGE wasm STRICT");
        exec(c, "CREATE FUNCTION answer() RETURNS integer AS 'abi' IMMUTABLE LANGUAGE wasm STRICT");
        assertEquals("YES", one(c, "SELECT IS_DETERMINISTIC FROM INFORMATION_SCHEMA.ROUTINES WHERE ROUTINE_NAME = 'ANSWER'"));
        assertEquals("NO", one(c, "SELECT IS_DETERMINISTIC FROM INFORMATION_SCHEMA.ROUTINES WHERE ROUTINE_NAME = 'COUNTER'"));
        // a VOLATILE function runs per row
        assertEquals(3L, ((Number) one(c, "SELECT COUNT(DISTINCT counter()) FROM SYSTEM_RANGE(1, 3)")).longValue());
    }

    @Test
    void orReplaceSwapsTheImplementation() throws SQLException {
        exec(c, "CREATE FUNCTION answer() RETURNS integer LANGUAGE wasm STRICT AS X'" + hex(ABI) + "'");
        assertEquals(42, one(c, "SELECT answer()"));
        fails("42723", () -> exec(c, "CREATE FUNCTION answer() RETURNS integer LANGUAGE wasm STRICT AS X'" + hex(wasm("answer2")) + "'"));
        assertEquals(42, one(c, "SELECT answer()"));
        exec(c, "CREATE OR REPLACE FUNCTION answer() RETURNS integer LANGUAGE wasm STRICT AS X'" + hex(wasm("answer2")) + "'");
        assertEquals(43, one(c, "SELECT answer()"));
        assertEquals(1L, count(c, "SELECT COUNT(*) FROM wasm.modules"), "the replaced implicit module is gone");
        assertEquals(1L, count(c, "SELECT COUNT(*) FROM wasm.functions"));
    }

    @Test
    void dropForms() throws SQLException {
        upload(c, "abi", ABI);
        exec(c, "CREATE FUNCTION plus(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'add_i32'");
        SQLException wrongArgs = fails("42883", () -> exec(c, "DROP FUNCTION plus(text)"));
        assertEquals("function plus(text) does not exist", wrongArgs.getMessage(), "PostgreSQL's wording");
        exec(c, "DROP FUNCTION plus(integer, integer)");
        assertEquals("could not find a function named \"plus\"", fails("42883", () -> exec(c, "DROP FUNCTION plus")).getMessage());
        exec(c, "DROP FUNCTION IF EXISTS plus");
        exec(c, "DROP FUNCTION IF EXISTS plus(int, int), nothing");
        // the alias is gone too
        assertEquals(0L, count(c, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.ROUTINES WHERE ROUTINE_NAME = 'PLUS'"));
        fails("90022", () -> one(c, "SELECT plus(1, 2)")); // H2: function not found
        exec(c, "CREATE FUNCTION plus(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'add_i32'");
        exec(c, "DROP FUNCTION plus");
        assertEquals(1L, count(c, "SELECT COUNT(*) FROM wasm.modules"), "uploaded modules stay");
    }

    @Test
    void droppingTheLastUserOfAnInlineModuleRemovesIt() throws SQLException {
        exec(c, "CREATE FUNCTION answer() RETURNS integer LANGUAGE wasm STRICT AS X'" + hex(ABI) + "'");
        exec(c, "CREATE FUNCTION counter() RETURNS integer LANGUAGE wasm STRICT AS X'" + hex(ABI) + "'");
        assertEquals(1L, count(c, "SELECT COUNT(*) FROM wasm.modules"), "same content, one module");
        exec(c, "DROP FUNCTION answer");
        assertEquals(1L, count(c, "SELECT COUNT(*) FROM wasm.modules"));
        exec(c, "DROP FUNCTION counter");
        assertEquals(0L, count(c, "SELECT COUNT(*) FROM wasm.modules"));
    }

    @Test
    void statementBatchMixingDdlAndDml() throws SQLException {
        try (Statement st = c.createStatement()) {
            st.addBatch("CREATE TABLE n(x INT)");
            st.addBatch("INSERT INTO n VALUES (1), (2)");
            st.addBatch("CREATE FUNCTION add_i32(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS X'" + hex(ABI) + "'");
            st.addBatch("INSERT INTO n SELECT add_i32(x, 10) FROM n");
            assertArrayEquals(new int[] {0, 2, 0, 2}, st.executeBatch());
            st.addBatch("DROP FUNCTION add_i32");
            st.addBatch("DROP FUNCTION add_i32");
            BatchUpdateException e = (BatchUpdateException) fails("42883", st::executeBatch);
            assertEquals(1, e.getUpdateCounts().length);
        }
        assertEquals(26L, count(c, "SELECT SUM(x) FROM n"));
    }

    @Test
    void executeReportsNoResultSet() throws SQLException {
        try (Statement st = c.createStatement()) {
            assertFalse(st.execute("CREATE FUNCTION answer() RETURNS integer LANGUAGE wasm STRICT AS X'" + hex(ABI) + "'"));
            assertEquals(0, st.getUpdateCount());
            assertEquals(null, st.getResultSet());
            assertFalse(st.getMoreResults());
            assertEquals(-1, st.getUpdateCount());
            fails("07000", () -> st.executeQuery("DROP FUNCTION answer"));
            assertTrue(st.execute("SELECT answer()"));
            try (ResultSet rs = st.getResultSet()) {
                assertTrue(rs.next());
                assertEquals(42, rs.getInt(1));
            }
        }
    }

    @Test
    void functionsAreVisibleToOtherConnections() throws SQLException {
        String url = memUrl();
        try (Connection a = connect(url); Connection b = connect(url)) {
            exec(a, "CREATE FUNCTION add_i32(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS X'" + hex(ABI) + "'");
            assertEquals(7, one(b, "SELECT add_i32(3, 4)"));
        }
    }

    // ---- errors ------------------------------------------------------------------------------

    @Test
    void syntaxErrorIs42601() {
        SQLException e = fails("42601", () -> exec(c, "CREATE FUNCTION f(integer RETURNS integer LANGUAGE wasm AS ?"));
        assertTrue(e.getMessage().contains("syntax error"), e.getMessage());
        fails("42601", () -> c.prepareStatement("CREATE FUNCTION f() RETURNS integer LANGUAGE wasm STRICT STRICT AS ?"));
    }

    @Test
    void badHexIs22023() {
        fails("22023", () -> exec(c, "CREATE FUNCTION f() RETURNS integer LANGUAGE wasm AS '\\x0061736d0'"));
    }

    @Test
    void unknownModuleIs42883() {
        SQLException e = fails("42883", () -> exec(c, "CREATE FUNCTION f() RETURNS integer LANGUAGE wasm AS 'nope', 'f'"));
        assertTrue(e.getMessage().contains("function f") && e.getMessage().contains("\"nope\""), e.getMessage());
    }

    @Test
    void notWasmIs42P13() {
        SQLException e = fails("42P13", () -> exec(c, "CREATE FUNCTION f() RETURNS integer LANGUAGE wasm AS X'0061736d02000000'"));
        assertTrue(e.getMessage().startsWith("function f: "), e.getMessage());
        fails("42P13", () -> exec(c, "CREATE FUNCTION f() RETURNS integer LANGUAGE wasm AS X'00'"));
    }

    @Test
    void missingExportIs42P13() {
        SQLException e = fails("42P13", () -> exec(c, "CREATE FUNCTION nosuch() RETURNS integer LANGUAGE wasm STRICT AS X'" + hex(ABI) + "'"));
        assertTrue(e.getMessage().contains("no export \"nosuch\"") && e.getMessage().contains("\"add_i32\""), e.getMessage());
    }

    @Test
    void exportThatIsNotAFunctionIs42P13() {
        SQLException e = fails("42P13", () -> exec(c, "CREATE FUNCTION memory() RETURNS integer LANGUAGE wasm STRICT AS X'" + hex(ABI) + "'"));
        assertTrue(e.getMessage().contains("not a function"), e.getMessage());
    }

    @Test
    void signatureMismatchIs42P13WithBothSignatures() {
        SQLException e = fails("42P13", () -> exec(c, "CREATE FUNCTION echo(integer) RETURNS text LANGUAGE wasm STRICT AS X'" + hex(ABI) + "'"));
        assertEquals("function echo: export \"echo\" has signature (i32, i32) -> i32 but integer -> text needs (i32) -> i32 retptr",
                ((io.wasmudf.sql.HintedSQLException) e).primaryMessage());
        // (i32, i32) -> i32 is also integer -> text with an option argument: the hint names the nearest declaration that matches
        assertTrue(e.getMessage().endsWith("\n  Hint: The export takes option<T> arguments (an i32 is_some before each value):"
                + " declare the function CALLED ON NULL INPUT instead of STRICT."), e.getMessage());
        e = fails("42P13", () -> exec(c, "CREATE FUNCTION add_i32(integer, integer) RETURNS integer LANGUAGE wasm CALLED ON NULL INPUT AS X'"
                + hex(ABI) + "'"));
        assertTrue(e.getMessage().contains("(i32 is_some, i32, i32 is_some, i32) -> i32 retptr"), e.getMessage());
        assertTrue(e.getMessage().contains("Hint: The export takes plain values, which cannot be NULL: write STRICT"), e.getMessage());
        e = fails("42P13", () -> exec(c, "CREATE FUNCTION add_i64(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS X'" + hex(ABI) + "'"));
        assertTrue(e.getMessage().contains("(i64, i64) -> i64"), e.getMessage());
    }

    @Test
    void missingMemoryOrAllocatorIs42P13() {
        SQLException e = fails("42P13", () -> exec(c, "CREATE FUNCTION upper(text) RETURNS text LANGUAGE wasm STRICT AS X'" + hex(wasm("nomemory")) + "'"));
        assertTrue(e.getMessage().contains("\"memory\""), e.getMessage());
        e = fails("42P13", () -> exec(c, "CREATE FUNCTION text_len(text) RETURNS integer LANGUAGE wasm STRICT AS X'" + hex(wasm("norealloc")) + "'"));
        assertTrue(e.getMessage().contains("cabi_realloc"), e.getMessage());
    }

    @Test
    void importsStartTrapsAndBadPostAre42P13() {
        SQLException e = fails("42P13", () -> exec(c, "CREATE FUNCTION add_i32(integer, integer) RETURNS integer LANGUAGE wasm AS X'" + hex(wasm("imports")) + "'"));
        assertTrue(e.getMessage().contains("env.log"), e.getMessage());
        e = fails("42P13", () -> exec(c, "CREATE FUNCTION answer() RETURNS integer LANGUAGE wasm STRICT AS X'" + hex(wasm("starttrap")) + "'"));
        assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
        e = fails("42P13", () -> exec(c, "CREATE FUNCTION add_i32(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS X'" + hex(wasm("badpost")) + "'"));
        assertTrue(e.getMessage().contains("cabi_post_add_i32"), e.getMessage());
    }

    @Test
    void unsupportedLanguageIs42704() {
        fails("42704", () -> exec(c, "CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS 'select 1'"));
    }

    @Test
    void nameTakenByAnH2AliasIs42723() throws SQLException {
        exec(c, "CREATE ALIAS counter FOR 'java.lang.Math.abs(int)'");
        fails("42723", () -> exec(c, "CREATE FUNCTION counter() RETURNS integer LANGUAGE wasm STRICT AS X'" + hex(ABI) + "'"));
        assertEquals(3, one(c, "SELECT counter(-3)"), "the user's alias is untouched");
        SQLException e = fails("42723", () -> exec(c, "CREATE FUNCTION upper(text) RETURNS text LANGUAGE wasm STRICT AS X'" + hex(ABI) + "'"));
        assertTrue(e.getMessage().contains("built-in"), e.getMessage());
    }

    @Test
    void failedCreateLeavesNothingBehind() throws SQLException {
        exec(c, "CREATE ALIAS answer FOR 'java.lang.Math.abs(int)'");
        fails("42723", () -> exec(c, "CREATE FUNCTION answer() RETURNS integer LANGUAGE wasm STRICT AS X'" + hex(ABI) + "'"));
        assertEquals(0L, count(c, "SELECT COUNT(*) FROM wasm.functions"));
        assertEquals(0L, count(c, "SELECT COUNT(*) FROM wasm.modules"));
        // also inside a user transaction: the user's own work survives, the failed CREATE leaves nothing
        exec(c, "CREATE TABLE keep(x INT)");
        c.setAutoCommit(false);
        exec(c, "INSERT INTO keep VALUES (1)");
        fails("42723", () -> exec(c, "CREATE FUNCTION answer() RETURNS integer LANGUAGE wasm STRICT AS X'" + hex(ABI) + "'"));
        c.commit();
        c.setAutoCommit(true);
        assertEquals(1L, count(c, "SELECT COUNT(*) FROM keep"));
        assertEquals(0L, count(c, "SELECT COUNT(*) FROM wasm.modules"));
    }
}
