package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Roles and table privileges over pgJDBC, on a password-protected server (SCRAM-SHA-256 for every role). */
class RolesTest {
    private static final String ADMIN_PW = "bootstrap-pw";
    private static PgTestServer server;
    private static Connection admin;

    @BeforeAll
    static void start() throws Exception {
        server = new PgTestServer(ADMIN_PW, true);
        admin = server.connectAs("wasmudf", ADMIN_PW);
        try (Statement st = admin.createStatement()) {
            st.execute("create table accounts(id integer primary key, owner text)");
            st.execute("insert into accounts values (1, 'x'), (2, 'y')");
            st.execute("create role alice login password 'alice-pw'");
            st.execute("create user bob password 'bob-pw'"); // CREATE USER: LOGIN by default
            st.execute("create role nologin_role password 'n-pw'"); // CREATE ROLE: NOLOGIN by default
            st.execute("create role manager login createrole password 'm-pw'");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        admin.close();
        server.close();
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }

    private static SQLException fails(Connection c, String sql) {
        return assertThrows(SQLException.class, () -> {
            try (Statement st = c.createStatement()) {
                st.execute(sql);
            }
        }, sql);
    }

    @Test
    void passwordsAreStoredAsScramVerifiersOnly() throws Exception {
        String verifier = one(admin, "select verifier from wasm.roles where name = 'alice'");
        assertTrue(verifier.matches("SCRAM-SHA-256\\$4096:[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+"), verifier);
        assertEquals("0", one(admin, "select count(*) from wasm.roles where verifier like '%alice-pw%' or h2_secret like '%alice-pw%'"));
        // a verifier given as the password is stored as it is (PostgreSQL accepts pre-hashed passwords too)
        try (Statement st = admin.createStatement()) {
            st.execute("create role carol login password '" + verifier + "'");
        }
        try (Connection carol = server.connectAs("carol", "alice-pw")) {
            assertEquals("carol", one(carol, "select current_user"));
        }
        try (Statement st = admin.createStatement()) {
            st.execute("drop role carol");
        }
    }

    @Test
    void loginChecksPasswordLoginAttributeAndRoleExistence() throws Exception {
        try (Connection c = server.connectAs("alice", "alice-pw")) {
            assertEquals("alice", one(c, "select current_user"));
            assertEquals("off", one(c, "show is_superuser"));
        }
        assertEquals("on", one(admin, "show is_superuser"));
        assertEquals("28P01", assertThrows(SQLException.class, () -> server.connectAs("alice", "wrong")).getSQLState());
        assertEquals("28P01", assertThrows(SQLException.class, () -> server.connectAs("nobody", "x")).getSQLState());
        SQLException nologin = assertThrows(SQLException.class, () -> server.connectAs("nologin_role", "n-pw"));
        assertEquals("28000", nologin.getSQLState());
        assertTrue(nologin.getMessage().contains("is not permitted to log in"), nologin.getMessage());
    }

    @Test
    void tablePrivilegesAreGrantedAndRevokedAsInPostgres() throws Exception {
        try (Connection alice = server.connectAs("alice", "alice-pw")) {
            SQLException denied = fails(alice, "select count(*) from accounts");
            assertEquals("42501", denied.getSQLState());
            assertTrue(denied.getMessage().contains("permission denied for table accounts"), denied.getMessage());
            try (Statement st = admin.createStatement()) {
                st.execute("grant select on table accounts to alice");
            }
            assertEquals("2", one(alice, "select count(*) from accounts"));
            assertEquals("42501", fails(alice, "insert into accounts values (3, 'z')").getSQLState());
            try (Statement st = admin.createStatement()) {
                st.execute("revoke select on accounts from alice");
                st.execute("grant select, insert on accounts to public");
            }
            assertEquals("2", one(alice, "select count(*) from accounts"));
            try (Statement st = alice.createStatement()) {
                st.execute("insert into accounts values (3, 'z')");
            }
            try (Statement st = admin.createStatement()) {
                st.execute("revoke all on accounts from public");
                st.execute("delete from accounts where id = 3");
            }
            assertEquals("42501", fails(alice, "select count(*) from accounts").getSQLState());
            // an ordinary role cannot grant on what it does not own
            assertEquals("42501", fails(alice, "grant select on accounts to alice").getSQLState());
        }
    }

    @Test
    void ordinaryRolesCreateInSchemasTheyOwnOnlyAsInPostgres15() throws Exception {
        try (Statement st = admin.createStatement()) {
            st.execute("create schema bob_work authorization bob");
        }
        try (Connection bob = server.connectAs("bob", "bob-pw"); Connection alice = server.connectAs("alice", "alice-pw")) {
            assertEquals("42501", fails(bob, "create table public.mine(x integer)").getSQLState());
            try (Statement st = bob.createStatement()) {
                st.execute("create table bob_work.notes(x integer)");
                st.execute("insert into bob_work.notes values (7)");
                st.execute("grant select on bob_work.notes to alice");
            }
            assertEquals("7", one(alice, "select x from bob_work.notes"));
            assertEquals("42501", fails(alice, "delete from bob_work.notes").getSQLState());
        }
    }

    @Test
    void roleManagementFollowsCreateroleAndSuperuserRules() throws Exception {
        try (Connection alice = server.connectAs("alice", "alice-pw"); Connection manager = server.connectAs("manager", "m-pw")) {
            assertEquals("42501", fails(alice, "create role eve login").getSQLState());
            assertEquals("42501", fails(manager, "create role eve2 superuser").getSQLState());
            try (Statement st = manager.createStatement()) {
                st.execute("create role helper login password 'h-pw'");
                st.execute("alter role helper connection limit 1");
            }
            assertEquals("42501", fails(manager, "alter role wasmudf nologin").getSQLState());
            assertEquals("42501", fails(manager, "drop role wasmudf").getSQLState());
            // a role changes its own password without CREATEROLE
            try (Statement st = alice.createStatement()) {
                st.execute("alter role alice password 'alice-pw2'");
            }
            try (Connection again = server.connectAs("alice", "alice-pw2")) {
                assertEquals("alice", one(again, "select current_user"));
            }
            try (Statement st = alice.createStatement()) {
                st.execute("alter role alice password 'alice-pw'");
            }
            assertEquals("42501", fails(alice, "alter role alice superuser").getSQLState());
            try (Connection h = server.connectAs("helper", "h-pw")) {
                SQLException limit = assertThrows(SQLException.class, () -> server.connectAs("helper", "h-pw"));
                assertEquals("53300", limit.getSQLState());
                assertTrue(limit.getMessage().contains("too many connections for role \"helper\""), limit.getMessage());
            }
            try (Statement st = manager.createStatement()) {
                st.execute("drop role helper");
            }
        }
        assertEquals("55006", fails(admin, "drop role wasmudf").getSQLState());
        assertEquals("42710", fails(admin, "create role alice").getSQLState());
        // an H2 user of the embedding application is not a role and cannot become one by name
        try (Connection h2 = server.h2(); Statement st = h2.createStatement()) {
            st.execute("create user if not exists embedded_app password 'x' admin");
        }
        assertEquals("42710", fails(admin, "create role embedded_app").getSQLState());
        assertEquals("28P01", assertThrows(SQLException.class, () -> server.connectAs("embedded_app", "x")).getSQLState());
        assertEquals("42704", fails(admin, "drop role no_such_role").getSQLState());
        try (Statement st = admin.createStatement()) {
            st.execute("drop role if exists no_such_role");
        }
    }

    /** \\dp and \\du print what PostgreSQL 15 prints for the same grants (owner names aside). */
    @Test
    void psqlShowsPrivilegesAndRolesAsPostgresDoes() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(PsqlRunner.psql() != null, "psql is not installed");
        RealPostgres.Target pg = RealPostgres.find();
        String suffix = "_" + ProcessHandle.current().pid();
        String role = "dp_reader" + suffix;
        String table = "dp_table" + suffix;
        String setup = "create table " + table + "(id integer);\ncreate role " + role + " login;\ngrant select on " + table + " to " + role
                + ";\ngrant select, insert on " + table + " to public;\n";
        String show = "\\dp " + table + "\n\\du " + role + "\n";
        String cleanup = "drop table " + table + ";\ndrop role " + role + ";\n";
        String host = System.getenv().getOrDefault("PGHOST", "127.0.0.1");
        int port = Integer.parseInt(System.getenv().getOrDefault("PGPORT", "5432"));
        String db = System.getenv().getOrDefault("PGDATABASE", "test");
        String pgUser = pg.props().getProperty("user");
        String expected;
        try {
            expected = PsqlRunner.run(host, port, pgUser, db, System.getenv("PGPASSWORD"), setup + show);
        } finally {
            PsqlRunner.run(host, port, pgUser, db, System.getenv("PGPASSWORD"), cleanup);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(expected.contains("CREATE ROLE"), "no PostgreSQL to compare with: " + expected);
        String actual = PsqlRunner.run("127.0.0.1", server.server.port(), "wasmudf", "wasmudf", ADMIN_PW, setup + show + cleanup);
        assertEquals(expected.replace(pgUser + "=", "OWNER=").replace("/" + pgUser, "/OWNER") + "DROP TABLE\nDROP ROLE\n",
                actual.replace("wasmudf=", "OWNER=").replace("/wasmudf", "/OWNER"));
    }

    @Test
    void privilegeFunctionsAnswerFromTheRolesAndH2Rights() throws Exception {
        try (Statement st = admin.createStatement()) {
            st.execute(PgTestServer.createFunction("add_i32(a integer, b integer) RETURNS integer", "math"));
            st.execute("create table audit(x integer)");
        }
        try (Connection alice = server.connectAs("alice", "alice-pw")) {
            assertEquals("f", one(alice, "select has_table_privilege('audit', 'SELECT')"));
            assertEquals("f", one(admin, "select has_table_privilege('alice', 'audit', 'select')"));
            assertEquals("t", one(admin, "select has_table_privilege('audit', 'INSERT')"));
            try (Statement st = admin.createStatement()) {
                st.execute("grant select on audit to alice");
            }
            assertEquals("t", one(alice, "select has_table_privilege('audit', 'SELECT')"));
            assertEquals("f", one(alice, "select has_table_privilege('alice', 'audit', 'INSERT, UPDATE')"));
            assertEquals("t", one(alice, "select has_table_privilege('alice', 'public.audit', 'INSERT, SELECT')"));
            assertEquals("t", one(alice, "select has_function_privilege('add_i32(integer, integer)', 'EXECUTE')"));
            assertEquals("t", one(alice, "select has_language_privilege('wasm', 'USAGE')"));
            assertEquals("t", one(alice, "select has_schema_privilege('public', 'USAGE')"));
            assertEquals("f", one(alice, "select has_schema_privilege('public', 'CREATE')"));
            assertEquals("f", one(alice, "select has_database_privilege('wasmudf', 'CREATE')"));
            assertEquals("t", one(alice, "select has_database_privilege('wasmudf', 'CONNECT')"));
            assertEquals("42P01", fails(alice, "select has_table_privilege('no_such_table', 'SELECT')").getSQLState());
            assertEquals("42704", fails(alice, "select has_table_privilege('nobody', 'audit', 'SELECT')").getSQLState());
            assertEquals("42883", fails(alice, "select has_function_privilege('no_such_fn()', 'EXECUTE')").getSQLState());
            // H2's own has_table_privilege says true to anything: inside a larger statement it is refused
            assertEquals("0A000", fails(alice, "select x, has_table_privilege('audit', 'DELETE') from audit").getSQLState());
            // EXECUTE and USAGE ON LANGUAGE wasm are PUBLIC's by default (FunctionPrivilegesTest revokes and enforces them)
            try (Statement st = admin.createStatement()) {
                st.execute("grant execute on function add_i32(integer, integer) to alice");
                st.execute("grant usage on language wasm to alice");
                st.execute("grant usage on schema public to alice");
            }
            assertEquals("t", one(alice, "select has_function_privilege('add_i32(integer, integer)', 'EXECUTE')"));
            assertEquals("t", one(alice, "select has_language_privilege('wasm', 'USAGE')"));
            assertEquals("0A000", fails(admin, "grant create on schema public to alice").getSQLState());
            assertEquals("0A000", fails(admin, "grant usage on sequence s to alice").getSQLState());
            assertEquals("0A000", fails(admin, "grant alice to bob").getSQLState());
            assertEquals("42883", fails(admin, "grant execute on function nope(integer) to alice").getSQLState());
            try (Statement st = admin.createStatement()) {
                st.execute("drop table audit");
                st.execute("drop function add_i32(integer, integer)");
            }
        }
    }

    @Test
    void currentUserIsTheRolesNameInsideLargerStatementsToo() throws Exception {
        try (Connection alice = server.connectAs("alice", "alice-pw")) {
            // H2 would answer its upper-cased user name (ALICE) here; PostgreSQL answers the role's name
            try (Statement st = alice.createStatement();
                    ResultSet rs = st.executeQuery("select current_user, session_user, current_role, 'current_user' as lit,"
                            + " \"current_user\" from (select 1 as \"current_user\") t where current_user = 'alice'")) {
                assertTrue(rs.next());
                assertEquals("alice", rs.getString(1));
                assertEquals("alice", rs.getString(2));
                assertEquals("alice", rs.getString(3));
                assertEquals("current_user", rs.getString(4), "a literal is left alone");
                assertEquals("1", rs.getString(5), "so is a quoted name");
            }
            try (java.sql.PreparedStatement ps = alice.prepareStatement("select upper(current_user) || ?")) {
                ps.setString(1, "!");
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals("ALICE!", rs.getString(1));
                }
            }
        }
    }

    @Test
    void setRoleIsRefusedNotFaked() throws Exception {
        try (Connection alice = server.connectAs("alice", "alice-pw"); Statement st = alice.createStatement()) {
            assertEquals("0A000", fails(alice, "set role bob").getSQLState());
            assertEquals("0A000", fails(alice, "set session authorization bob").getSQLState());
            assertEquals("0A000", fails(alice, "set role = 'wasmudf'").getSQLState());
            st.execute("set role none");
            st.execute("reset role");
            st.execute("set session authorization default");
            assertEquals("alice", one(alice, "select current_user"));
            assertEquals("alice", one(alice, "select session_user"));
        }
    }

    @Test
    void sessionsOfOthersAndTheirQueryTextAreForSuperusersOnly() throws Exception {
        try (Connection alice = server.connectAs("alice", "alice-pw"); Connection bob = server.connectAs("bob", "bob-pw")) {
            List<String> seenByAlice = new ArrayList<>();
            try (Statement st = alice.createStatement();
                    ResultSet rs = st.executeQuery("select user_name, executing_statement from information_schema.sessions")) {
                while (rs.next()) {
                    seenByAlice.add(rs.getString(1));
                }
            }
            assertEquals(List.of("ALICE"), seenByAlice);
            int seenByAdmin = Integer.parseInt(one(admin, "select count(*) from information_schema.sessions"));
            assertTrue(seenByAdmin >= 3, "the superuser sees every session: " + seenByAdmin);
            assertFalse(one(bob, "select count(*) from information_schema.sessions").equals(String.valueOf(seenByAdmin)));
        }
    }
}
