package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * A superuser's wire session is not H2's administrator: its H2 user holds ALTER ANY SCHEMA (every
 * table, every schema) and the privileged steps of wasm DDL run on the catalog service's own
 * connection, so H2 itself refuses the host-reaching statements even to a session that got past
 * the classifier. Only {@code --allow-host-access} makes superuser roles administrators.
 */
class SuperuserSessionTest {

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** The H2 connection a wire session of {@code role} gets, opened directly: what a classifier bypass would reach. */
    private static Connection h2SessionOf(PgTestServer server, String role) throws SQLException {
        String secret;
        try (Connection sa = server.h2()) {
            secret = one(sa, "SELECT h2_secret FROM wasm.roles WHERE name = '" + role + "'");
        }
        Properties p = new Properties();
        p.setProperty("user", RoleStore.h2Name(role));
        p.setProperty("password", secret);
        return io.wasmudf.h2.WasmDriver.load().connect(server.h2Url.replace("jdbc:h2:", io.wasmudf.h2.WasmDriver.PREFIX), p);
    }

    private static final List<String> ADMIN_ONLY = List.of(
            "CREATE ALIAS BYE FOR 'java.lang.System.exit'",
            "CREATE ALIAS RUN AS 'String run(String c) throws Exception { return c; }'",
            "SELECT FILE_READ('/etc/hostname')",
            "CALL FILE_WRITE('x', '/tmp/wasmudf-superuser-test')",
            "SELECT * FROM CSVREAD('/etc/hostname')",
            "SCRIPT TO '/tmp/wasmudf-superuser-test.sql'",
            "BACKUP TO '/tmp/wasmudf-superuser-test.zip'",
            "RUNSCRIPT FROM '/tmp/wasmudf-superuser-test.sql'",
            "CREATE TRIGGER T_BYE BEFORE INSERT ON PUBLIC.NOTES FOR EACH ROW CALL 'java.lang.Object'",
            "SET EXCLUSIVE 1",
            "SET WRITE_DELAY 500",
            "CREATE USER EVE PASSWORD 'x' ADMIN",
            "DROP ALL OBJECTS",
            "CREATE AGGREGATE AG FOR 'java.lang.Object'",
            "CREATE LINKED TABLE LT('org.h2.Driver', 'jdbc:h2:mem:elsewhere', '', '', 'T')",
            "CREATE TABLE PUBLIC.E(a int) ENGINE \"java.lang.Object\"",
            "SET TRACE_LEVEL_FILE 3",
            "CALL CSVWRITE('/tmp/wasmudf-superuser-test.csv', 'SELECT 1')",
            "CALL LINK_SCHEMA('L', '', 'jdbc:h2:mem:elsewhere', '', '', 'PUBLIC')",
            "CALL CANCEL_SESSION(1)",
            "CALL ABORT_SESSION(1)",
            "SET MODE MySQL",
            "SET DATABASE_EVENT_LISTENER 'java.lang.Object'",
            "SET JAVA_OBJECT_SERIALIZER 'java.lang.Object'",
            "SET REFERENTIAL_INTEGRITY FALSE",
            "SHUTDOWN");

    @Test
    void theSuperusersH2SessionIsNotAnAdministratorEvenPastTheClassifier() throws Exception {
        try (PgTestServer server = new PgTestServer(null, true); Connection su = server.connect()) {
            exec(su, "create table notes(id integer primary key, body text)");
            exec(su, "insert into notes values (1, 'kept')");
            exec(su, PgTestServer.createFunction("add_i32(a integer, b integer) RETURNS integer", "math"));
            try (Connection h2 = h2SessionOf(server, "wasmudf")) {
                for (String sql : ADMIN_ONLY) {
                    SQLException e = assertThrows(SQLException.class, () -> exec(h2, sql), sql);
                    assertEquals(org.h2.api.ErrorCode.ADMIN_RIGHTS_REQUIRED, e.getErrorCode(), sql + ": " + e.getMessage());
                }
                assertEquals("kept", one(h2, "SELECT body FROM PUBLIC.NOTES WHERE id = 1"), "and the database is intact");
            }
            assertEquals("kept", one(su, "select body from notes where id = 1"));
            assertEquals("3", one(su, "select add_i32(1, 2)"), "the wasm function's alias is still there");
        }
    }

    @Test
    void theSuperuserStillOwnsEverythingAndSeesEverySession() throws Exception {
        try (PgTestServer server = new PgTestServer(null, true); Connection su = server.connect()) {
            exec(su, "create role alice login");
            exec(su, "create schema alices authorization alice");
            try (Connection alice = server.connectAs("alice", null)) {
                exec(alice, "create table alices.private(x integer)");
                exec(alice, "insert into alices.private values (41)");
                exec(alice, PgTestServer.createFunction("alices.add_i32(a integer, b integer) RETURNS integer", "math"));
                assertEquals("42", one(alice, "select alices.add_i32(x, 1) from alices.private"));
                assertEquals("1", one(alice, "select count(*) from information_schema.sessions"), "a role sees its own session only");
                // every table, every schema: H2's ALTER ANY SCHEMA
                exec(su, "insert into alices.private values (1)");
                exec(su, "create schema scratch");
                exec(su, "create table scratch.t(x integer)");
                exec(su, "create table alices.by_superuser(x integer)");
                assertTrue(Integer.parseInt(one(su, "select count(*) from information_schema.sessions")) >= 2,
                        "a superuser sees every session");
                // wasm DDL on the catalog service's connection: creating anywhere, replacing and dropping another role's function
                exec(su, PgTestServer.createFunction("scratch.add_i32(a integer, b integer) RETURNS integer", "math"));
                assertEquals("5", one(su, "select scratch.add_i32(2, 3)"));
                exec(su, PgTestServer.createFunction("alices.add_i32(a integer, b integer) RETURNS integer", "math")
                        .replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"));
                exec(su, "drop function alices.add_i32(integer, integer)");
                SQLException gone = assertThrows(SQLException.class, () -> one(alice, "select alices.add_i32(1, 1)"));
                assertTrue(gone.getMessage().toLowerCase().contains("add_i32"), gone.getMessage());
            }
        }
    }

    @Test
    void allowHostAccessMakesSuperuserRolesAdministratorsAndOnlyThem() throws Exception {
        try (PgTestServer server = new PgTestServer(null, true, b -> b.allowHostAccess(true)); Connection su = server.connect()) {
            exec(su, "create role alice login");
            try (Connection h2 = h2SessionOf(server, "wasmudf")) {
                assertEquals("TRUE", one(h2, "SELECT IS_ADMIN FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME = 'WASMUDF'").toUpperCase());
            }
            try (Connection h2 = h2SessionOf(server, "alice")) {
                SQLException e = assertThrows(SQLException.class, () -> exec(h2, "SELECT FILE_READ('/etc/hostname')"));
                assertEquals(org.h2.api.ErrorCode.ADMIN_RIGHTS_REQUIRED, e.getErrorCode());
            }
        }
    }

    @Test
    void superuserRolesOfAnEarlierReleaseAreDemotedAtStart() throws Exception {
        String db = "jdbc:h2:mem:demote" + System.nanoTime();
        try (Connection keep = java.sql.DriverManager.getConnection(db + ";MODE=PostgreSQL")) {
            try (PgTestServerOn first = new PgTestServerOn(db, true); Connection su = first.connect()) {
                exec(su, "create role boss superuser login");
                assertEquals("TRUE", one(keep, "SELECT IS_ADMIN FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME = 'BOSS'").toUpperCase());
            }
            try (PgTestServerOn second = new PgTestServerOn(db, false)) {
                assertEquals("FALSE", one(keep, "SELECT IS_ADMIN FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME = 'BOSS'").toUpperCase(),
                        "a server without --allow-host-access makes no superuser an administrator");
                assertEquals("FALSE", one(keep, "SELECT IS_ADMIN FROM INFORMATION_SCHEMA.USERS WHERE USER_NAME = 'WASMUDF'").toUpperCase());
            }
        }
    }

    /** A server with roles over an existing in-memory database, with or without --allow-host-access. */
    private static final class PgTestServerOn implements AutoCloseable {
        final PgServer server;

        PgTestServerOn(String h2Url, boolean hostAccess) throws Exception {
            String wasmUrl = h2Url.replace("jdbc:h2:", io.wasmudf.h2.WasmDriver.PREFIX) + ";MODE=PostgreSQL";
            server = PgServer.builder().connectionFactory(() -> io.wasmudf.h2.WasmDriver.load().connect(wasmUrl, new Properties()))
                    .userConnectionFactory((user, pw) -> {
                        Properties p = new Properties();
                        p.setProperty("user", user);
                        p.setProperty("password", pw);
                        return io.wasmudf.h2.WasmDriver.load().connect(wasmUrl, p);
                    })
                    .port(0).allowHostAccess(hostAccess).build().start();
        }

        Connection connect() throws SQLException {
            Properties p = new Properties();
            p.setProperty("user", "wasmudf");
            return java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.port() + "/wasmudf", p);
        }

        @Override
        public void close() {
            server.stop();
        }
    }
}
