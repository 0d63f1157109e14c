package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.fails;
import static io.wasmudf.h2.TestSupport.hex;
import static io.wasmudf.h2.TestSupport.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.Wat;
import io.wasmudf.sql.HintedSQLException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 item 5, no silent surprises: what a declaration without STRICT / CALLED ON NULL INPUT
 * becomes, zero-argument results decided by the declaration, the export named after an inline
 * module, and the HINT of every signature mismatch.
 */
class NullInputDefaultTest extends PerTestDatabase {
    /** {@code add(i32, i32) -> i32}, {@code answer() -> i32} (42), {@code opt_add}: option arguments, packed option result. */
    private static final String WAT = "(module"
            + " (func (export \"add\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)"
            + " (func (export \"answer\") (result i32) i32.const 42)"
            + " (func (export \"answer64\") (result i64) i64.const 42)"
            + " (func (export \"opt_add\") (param i32 i32 i32 i32) (result i64)"
            + "   local.get 0 i32.eqz local.get 2 i32.eqz i32.or if i64.const 0 return end"
            + "   i64.const 1 i64.const 32 i64.shl local.get 1 local.get 3 i32.add i64.extend_i32_u i64.or))";

    private SQLWarning create(String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
            return st.getWarnings();
        }
    }

    @Test
    void plainExportWithoutClauseIsStrictWithNotice() throws SQLException {
        SQLWarning w = create("CREATE FUNCTION add(integer, integer) RETURNS integer LANGUAGE wasm AS '" + WAT + "', 'add'");
        assertTrue(w != null && w.getMessage().contains("function add is created as STRICT"), String.valueOf(w));
        assertEquals("00000", w.getSQLState());
        assertEquals(5, one(c, "SELECT add(2, 3)"));
        assertNull(one(c, "SELECT add(NULL, 3)"));
        assertEquals(true, one(c, "SELECT is_strict FROM wasm.functions WHERE name = 'ADD'"));
    }

    @Test
    void optionExportWithoutClauseStaysCalledOnNullInputWithoutNotice() throws SQLException {
        assertNull(create("CREATE FUNCTION opt_add(integer, integer) RETURNS integer LANGUAGE wasm AS '" + WAT + "', 'opt_add'"));
        assertEquals(7, one(c, "SELECT opt_add(3, 4)"));
        assertEquals(false, one(c, "SELECT is_strict FROM wasm.functions WHERE name = 'OPT_ADD'"));
    }

    @Test
    void explicitClausesGetNoNotice() throws SQLException {
        assertNull(create("CREATE FUNCTION add(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS '" + WAT + "', 'add'"));
    }

    @Test
    void calledOnNullInputWithPlainExportIsRefusedWithHintToWriteStrict() {
        SQLException e = fails("42P13", () -> exec(c,
                "CREATE FUNCTION add(integer, integer) RETURNS integer LANGUAGE wasm CALLED ON NULL INPUT AS '" + WAT + "', 'add'"));
        HintedSQLException h = (HintedSQLException) e;
        assertTrue(h.primaryMessage().startsWith("function add: export \"add\" has signature (i32, i32) -> i32"), h.primaryMessage());
        assertTrue(h.hint().contains("write STRICT instead of CALLED ON NULL INPUT"), h.hint());
        assertTrue(e.getMessage().contains("\n  Hint: "), e.getMessage());
    }

    @Test
    void strictWithOptionExportHintsCalledOnNullInput() {
        HintedSQLException h = (HintedSQLException) fails("42P13", () -> exec(c,
                "CREATE FUNCTION opt_add(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS '" + WAT + "', 'opt_add'"));
        assertTrue(h.hint().contains("declare the function CALLED ON NULL INPUT instead of STRICT"), h.hint());
    }

    @Test
    void otherMismatchesHintTheDeclarationThatMatches() {
        HintedSQLException h = (HintedSQLException) fails("42P13", () -> exec(c,
                "CREATE FUNCTION add(bigint) RETURNS bigint LANGUAGE wasm STRICT AS '" + WAT + "', 'add'"));
        assertEquals("The export's signature matches add(integer, integer) RETURNS integer STRICT"
                + " (or another type with the same core values: docs/ABI.md lists each type's).", h.hint());
        HintedSQLException zero = (HintedSQLException) fails("42P13", () -> exec(c,
                "CREATE FUNCTION big() RETURNS double precision LANGUAGE wasm AS '" + WAT + "', 'answer64'"));
        assertTrue(zero.hint().contains("big() RETURNS bigint STRICT"), zero.hint());
    }

    @Test
    void hintReachesTheSecondSessionUsable() throws SQLException {
        fails("42P13", () -> exec(c, "CREATE FUNCTION add(bigint) RETURNS bigint LANGUAGE wasm STRICT AS '" + WAT + "', 'add'"));
        assertEquals(1, one(c, "SELECT 1"));
    }

    /** The case: a zero-argument export returning 42, declared without a clause, returned NULL. */
    @Test
    void zeroArgumentsWithoutClauseReturn42() throws SQLException {
        SQLWarning w = create("CREATE FUNCTION answer() RETURNS integer LANGUAGE wasm AS '" + WAT + "', 'answer'");
        assertTrue(w != null && w.getMessage().contains("created as STRICT"), String.valueOf(w));
        assertEquals(42, one(c, "SELECT answer()"));
        exec(c, "CREATE FUNCTION answer_s() RETURNS integer LANGUAGE wasm STRICT AS '" + WAT + "', 'answer'");
        assertEquals(42, one(c, "SELECT answer_s()"));
        // a zero-argument bigint export packed as an option is only the CALLED ON NULL INPUT form: no guess needed
        exec(c, "CREATE FUNCTION answer_p() RETURNS integer LANGUAGE wasm AS '(module (func (export \"p\") (result i64)"
                + " i64.const 1 i64.const 32 i64.shl i64.const 42 i64.or))', 'p'");
        assertEquals(42, one(c, "SELECT answer_p()"));
        assertEquals(false, one(c, "SELECT is_strict FROM wasm.functions WHERE name = 'ANSWER_P'"));
    }

    @Test
    void inlineBinaryModulesNameTheirExport() throws SQLException {
        String hex = hex(Wat.toBinary(WAT));
        exec(c, "CREATE FUNCTION plus(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS X'" + hex + "', 'add'");
        exec(c, "CREATE FUNCTION plus2(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS '\\x" + hex + "', 'add'");
        try (PreparedStatement ps = c.prepareStatement("CREATE FUNCTION plus3(integer, integer) RETURNS integer LANGUAGE wasm AS ?, 'add'")) {
            ps.setBytes(1, Wat.toBinary(WAT));
            ps.execute();
            SQLWarning w = ps.getWarnings();
            assertTrue(w != null && w.getMessage().contains("function plus3 is created as STRICT"), String.valueOf(w));
        }
        assertEquals(3, one(c, "SELECT plus(1, 2)"));
        assertEquals(4, one(c, "SELECT plus2(2, 2)"));
        assertEquals(5, one(c, "SELECT plus3(2, 3)"));
        assertEquals("add", one(c, "SELECT export_name FROM wasm.functions WHERE name = 'PLUS3'"));
        fails("42601", () -> exec(c, "CREATE FUNCTION p4(integer) RETURNS integer LANGUAGE wasm STRICT AS X'" + hex + "', add"));
    }

    /** Another signature under a taken name is another function (an overload), as in PostgreSQL, never a silent replacement. */
    @Test
    void anotherSignatureUnderATakenNameIsAnOverload() throws SQLException {
        exec(c, "CREATE FUNCTION ov(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS '" + WAT + "', 'add'");
        exec(c, "CREATE OR REPLACE FUNCTION ov(boolean, boolean) RETURNS integer LANGUAGE wasm STRICT AS '" + WAT + "', 'add'");
        exec(c, "CREATE FUNCTION ov() RETURNS integer LANGUAGE wasm STRICT AS '" + WAT + "', 'answer'");
        assertEquals(3L, TestSupport.count(c, "SELECT COUNT(*) FROM wasm.functions WHERE LOWER(name) = 'ov'"));
        assertEquals(42, one(c, "SELECT ov()"));
        HintedSQLException e;
        // PostgreSQL 15's wording and hint for a changed result type
        e = (HintedSQLException) fails("42P13", () -> exec(c,
                "CREATE OR REPLACE FUNCTION ov(integer, integer) RETURNS bigint LANGUAGE wasm STRICT AS '" + WAT + "', 'add'"));
        assertEquals("cannot change return type of existing function", e.primaryMessage());
        assertEquals("Use DROP FUNCTION ov(integer,integer) first.", e.hint());
        assertEquals(5, one(c, "SELECT ov(2, 3)"), "the function is unchanged");
        exec(c, "CREATE OR REPLACE FUNCTION ov(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS '" + WAT + "', 'add'");
    }
}
