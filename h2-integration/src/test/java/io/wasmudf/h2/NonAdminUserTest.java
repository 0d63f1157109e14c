package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.connect;
import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.fails;
import static io.wasmudf.h2.TestSupport.hex;
import static io.wasmudf.h2.TestSupport.memUrl;
import static io.wasmudf.h2.TestSupport.one;
import static io.wasmudf.h2.TestSupport.upload;
import static io.wasmudf.h2.TestSupport.wasm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.Engine;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Function DDL works for H2 users who are not administrators: the privileged steps (the alias,
 * the catalog rows) run on the database's own system session, the user is recorded as the owner,
 * and the user still cannot create a Java alias of their own. Nothing at first call runs SQL on
 * the caller's connection.
 */
class NonAdminUserTest {

    private static Connection as(String url, String user) throws SQLException {
        return DriverManager.getConnection(TestSupport.withoutSettings(url), user, "pw");
    }

    private static void setUp(Connection admin) throws SQLException {
        exec(admin, "CREATE USER alice PASSWORD 'pw'");
        exec(admin, "CREATE USER bob PASSWORD 'pw'");
        exec(admin, "CREATE SCHEMA app AUTHORIZATION alice");
        exec(admin, "GRANT SELECT, INSERT ON wasm.modules TO alice");
    }

    @Test
    void aNonAdminUserCreatesCallsAndDropsWasmFunctionsButNoJavaAlias() throws SQLException {
        String url = memUrl();
        try (Connection admin = connect(url)) {
            setUp(admin);
            try (Connection alice = as(url, "alice")) {
                upload(alice, "abi", wasm("abi"));
                exec(alice, "CREATE FUNCTION app.plus(a integer, b integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'add_i32'");
                exec(alice, "CREATE FUNCTION app.answer() RETURNS integer LANGUAGE wasm STRICT AS X'" + hex(wasm("abi")) + "'");
                assertEquals(5, one(alice, "SELECT app.plus(2, 3)"));
                assertEquals(42, one(alice, "SELECT app.answer()"), "an inline module: the system session stored it");
                assertEquals("ALICE", one(alice, "SELECT DISTINCT owner FROM wasm.functions"));
                SQLException e = fails("42501", () -> exec(alice,
                        "CREATE FUNCTION public.plus2(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'add_i32'"));
                assertTrue(e.getMessage().contains("permission denied for schema PUBLIC"), e.getMessage());
                SQLException alias = assertThrowsSql(() -> exec(alice, "CREATE ALIAS app.leave FOR 'java.lang.System.exit'"));
                assertEquals(90040, alias.getErrorCode(), "H2: admin rights are required: " + alias.getMessage());
                assertEquals(0L, ((Number) one(admin, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.ROUTINES WHERE ROUTINE_NAME = 'LEAVE'")).longValue());
                exec(alice, "CREATE OR REPLACE FUNCTION app.plus(a integer, b integer) RETURNS integer LANGUAGE wasm IMMUTABLE STRICT"
                        + " AS 'abi', 'add_i32'");
                assertEquals(7, one(alice, "SELECT app.plus(3, 4)"));
            }
            try (Connection bob = as(url, "bob")) {
                assertEquals(9, one(bob, "SELECT app.plus(4, 5)"), "PUBLIC may execute, as in PostgreSQL");
                SQLException e = fails("42501", () -> exec(bob, "DROP FUNCTION app.plus"));
                assertEquals("must be owner of function app.plus", e.getMessage());
                fails("42501", () -> exec(bob, "CREATE OR REPLACE FUNCTION app.plus(integer, integer) RETURNS integer LANGUAGE wasm STRICT"
                        + " AS 'abi', 'add_i32'"));
            }
            try (Connection alice = as(url, "alice")) {
                exec(alice, "DROP FUNCTION app.answer, app.plus");
                assertEquals(0L, ((Number) one(alice, "SELECT COUNT(*) FROM wasm.functions")).longValue());
            }
        }
    }

    @Test
    void theFirstCallRunsNoSqlOnTheCallersConnection() throws SQLException {
        String url = memUrl();
        try (Connection admin = connect(url)) {
            setUp(admin);
            try (Connection alice = as(url, "alice")) {
                upload(alice, "abi", wasm("abi"));
                exec(alice, "CREATE FUNCTION app.plus(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'add_i32'");
            }
            // bob may not read the module bytes, and the compiled module is gone: the first call must
            // fetch the bytes itself (over the database's system session), not with bob's rights
            exec(admin, "REVOKE SELECT ON wasm.modules FROM PUBLIC");
            Engines.evict(Engine.sha256(wasm("abi")));
            try (Connection bob = as(url, "bob")) {
                assertThrowsSql(() -> one(bob, "SELECT COUNT(*) FROM wasm.modules"));
                assertEquals(11, one(bob, "SELECT app.plus(5, 6)"));
            }
        }
    }

    @Test
    void dropOfSeveralFunctionsIsAllOrNothing() throws SQLException {
        String url = memUrl();
        try (Connection admin = connect(url)) {
            setUp(admin);
            // a schema of bob's own: ALTER ANY SCHEMA would make him a superuser, who may drop anyone's function
            exec(admin, "CREATE SCHEMA bobs AUTHORIZATION bob");
            upload(admin, "abi", wasm("abi"));
            try (Connection alice = as(url, "alice")) {
                exec(alice, "CREATE FUNCTION app.a() RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'answer'");
            }
            try (Connection bob = as(url, "bob")) {
                exec(bob, "CREATE FUNCTION bobs.b() RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'answer'");
                fails("42501", () -> exec(bob, "DROP FUNCTION bobs.b, app.a"));
                assertEquals(42, one(bob, "SELECT bobs.b()"), "b is still there: the statement failed as a whole");
                assertEquals(2L, ((Number) one(bob, "SELECT COUNT(*) FROM wasm.functions")).longValue());
            }
        }
    }

    @Test
    void executePrivilegesWorkThroughTheDriverWithH2Users() throws SQLException {
        String url = memUrl();
        try (Connection admin = connect(url)) {
            setUp(admin);
            upload(admin, "abi", wasm("abi"));
            try (Connection alice = as(url, "alice"); Connection bob = as(url, "bob")) {
                exec(alice, "CREATE FUNCTION app.plus(a integer, b integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'add_i32'");
                assertEquals(5, one(bob, "SELECT app.plus(2, 3)"), "PUBLIC may execute by default");
                fails("42501", () -> exec(bob, "REVOKE EXECUTE ON FUNCTION app.plus FROM PUBLIC"));
                exec(alice, "REVOKE EXECUTE ON FUNCTION app.plus(integer, integer) FROM PUBLIC");
                SQLException e = fails("42501", () -> one(bob, "SELECT app.plus(2, 3)"));
                assertTrue(e.getMessage().contains("permission denied for function plus"), e.getMessage());
                assertEquals(5, one(alice, "SELECT app.plus(2, 3)"), "the owner");
                assertEquals(5, one(admin, "SELECT app.plus(2, 3)"), "an administrator");
                exec(alice, "GRANT EXECUTE ON FUNCTION app.plus TO bob");
                assertEquals(5, one(bob, "SELECT app.plus(2, 3)"));
                assertEquals("ALICE,BOB", one(admin, "SELECT acl FROM wasm.functions WHERE name = 'PLUS'"));
                fails("42704", () -> exec(alice, "GRANT EXECUTE ON FUNCTION app.plus TO nobody"));
                exec(admin, "REVOKE USAGE ON LANGUAGE wasm FROM PUBLIC");
                fails("42501", () -> exec(alice, "CREATE FUNCTION app.other() RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'answer'"));
                exec(admin, "GRANT USAGE ON LANGUAGE wasm TO alice");
                exec(alice, "CREATE FUNCTION app.other() RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'answer'");
            }
        }
    }

    private static SQLException assertThrowsSql(org.junit.jupiter.api.function.Executable action) {
        return org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, action);
    }
}
