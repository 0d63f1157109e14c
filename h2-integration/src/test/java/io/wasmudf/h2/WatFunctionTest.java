package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.connect;
import static io.wasmudf.h2.TestSupport.count;
import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.fails;
import static io.wasmudf.h2.TestSupport.fileDb;
import static io.wasmudf.h2.TestSupport.one;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.Wat;
import io.wasmudf.sql.WatText;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Modules written in the WebAssembly text format: inline in CREATE FUNCTION and as rows of wasm.modules. */
class WatFunctionTest extends PerTestDatabase {
    static final String ADD = "(module (func (export \"add\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))";

    @Test
    void inlineTextExportNamedByTheFunction() throws SQLException {
        exec(c, "CREATE FUNCTION add(a integer, b integer) RETURNS integer LANGUAGE wasm IMMUTABLE STRICT AS '" + ADD + "'");
        assertEquals(42, one(c, "SELECT add(40, 2)"));
        // the implicit module keeps the text and the bytes it encodes to
        try (ResultSet rs = c.createStatement().executeQuery("SELECT m.source_text, m.bytes, m.implicit FROM wasm.modules m"
                + " JOIN wasm.functions f ON f.module_name = m.name WHERE LOWER(f.name) = 'add'")) {
            assertTrue(rs.next());
            assertEquals(ADD, rs.getString(1));
            assertArrayEquals(Wat.toBinary(ADD), rs.getBytes(2));
            assertTrue(rs.getBoolean(3));
        }
    }

    @Test
    void inlineTextWithExportNameFoldedFormsAndLeadingComment() throws SQLException {
        String wat = ";; doubles its argument\n(; block (; nested ;) comment ;)\n"
                + "(module\n  (func $twice (param $x i64) (result i64)\n    (i64.mul (local.get $x) (i64.const 2)))\n"
                + "  (export \"twice\" (func $twice)))";
        exec(c, "CREATE FUNCTION dbl(bigint) RETURNS bigint LANGUAGE wasm STRICT AS '" + wat + "', 'twice'");
        assertEquals(-8L, one(c, "SELECT dbl(-4)"));
        assertEquals("twice", one(c, "SELECT export_name FROM wasm.functions WHERE LOWER(name) = 'dbl'"));
    }

    /** Dollar quoting, as PostgreSQL users write function bodies: no doubling of quotes inside. */
    @Test
    void dollarQuotedText() throws SQLException {
        exec(c, "CREATE FUNCTION quote_len() RETURNS integer LANGUAGE wasm STRICT AS $wat$\n"
                + "(module (memory 1) (data (i32.const 0) \"it's\") (func (export \"quote_len\") (result i32) (i32.load8_u (i32.const 2))))\n"
                + "$wat$");
        assertEquals((int) '\'', one(c, "SELECT quote_len()"));
    }

    /** Exceptions (3.0) work inside a function; one that leaves it uncaught is a trap: 38000 naming the tag. */
    @Test
    void wasmExceptionsCaughtInsideAndUncaughtAs38000() throws SQLException {
        exec(c, "CREATE FUNCTION safe_div(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS $wat$\n"
                + "(module (tag $div0 (export \"div0\") (param i32))\n"
                + "  (func $div (param i32 i32) (result i32)\n"
                + "    (if (i32.eqz (local.get 1)) (then (throw $div0 (local.get 0))))\n"
                + "    (i32.div_s (local.get 0) (local.get 1)))\n"
                + "  (func (export \"safe_div\") (param i32 i32) (result i32)\n"
                + "    (block $h (result i32)\n"
                + "      (try_table (result i32) (catch $div0 $h) (call $div (local.get 0) (local.get 1)))\n"
                + "      (return))\n"
                + "    (drop) (i32.const -1)))\n"
                + "$wat$");
        assertEquals(4, one(c, "SELECT safe_div(9, 2)"));
        assertEquals(-1, one(c, "SELECT safe_div(9, 0)"));
        exec(c, "CREATE FUNCTION raw_div(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS $wat$\n"
                + "(module (tag $div0 (export \"div0\") (param i32))\n"
                + "  (func (export \"raw_div\") (param i32 i32) (result i32)\n"
                + "    (if (i32.eqz (local.get 1)) (then (throw $div0 (local.get 0))))\n"
                + "    (i32.div_s (local.get 0) (local.get 1))))\n"
                + "$wat$");
        SQLException e = fails("38000", () -> one(c, "SELECT raw_div(9, 0)"));
        assertTrue(e.getMessage().contains("raw_div") && e.getMessage().contains("uncaught exception: tag \"div0\""), e.getMessage());
        assertEquals(3, one(c, "SELECT raw_div(9, 3)"), "the function stays usable");
    }

    @Test
    void syntaxErrorGivesLineColumnAndTheFunction() throws SQLException {
        SQLException e = fails("42601", () -> exec(c, "CREATE FUNCTION bad(integer) RETURNS integer LANGUAGE wasm AS '(module\n"
                + "  (func (export \"bad\") (param i32) (result i32)\n    local.get 0 i32.frobnicate))'"));
        assertTrue(e.getMessage().startsWith("function bad: syntax error in the WebAssembly text at line 3, column 17: unknown operator"),
                e.getMessage());
        // nothing was created and the connection is usable
        assertEquals(0L, count(c, "SELECT COUNT(*) FROM wasm.modules"));
        assertEquals(1, one(c, "SELECT 1"));
    }

    @Test
    void wellFormedButInvalidTextIs42P13() {
        SQLException e = fails("42P13", () -> exec(c, "CREATE FUNCTION f(integer) RETURNS integer LANGUAGE wasm AS"
                + " '(module (func (export \"f\") (param i32) (result i32) i64.const 1))'"));
        assertTrue(e.getMessage().startsWith("function f: "), e.getMessage());
        assertTrue(e.getMessage().contains("type mismatch"), e.getMessage());
    }

    @Test
    void deeplyNestedTextIsRefusedNotACrash() throws SQLException {
        String deep = "(module (func (export \"f\") (result i32) " + "(i32.add (i32.const 1) ".repeat(200_000) + "(i32.const 0)"
                + ")".repeat(200_000) + "))";
        SQLException e = fails("54001", () -> exec(c, "CREATE FUNCTION f() RETURNS integer LANGUAGE wasm AS '" + deep + "'"));
        assertEquals("function f: the WebAssembly text is nested too deeply to parse", e.getMessage());
        assertEquals(1, one(c, "SELECT 1"));
    }

    @Test
    void textRowsInWasmModules() throws SQLException {
        exec(c, "INSERT INTO wasm.modules(name, source_text) VALUES ('arith', '" + ADD + "')");
        assertEquals((long) Wat.toBinary(ADD).length, ((Number) one(c, "SELECT size FROM wasm.modules WHERE name = 'arith'")).longValue());
        exec(c, "CREATE FUNCTION plus(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS 'arith', 'add'");
        assertEquals(7, one(c, "SELECT plus(3, 4)"));
        // text in use cannot change: its bytes would
        fails("2BP01", () -> exec(c, "UPDATE wasm.modules SET source_text = '(module)' WHERE name = 'arith'"));
        SQLException bad = fails("42601", () -> exec(c, "INSERT INTO wasm.modules(name, source_text) VALUES ('oops', '(module (func')"));
        assertTrue(bad.getMessage().startsWith("module \"oops\": syntax error in the WebAssembly text at line 1, column 14"), bad.getMessage());
        fails("23502", () -> exec(c, "INSERT INTO wasm.modules(name) VALUES ('empty')"));
        // bytes given with the text must be the text's encoding
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO wasm.modules(name, bytes, source_text) VALUES (?, ?, ?)")) {
            ps.setString(1, "both");
            ps.setBytes(2, Wat.toBinary("(module)"));
            ps.setString(3, ADD);
            SQLException e = fails("42P13", ps::executeUpdate);
            assertTrue(e.getMessage().contains("bytes and source_text disagree"), e.getMessage());
            ps.setBytes(2, Wat.toBinary(ADD));
            assertEquals(1, ps.executeUpdate());
        }
        // new bytes alone drop the text that no longer describes them
        try (PreparedStatement ps = c.prepareStatement("UPDATE wasm.modules SET bytes = ? WHERE name = 'both'")) {
            ps.setBytes(1, Wat.toBinary("(module)"));
            ps.executeUpdate();
        }
        assertNull(text(c, "SELECT source_text FROM wasm.modules WHERE name = 'both'"));
        exec(c, "UPDATE wasm.modules SET source_text = '" + ADD + "' WHERE name = 'both'");
        assertArrayEquals(Wat.toBinary(ADD), (byte[]) one(c, "SELECT bytes FROM wasm.modules WHERE name = 'both'"));
    }

    @Test
    void textFunctionsSurviveReopening() throws SQLException {
        Path db = fileDb();
        String url = "jdbc:wasm:" + db;
        try (Connection a = connect(url)) {
            exec(a, "CREATE FUNCTION add(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS '" + ADD + "'");
        }
        try (Connection b = connect(url)) {
            assertEquals(9, one(b, "SELECT add(4, 5)"));
            assertEquals(ADD, text(b, "SELECT source_text FROM wasm.modules WHERE implicit"));
        }
    }

    /** A CLOB column as a string. */
    private static String text(Connection c, String sql) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }

    @Test
    void whatCountsAsText() {
        assertTrue(WatText.isText("(module)"));
        assertTrue(WatText.isText("  \n;; c\n(; x (; y ;) ;) (func)"));
        assertTrue(!WatText.isText("strings"));
        assertTrue(!WatText.isText("(; only a comment ;)"));
        assertTrue(!WatText.isText(""));
    }
}
