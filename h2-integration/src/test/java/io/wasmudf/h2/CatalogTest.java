package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.connect;
import static io.wasmudf.h2.TestSupport.count;
import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.fails;
import static io.wasmudf.h2.TestSupport.memUrl;
import static io.wasmudf.h2.TestSupport.one;
import static io.wasmudf.h2.TestSupport.upload;
import static io.wasmudf.h2.TestSupport.wasm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** wasm.modules: uploads, computed columns, the guard against deleting modules in use, compile cache. */
class CatalogTest {

    @Test
    void uploadComputesShaAndSize() throws Exception {
        byte[] abi = wasm("abi");
        try (Connection c = connect(memUrl())) {
            upload(c, "abi", abi);
            String expected = TestSupport.hex(MessageDigest.getInstance("SHA-256").digest(abi));
            assertEquals(expected, one(c, "SELECT sha256 FROM wasm.modules WHERE name = 'abi'"));
            assertEquals(abi.length, one(c, "SELECT size FROM wasm.modules WHERE name = 'abi'"));
            assertEquals(false, one(c, "SELECT implicit FROM wasm.modules WHERE name = 'abi'"));
            fails("23505", () -> upload(c, "abi", abi));
        }
    }

    @Test
    void invalidUploadIsRefused() throws SQLException {
        try (Connection c = connect(memUrl())) {
            SQLException e = fails("42P13", () -> upload(c, "junk", new byte[] {1, 2, 3}));
            assertTrue(e.getMessage().contains("\"junk\""), e.getMessage());
            assertEquals(0L, count(c, "SELECT COUNT(*) FROM wasm.modules"));
        }
    }

    @Test
    void modulesInUseCannotBeDeletedOrChanged() throws SQLException {
        try (Connection c = connect(memUrl())) {
            upload(c, "abi", wasm("abi"));
            upload(c, "spare", wasm("answer2"));
            exec(c, "CREATE FUNCTION plus(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'add_i32'");
            SQLException e = fails("2BP01", () -> exec(c, "DELETE FROM wasm.modules WHERE name = 'abi'"));
            assertTrue(e.getMessage().contains("\"abi\"") && e.getMessage().contains("PLUS"), e.getMessage());
            fails("2BP01", () -> exec(c, "UPDATE wasm.modules SET name = 'abi2' WHERE name = 'abi'"));
            fails("2BP01", () -> exec(c, "UPDATE wasm.modules SET bytes = (SELECT bytes FROM wasm.modules WHERE name = 'spare') WHERE name = 'abi'"));
            assertEquals(3, one(c, "SELECT plus(1, 2)"));
            exec(c, "DELETE FROM wasm.modules WHERE name = 'spare'");
            exec(c, "DROP FUNCTION plus");
            exec(c, "DELETE FROM wasm.modules WHERE name = 'abi'");
            assertEquals(0L, count(c, "SELECT COUNT(*) FROM wasm.modules"));
        }
    }

    @Test
    void eachModuleContentCompilesOnce() throws SQLException {
        byte[] abi = wasm("abi");
        try (Connection c = connect(memUrl()); Connection d = connect(memUrl())) {
            upload(c, "abi", abi);
            exec(c, "CREATE FUNCTION plus(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'add_i32'");
            var first = Engines.compile(abi, false);
            exec(c, "CREATE FUNCTION answer() RETURNS integer LANGUAGE wasm STRICT AS 'abi'");
            exec(d, "CREATE FUNCTION add_i32(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS X'" + TestSupport.hex(abi) + "'");
            assertSame(first, Engines.compile(abi, false), "other functions and databases reuse the compiled module");
            assertEquals(5, one(d, "SELECT add_i32(2, 3)"));
        }
    }

    @Test
    void catalogFollowsIdentifierCase() throws SQLException {
        try (Connection c = connect(memUrl() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE")) {
            upload(c, "abi", wasm("abi"));
            exec(c, "CREATE FUNCTION Plus(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'add_i32'");
            assertEquals("plus", one(c, "SELECT name FROM wasm.functions"));
            assertEquals(4, one(c, "SELECT PLUS(2, 2)"));
            assertEquals(2L, count(c, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'wasm'"
                    + " AND table_name IN ('modules', 'functions')"));
        }
    }
}
