package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.connect;
import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.fails;
import static io.wasmudf.h2.TestSupport.fileDb;
import static io.wasmudf.h2.TestSupport.one;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * uuid and 16-byte bytea values passed as v128 (docs/ABI.md "v128"): chosen by the export's
 * signature, recorded in the catalog, lane 0 the first byte (as PostgreSQL's {@code uuid_send}
 * orders them: {@code get_byte(uuid_send('a1b2…'), 0)} is 161 there), and a bytea of another
 * length is 22026 as PostgreSQL's bit-string length mismatch.
 */
class V128ValuesTest extends PerTestDatabase {
    private static final String U = "a1b2c3d4-e5f6-0718-293a-4b5c6d7e8f90";

    @Test
    void uuidArgumentsAndResultsAsV128() throws SQLException {
        exec(c, "CREATE FUNCTION first_byte(uuid) RETURNS integer LANGUAGE wasm STRICT AS "
                + "'(module (func (export \"first_byte\") (param v128) (result i32) (i8x16.extract_lane_u 0 (local.get 0))))'");
        exec(c, "CREATE FUNCTION uuid_reverse(uuid) RETURNS uuid LANGUAGE wasm STRICT AS '(module (func (export \"uuid_reverse\")"
                + " (param v128) (result v128) (i8x16.swizzle (local.get 0) (v128.const i8x16 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0))))'");
        assertEquals(161, one(c, "SELECT first_byte('" + U + "')"));
        assertEquals(UUID.fromString("908f7e6d-5c4b-3a29-1807-f6e5d4c3b2a1"), one(c, "SELECT uuid_reverse(CAST('" + U + "' AS UUID))"));
        assertNull(one(c, "SELECT uuid_reverse(NULL)"), "STRICT: NULL without a call");
        assertTrue((Boolean) one(c, "SELECT v128_values FROM wasm.functions WHERE LOWER(name) = 'uuid_reverse'"));
        // the canonical (i64, i64) form is still the other way to take a uuid
        exec(c, "CREATE FUNCTION hi_bits(uuid) RETURNS bigint LANGUAGE wasm STRICT AS "
                + "'(module (func (export \"hi_bits\") (param i64 i64) (result i64) (local.get 0)))'");
        assertEquals(0xa1b2c3d4e5f60718L, one(c, "SELECT hi_bits('" + U + "')"));
        assertEquals(false, one(c, "SELECT v128_values FROM wasm.functions WHERE LOWER(name) = 'hi_bits'"));
    }

    @Test
    void sixteenByteByteaAsV128() throws SQLException {
        exec(c, "CREATE FUNCTION xor16(bytea, bytea) RETURNS bytea LANGUAGE wasm STRICT AS "
                + "'(module (func (export \"xor16\") (param v128 v128) (result v128) (v128.xor (local.get 0) (local.get 1))))'");
        byte[] a = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
        byte[] b = HexFormat.of().parseHex("ff00ff00ff00ff00ff00ff00ff00ff00");
        assertArrayEquals(HexFormat.of().parseHex("ff01fd03fb05f907f709f50bf30df10f"), (byte[]) one(c, "SELECT xor16(?, ?)", a, b));
        SQLException e = fails("22026", () -> one(c, "SELECT xor16(?, ?)", a, new byte[5]));
        assertEquals("function xor16: bytea length 5 does not match the function's v128 parameter (16 bytes)", firstLine(e));
        assertArrayEquals(a, (byte[]) one(c, "SELECT xor16(?, ?)", a, new byte[16]), "usable after the error");
    }

    @Test
    void calledOnNullInputTakesOptionsAndReturnsThroughAReturnArea() throws SQLException {
        // (is_some, v128) -> retptr: the option's payload at 16; NULL in gives NULL out
        exec(c, "CREATE FUNCTION uuid_or_null(uuid) RETURNS uuid LANGUAGE wasm CALLED ON NULL INPUT AS '(module (memory (export \"memory\") 1)"
                + " (func (export \"uuid_or_null\") (param i32 v128) (result i32)"
                + "   (i32.store8 (i32.const 64) (local.get 0)) (v128.store (i32.const 80) (local.get 1)) (i32.const 64)))'");
        assertEquals(UUID.fromString(U), one(c, "SELECT uuid_or_null('" + U + "')"));
        assertNull(one(c, "SELECT uuid_or_null(NULL)"));
    }

    @Test
    void aSignatureMatchingNeitherFormIsRefused() throws SQLException {
        SQLException e = fails("42P13", () -> exec(c, "CREATE FUNCTION half(uuid) RETURNS uuid LANGUAGE wasm STRICT AS "
                + "'(module (func (export \"half\") (param v128) (result i64) (i64.const 0)))'"));
        assertTrue(e.getMessage().startsWith("function half: export \"half\" has signature (v128) -> i64"), e.getMessage());
    }

    @Test
    void aVersionSixCatalogGainsTheColumn() throws SQLException {
        String url = "jdbc:wasm:file:" + fileDb();
        try (Connection a = connect(url)) {
            exec(a, "CREATE FUNCTION hi_bits(uuid) RETURNS bigint LANGUAGE wasm STRICT AS "
                    + "'(module (func (export \"hi_bits\") (param i64 i64) (result i64) (local.get 0)))'");
            exec(a, "ALTER TABLE wasm.functions DROP COLUMN v128_values");
            exec(a, "UPDATE wasm.catalog SET catalog_version = 6");
        }
        try (Connection b = connect(url)) {
            assertEquals(CatalogStore.CATALOG_VERSION, one(b, "SELECT catalog_version FROM wasm.catalog"));
            assertEquals(0xa1b2c3d4e5f60718L, one(b, "SELECT hi_bits('" + U + "')"));
            assertEquals(false, one(b, "SELECT v128_values FROM wasm.functions WHERE LOWER(name) = 'hi_bits'"));
            exec(b, "CREATE FUNCTION first_byte(uuid) RETURNS integer LANGUAGE wasm STRICT AS "
                    + "'(module (func (export \"first_byte\") (param v128) (result i32) (i8x16.extract_lane_u 0 (local.get 0))))'");
        }
        try (Connection d = connect(url)) {
            assertEquals(161, one(d, "SELECT first_byte('" + U + "')"), "the v128 form survives a restart");
        }
    }

    private static String firstLine(SQLException e) {
        String m = e.getMessage();
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        int sql = m.indexOf("; SQL statement:");
        return sql < 0 ? m : m.substring(0, sql);
    }
}
