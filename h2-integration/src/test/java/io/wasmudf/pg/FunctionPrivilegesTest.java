package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL's function privileges over the wire: function owners, GRANT/REVOKE EXECUTE enforced
 * on every call path, USAGE ON LANGUAGE wasm, has_function_privilege and \df+; the refusals
 * compared with a real PostgreSQL 15.
 */
class FunctionPrivilegesTest {
    private static PgTestServer server;
    private static Connection admin;

    @BeforeAll
    static void start() throws Exception {
        server = new PgTestServer(null, true);
        admin = server.connect();
        exec(admin, "create role alice login");
        exec(admin, "create role bob login");
        exec(admin, "create schema alices authorization alice");
        try (PreparedStatement ps = admin.prepareStatement("insert into wasm.modules(name, bytes) values ('math', ?)")) {
            ps.setBytes(1, PgTestServer.module("math"));
            ps.executeUpdate();
        }
    }

    /** CREATE FUNCTION {@code name}(a integer, b integer) over the math module's add_i32. */
    private static String create(String name) {
        return "CREATE FUNCTION " + name + "(a integer, b integer) RETURNS integer LANGUAGE wasm IMMUTABLE STRICT AS 'math', 'add_i32'";
    }

    @AfterAll
    static void stop() throws Exception {
        admin.close();
        server.close();
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }

    private static SQLException fails(Connection c, String sql) {
        return assertThrows(SQLException.class, () -> exec(c, sql), sql);
    }

    private static SQLException denied(Connection c, String sql, String function) {
        SQLException e = fails(c, sql);
        assertEquals("42501", e.getSQLState(), sql + ": " + e.getMessage());
        assertTrue(e.getMessage().contains("permission denied for function " + function), e.getMessage());
        return e;
    }

    @Test
    void revokedExecuteIsEnforcedOnEveryCallPath() throws Exception {
        exec(admin, create("guarded"));
        exec(admin, "create table nums(x integer)");
        exec(admin, "insert into nums values (1), (2)");
        exec(admin, "create view guarded_view as select guarded(x, 10) as y from nums");
        exec(admin, "grant select on nums, guarded_view to alice, bob");
        try (Connection alice = server.connectAs("alice", null); Connection bob = server.connectAs("bob", null)) {
            // PUBLIC has EXECUTE by default, as PostgreSQL grants it
            assertEquals("3", one(alice, "select guarded(1, 2)"));
            PreparedStatement early = alice.prepareStatement("select guarded(?, ?)");
            exec(admin, "revoke execute on function guarded(integer, integer) from public");
            denied(alice, "select guarded(1, 2)", "guarded");
            denied(alice, "select x from nums where guarded(x, 1) > 2", "guarded");
            denied(alice, "select y from guarded_view", "guarded");
            early.setInt(1, 1);
            early.setInt(2, 2);
            SQLException e = assertThrows(SQLException.class, early::executeQuery, "a statement prepared before the REVOKE");
            assertEquals("42501", e.getSQLState());
            try (PreparedStatement ps = alice.prepareStatement("select guarded(?, ?)")) {
                ps.setInt(1, 1);
                ps.setInt(2, 2);
                assertEquals("42501", assertThrows(SQLException.class, ps::executeQuery).getSQLState());
            }
            assertEquals("f", one(admin, "select has_function_privilege('alice', 'guarded(integer, integer)', 'EXECUTE')"));
            assertEquals("t", one(admin, "select has_function_privilege('guarded(integer, integer)', 'EXECUTE')"), "the superuser");
            assertEquals("11", one(admin, "select min(y) from guarded_view"), "superusers hold every privilege");

            exec(admin, "grant execute on function guarded(integer, integer) to alice");
            assertEquals("3", one(alice, "select guarded(1, 2)"));
            assertEquals("12", one(alice, "select max(y) from guarded_view"));
            early.setInt(1, 5);
            try (ResultSet rs = early.executeQuery()) {
                assertTrue(rs.next());
                assertEquals(7, rs.getInt(1));
            }
            assertEquals("t", one(alice, "select has_function_privilege('guarded(integer, integer)', 'EXECUTE')"));
            denied(bob, "select guarded(1, 2)", "guarded");
            assertEquals("f", one(bob, "select has_function_privilege('guarded(integer, integer)', 'EXECUTE')"));

            exec(admin, "revoke all on function guarded from alice");
            denied(alice, "select guarded(1, 2)", "guarded");
            early.close();
            assertEquals("42704", fails(admin, "grant execute on function guarded(integer, integer) to nobody").getSQLState());
            assertEquals("42883", fails(admin, "grant execute on function no_such(integer) to alice").getSQLState());
        } finally {
            exec(admin, "drop view guarded_view");
            exec(admin, "drop function guarded");
            exec(admin, "drop table nums");
        }
    }

    @Test
    void onlyTheOwnerOrASuperuserGrantsReplacesOrDrops() throws Exception {
        try (Connection alice = server.connectAs("alice", null); Connection bob = server.connectAs("bob", null)) {
            exec(alice, create("alices.add_i32"));
            assertEquals("3", one(bob, "select alices.add_i32(1, 2)"));
            assertEquals("42501", fails(bob, "revoke execute on function alices.add_i32 from public").getSQLState());
            assertEquals("42501", fails(bob, "drop function alices.add_i32").getSQLState());
            assertTrue(fails(bob, "drop function alices.add_i32").getMessage().contains("must be owner of function"));
            exec(alice, "revoke execute on function alices.add_i32(integer, integer) from public");
            denied(bob, "select alices.add_i32(1, 2)", "add_i32");
            assertEquals("3", one(alice, "select alices.add_i32(1, 2)"), "the owner keeps EXECUTE");
            // CREATE OR REPLACE keeps the owner and the privileges, as in PostgreSQL
            exec(admin, create("alices.add_i32").replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"));
            denied(bob, "select alices.add_i32(1, 2)", "add_i32");
            exec(alice, "grant execute on function alices.add_i32 to bob");
            assertEquals("3", one(bob, "select alices.add_i32(1, 2)"));
            io.wasmudf.h2.Required.resource(PsqlRunner.psql() != null, "psql is not installed (Debian package postgresql-client)");
            String acl = PsqlRunner.run("127.0.0.1", server.server.port(), "wasmudf", "wasmudf", null, "\\df+ alices.add_i32\n");
            assertTrue(acl.contains("alice=X/alice") && acl.contains("bob=X/alice") && acl.contains("|alice|invoker|"), acl);
        } finally {
            exec(admin, "drop function if exists alices.add_i32");
        }
    }

    @Test
    void usageOnLanguageWasmIsPublicsUntilRevoked() throws Exception {
        String create = create("alices.add_i32");
        try (Connection alice = server.connectAs("alice", null)) {
            assertEquals("t", one(alice, "select has_language_privilege('wasm', 'USAGE')"));
            exec(admin, "revoke usage on language wasm from public");
            try {
                assertEquals("f", one(alice, "select has_language_privilege('wasm', 'USAGE')"));
                SQLException e = fails(alice, create);
                assertEquals("42501", e.getSQLState());
                assertTrue(e.getMessage().contains("permission denied for language wasm"), e.getMessage());
                assertEquals("42501", fails(alice, "grant usage on language wasm to alice").getSQLState());
                exec(admin, "grant usage on language wasm to alice");
                exec(alice, create);
                exec(alice, "drop function alices.add_i32");
            } finally {
                exec(admin, "grant usage on language wasm to public");
            }
            exec(alice, create);
            exec(alice, "drop function alices.add_i32");
        }
    }

    @Test
    void modulesHaveOwnersAndOnlyTheyOrASuperuserChangeOrDeleteThem() throws Exception {
        exec(admin, "grant select, insert, update, delete on wasm.modules to alice, bob");
        byte[] math = PgTestServer.module("math");
        try (Connection alice = server.connectAs("alice", null); Connection bob = server.connectAs("bob", null)) {
            try (PreparedStatement ps = alice.prepareStatement("insert into wasm.modules(name, bytes) values ('alices_math', ?)")) {
                ps.setBytes(1, math);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = bob.prepareStatement("insert into wasm.modules(name, bytes, owner) values ('bobs_math', ?, 'ALICE')")) {
                ps.setBytes(1, math);
                ps.executeUpdate();
            }
            assertEquals("ALICE", one(admin, "select owner from wasm.modules where name = 'alices_math'"));
            assertEquals("BOB", one(admin, "select owner from wasm.modules where name = 'bobs_math'"), "the owner cannot be forged");
            SQLException e = fails(bob, "delete from wasm.modules where name = 'alices_math'");
            assertEquals("42501", e.getSQLState());
            assertTrue(e.getMessage().contains("must be owner of module \"alices_math\""), e.getMessage());
            assertEquals("42501", fails(bob, "update wasm.modules set name = 'stolen' where name = 'alices_math'").getSQLState());
            assertEquals("42501", fails(alice, "update wasm.modules set owner = 'ALICE' where name = 'bobs_math'").getSQLState());
            exec(alice, "update wasm.modules set name = 'alices_math2' where name = 'alices_math'");
            assertEquals("ALICE", one(admin, "select owner from wasm.modules where name = 'alices_math2'"));
            exec(alice, "delete from wasm.modules where name = 'alices_math2'");
            exec(admin, "delete from wasm.modules where name = 'bobs_math'");
            assertEquals("0", one(admin, "select count(*) from wasm.modules where name in ('alices_math2', 'bobs_math')"));
        } finally {
            exec(admin, "revoke select, insert, update, delete on wasm.modules from alice, bob");
        }
    }

    @Test
    void aRoleThatOwnsOrHoldsSomethingCannotBeDropped() throws Exception {
        exec(admin, "create role carol login");
        exec(admin, "create schema carols authorization carol");
        try (Connection carol = server.connectAs("carol", null)) {
            exec(carol, create("carols.f"));
        }
        exec(admin, create("g"));
        exec(admin, "grant execute on function g to carol");
        SQLException e = fails(admin, "drop role carol");
        assertEquals("2BP01", e.getSQLState());
        assertTrue(e.getMessage().contains("role \"carol\" cannot be dropped because some objects depend on it")
                && e.getMessage().contains("owner of function carols.f(integer, integer)")
                && e.getMessage().contains("privileges for function public.g(integer, integer)"), e.getMessage());
        exec(admin, "drop function carols.f");
        exec(admin, "revoke execute on function g from carol");
        exec(admin, "drop function g");
        exec(admin, "drop schema carols");
        exec(admin, "drop role carol");
    }

    @Test
    void alterFunctionOwnerToPassesOwnershipAndTheOwnersPrivilege() throws Exception {
        exec(admin, create("handed"));
        try (Connection alice = server.connectAs("alice", null); Connection bob = server.connectAs("bob", null)) {
            exec(admin, "revoke execute on function handed from public");
            assertEquals("42501", fails(bob, "alter function handed owner to bob").getSQLState());
            exec(admin, "alter function handed(integer, integer) owner to alice");
            assertEquals("3", one(alice, "select handed(1, 2)"), "the old owner's EXECUTE passed to the new owner");
            assertEquals("ALICE", one(admin, "select owner from wasm.functions where name = 'HANDED'"));
            assertEquals("ALICE", one(admin, "select acl from wasm.functions where name = 'HANDED'"));
            assertEquals("42501", fails(alice, "alter function handed owner to bob").getSQLState(), "roles have no members here");
            exec(alice, "grant execute on function handed to bob");
            assertEquals("3", one(bob, "select handed(1, 2)"));
            assertEquals("2BP01", fails(admin, "drop role alice").getSQLState());
            assertEquals("42501", fails(bob, "alter function handed rename to other").getSQLState(), "only the owner renames");
            assertEquals("42501", fails(bob, "alter function handed reset all").getSQLState(), "only the owner alters");
            exec(alice, "alter function handed stable set wasm.fuel = 1000000");
            exec(admin, "alter function handed reset all");
            assertEquals("STABLE", one(admin, "select volatility from wasm.functions where name = 'HANDED'"));
            assertEquals(null, one(admin, "select fuel from wasm.functions where name = 'HANDED'"));
            assertEquals("ALICE,BOB", one(admin, "select acl from wasm.functions where name = 'HANDED'"), "ALTER keeps the access list");
            assertEquals("3", one(bob, "select handed(1, 2)"));
            exec(alice, "drop function handed");
        } finally {
            exec(admin, "drop function if exists handed");
        }
    }

    /** The refusal of a call without EXECUTE, and of a REVOKE by a non-owner, as PostgreSQL 15 words them. */
    @Test
    void refusalsMatchPostgres() throws Exception {
        RealPostgres.Target pg = RealPostgres.find();
        String suffix = "_" + ProcessHandle.current().pid();
        String schema = "fp" + suffix;
        String role = "fp_alice" + suffix;
        String expectedCall;
        String expectedState;
        try (Connection c = DriverManager.getConnection(pg.url(), pg.props())) {
            try {
                exec(c, "create schema " + schema);
                exec(c, "create role " + role);
                exec(c, "grant usage on schema " + schema + " to " + role);
                exec(c, "create function " + schema + ".add_i32(a integer, b integer) returns integer language sql immutable as 'select a + b'");
                exec(c, "revoke execute on function " + schema + ".add_i32(integer, integer) from public");
                exec(c, "set role " + role);
                SQLException e = fails(c, "select " + schema + ".add_i32(1, 2)");
                expectedCall = e.getMessage();
                expectedState = e.getSQLState();
                exec(c, "reset role");
            } finally {
                exec(c, "reset role");
                exec(c, "drop schema if exists " + schema + " cascade");
                exec(c, "drop role if exists " + role);
            }
        } catch (SQLException e) {
            io.wasmudf.h2.Required.resource(false, "FunctionPrivilegesTest: no PostgreSQL to compare with: " + e.getMessage());
            return;
        }
        exec(admin, create("alices.add_i32"));
        try (Connection bob = server.connectAs("bob", null)) {
            exec(admin, "revoke execute on function alices.add_i32(integer, integer) from public");
            SQLException e = fails(bob, "select alices.add_i32(1, 2)");
            assertEquals(expectedState, e.getSQLState());
            assertEquals(expectedCall, e.getMessage());
        } finally {
            exec(admin, "drop function alices.add_i32");
        }
    }
}
