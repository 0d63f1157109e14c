package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.connect;
import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.hex;
import static io.wasmudf.h2.TestSupport.memUrl;
import static io.wasmudf.h2.TestSupport.one;
import static io.wasmudf.h2.TestSupport.upload;
import static io.wasmudf.h2.TestSupport.wasm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.Engine;
import io.wasmudf.sql.Hex;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The per-database catalog service: ids per database, release on DROP/REPLACE and on close, migration of older catalogs. */
class CatalogServiceTest {

    private static String bridgeOf(Connection c, String name) throws SQLException {
        return (String) one(c, "SELECT bridge FROM wasm.functions WHERE name = ?", name);
    }

    private static CatalogService service(Connection c) throws SQLException {
        return CatalogService.ofSession(H2Access.session(c.unwrap(org.h2.jdbc.JdbcConnection.class)));
    }

    @Test
    void twoDatabasesWithTheSameFunctionIdsNeverMeet() throws SQLException {
        try (Connection a = connect(memUrl()); Connection b = connect(memUrl())) {
            upload(a, "abi", wasm("abi"));
            upload(b, "limits", wasm("limits"));
            exec(a, "CREATE FUNCTION f(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'add_i32'");
            exec(b, "CREATE FUNCTION f(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS 'limits', 'div_by'");
            BridgeNames.Parsed pa = BridgeNames.parse(BridgeNames.classOfTarget(bridgeOf(a, "F")));
            BridgeNames.Parsed pb = BridgeNames.parse(BridgeNames.classOfTarget(bridgeOf(b, "F")));
            assertEquals(pa.functionId(), pb.functionId(), "each database numbers its own functions");
            assertNotEquals(pa.databaseId(), pb.databaseId());
            assertEquals(12, one(a, "SELECT f(8, 4)"));
            assertEquals(2, one(b, "SELECT f(8, 4)"));
        }
    }

    @Test
    void aCopyOfAnOpenDatabaseGetsItsOwnId() throws Exception {
        Path original = TestSupport.fileDb();
        try (Connection c = connect("jdbc:wasm:file:" + original)) {
            upload(c, "abi", wasm("abi"));
            exec(c, "CREATE FUNCTION plus(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'add_i32'");
        }
        Path copy = TestSupport.fileDb();
        Files.copy(Path.of(original + ".mv.db"), Path.of(copy + ".mv.db"));
        try (Connection o = connect("jdbc:wasm:file:" + original); Connection k = connect("jdbc:wasm:file:" + copy)) {
            String idO = BridgeNames.parse(BridgeNames.classOfTarget(bridgeOf(o, "PLUS"))).databaseId();
            String idK = BridgeNames.parse(BridgeNames.classOfTarget(bridgeOf(k, "PLUS"))).databaseId();
            assertNotEquals(idO, idK, "the copy was re-identified and its aliases re-created");
            assertEquals(idK, one(k, "SELECT database_id FROM wasm.catalog"));
            assertEquals(3, one(o, "SELECT plus(1, 2)"));
            assertEquals(7, one(k, "SELECT plus(3, 4)"));
        }
    }

    @Test
    void replaceAndDropReleaseInstancesModulesAndBindings() throws SQLException {
        // contents no other test's database uses (a module still used elsewhere rightly stays cached)
        byte[] abi = salted(wasm("abi"), System.nanoTime());
        byte[] other = salted(wasm("abi"), System.nanoTime() + 1);
        try (Connection c = connect(memUrl())) {
            exec(c, "CREATE FUNCTION answer() RETURNS integer LANGUAGE wasm STRICT AS X'" + hex(abi) + "'");
            assertEquals(42, one(c, "SELECT answer()"));
            CatalogService service = service(c);
            assertEquals(1, service.sessions.instanceCount());
            assertNotNull(Engines.cached(Engine.sha256(abi), false));
            exec(c, "CREATE OR REPLACE FUNCTION answer() RETURNS integer LANGUAGE wasm STRICT AS X'" + hex(other) + "'");
            assertEquals(0, service.sessions.instanceCount(), "the old module's instance is closed");
            assertNull(Engines.cached(Engine.sha256(abi), false), "no function uses the old module: it leaves the cache");
            assertEquals(0L, ((Number) one(c, "SELECT COUNT(*) FROM wasm.modules WHERE sha256 = ?", Engine.sha256(abi))).longValue(),
                    "the old implicit module row is gone too");
            assertEquals(42, one(c, "SELECT answer()"));
            exec(c, "DROP FUNCTION answer");
            assertEquals(0, service.sessions.instanceCount());
            assertNull(Engines.cached(Engine.sha256(other), false));
            assertTrue(service.functions().isEmpty());
        }
    }

    @Test
    void aFunctionsModuleIsFoundByTheCatalogsHashAndForgottenWithIt() throws SQLException {
        byte[] abi = salted(wasm("abi"), System.nanoTime());
        String sha = Engine.sha256(abi);
        try (Connection c = connect(memUrl())) {
            exec(c, "CREATE FUNCTION answer() RETURNS integer LANGUAGE wasm STRICT AS X'" + hex(abi) + "'");
            assertEquals(sha, one(c, "SELECT sha256 FROM wasm.modules WHERE sha256 = ?", sha), "the catalog's generated hash is the module's");
            assertEquals(42, one(c, "SELECT answer()"));
            // the instance's module was matched by the catalog's stored hash: the same module the engine compiled from those bytes
            CompiledModule checked = Engines.checked(sha, false);
            assertNotNull(checked);
            assertSame(Engines.compile(abi, false), checked);
            exec(c, "DROP FUNCTION answer");
            assertNull(Engines.checked(sha, false), "no function uses the module any more: forgotten with the engines' copies");
        }
    }

    @Test
    void anUploadThatRollsBackCompilesAndCachesNothing() throws SQLException {
        byte[] fresh = salted(wasm("abi"), System.nanoTime());
        try (Connection c = connect(memUrl())) {
            c.setAutoCommit(false);
            upload(c, "fresh", fresh);
            c.rollback();
            assertNull(Engines.cached(Engine.sha256(fresh), false));
            assertNull(Engines.cached(Engine.sha256(fresh), true));
            assertEquals(0L, ((Number) one(c, "SELECT COUNT(*) FROM wasm.modules")).longValue());
        }
    }

    @Test
    void aClosedDatabaseLeavesNoServiceBehind() throws SQLException {
        String url = "jdbc:wasm:mem:closing" + System.nanoTime();
        int before;
        try (Connection c = connect(url)) {
            upload(c, "abi", wasm("abi"));
            exec(c, "CREATE FUNCTION plus(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'add_i32'");
            assertEquals(3, one(c, "SELECT plus(1, 2)"));
            before = CatalogService.openCount();
        }
        CatalogService.purgeClosed();
        assertEquals(before - 1, CatalogService.openCount(), "the in-memory database closed with its last connection");
    }

    /**
     * A catalog of the first releases: no ids, no argument table, the definition encoded in the
     * alias's class name ({@code W1_…}). Opening it through jdbc:wasm: migrates it.
     */
    @Test
    void aFirstReleaseCatalogIsMigratedWhenOpened() throws SQLException {
        String name = "legacy" + System.nanoTime();
        byte[] abi = wasm("abi");
        String sha = Engine.sha256(abi);
        try (Connection raw = DriverManager.getConnection("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "")) {
            exec(raw, "CREATE SCHEMA wasm");
            exec(raw, "CREATE TABLE wasm.modules (name VARCHAR(256) NOT NULL PRIMARY KEY,"
                    + " sha256 CHAR(64) GENERATED ALWAYS AS (LOWER(RAWTOHEX(HASH('SHA-256', bytes)))), bytes VARBINARY NOT NULL,"
                    + " size INTEGER GENERATED ALWAYS AS (OCTET_LENGTH(bytes)), implicit BOOLEAN DEFAULT FALSE NOT NULL,"
                    + " created TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL)");
            exec(raw, "CREATE TABLE wasm.functions (schema_name VARCHAR(256) NOT NULL, name VARCHAR(256) NOT NULL,"
                    + " arguments VARCHAR(4000) NOT NULL, arg_types VARCHAR(4000) NOT NULL, return_type VARCHAR(64) NOT NULL,"
                    + " module_name VARCHAR(256) NOT NULL, export_name VARCHAR(256) NOT NULL, volatility VARCHAR(9) NOT NULL,"
                    + " is_strict BOOLEAN NOT NULL, bridge VARCHAR(1000) NOT NULL,"
                    + " created TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, PRIMARY KEY (schema_name, name))");
            try (var ps = raw.prepareStatement("INSERT INTO wasm.modules(name, bytes) VALUES ('abi', ?)")) {
                ps.setBytes(1, abi);
                ps.executeUpdate();
            }
            // W1_<fn>_<sha>_<export>_<param codes>_<result code>_<S|N|P>, each field hex of its UTF-8
            String bridge = BridgeNames.PREFIX + "1_" + String.join("_", h("plus"), h(sha), h("add_i32"), h("ii"), h("i"), h("S")) + ".call";
            exec(raw, "CREATE FORCE ALIAS plus FOR '" + bridge + "'");
            exec(raw, "INSERT INTO wasm.functions(schema_name, name, arguments, arg_types, return_type, module_name, export_name,"
                    + " volatility, is_strict, bridge) VALUES ('PUBLIC', 'PLUS', 'a integer, b integer', 'integer, integer', 'integer',"
                    + " 'abi', 'add_i32', 'VOLATILE', TRUE, '" + bridge + "')");
        }
        try (Connection c = connect("jdbc:wasm:mem:" + name)) {
            assertEquals(5, one(c, "SELECT plus(2, 3)"));
            BridgeNames.Parsed p = BridgeNames.parse(BridgeNames.classOfTarget(bridgeOf(c, "PLUS")));
            assertNotNull(p, "the alias now names a bridge by id");
            assertEquals("plus", one(c, "SELECT display_name FROM wasm.functions"));
            assertEquals(sha, one(c, "SELECT module_sha256 FROM wasm.functions"));
            assertEquals(2L, ((Number) one(c, "SELECT COUNT(*) FROM wasm.function_args WHERE function_id = ?", p.functionId())).longValue());
            assertEquals("b", one(c, "SELECT name FROM wasm.function_args WHERE position = 2"));
            exec(c, "DROP FUNCTION plus(integer, integer)");
        }
    }

    /** {@code module} plus a custom section holding {@code salt}: new content, same code. */
    static byte[] salted(byte[] module, long salt) {
        byte[] b = Arrays.copyOf(module, module.length + 11);
        b[module.length] = 0; // custom section
        b[module.length + 1] = 9; // section size: name length, name "x", 7 salt bytes
        b[module.length + 2] = 1;
        b[module.length + 3] = 'x';
        for (int i = 0; i < 7; i++) {
            b[module.length + 4 + i] = (byte) (salt >>> (8 * i));
        }
        return b;
    }

    private static String h(String s) {
        return Hex.encode(s.getBytes(StandardCharsets.UTF_8));
    }
}
