package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile clients, as the superuser and as an ordinary role, over pgJDBC (simple and extended
 * protocol) and psql: every host-reaching or service-destroying statement and function of H2
 * 2.4.240 in {@link HostAccessPolicy} (each entry tried at least once, several spellings of
 * some) is refused with 42501 and "permission denied", nothing of it happens, and the session and
 * the database go on working.
 */
class HostileClientTest {
    @TempDir
    static Path dir;
    private static PgTestServer server;
    private static Connection admin;
    private static Connection plain;
    private static String victimFile;

    @BeforeAll
    static void start() throws Exception {
        server = new PgTestServer(null, true);
        admin = server.connect();
        try (Statement st = admin.createStatement()) {
            st.execute(PgTestServer.createFunction("add_i32(a integer, b integer) RETURNS integer", "math"));
            st.execute("create table t(x integer)");
            st.execute("grant select, insert on t to public");
            st.execute("create role mallory login");
        }
        plain = server.connectAs("mallory", null);
        victimFile = dir.resolve("victim.txt").toString();
        Files.writeString(Path.of(victimFile), "secret\n");
    }

    @AfterAll
    static void stop() throws Exception {
        if (plain != null) {
            plain.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static String out(String name) {
        return dir.resolve(name).toString();
    }

    /** Statements refused with 42501 for every client, and the policy entry each one exercises. */
    static List<String[]> attacks() {
        String f = victimFile;
        return List.of(
                new String[] {"CREATE ALIAS", "CREATE ALIAS X AS $$ String x(String c) throws Exception { return new String(Runtime.getRuntime()"
                    + ".exec(c).getInputStream().readAllBytes()); } $$"},
                new String[] {"CREATE ALIAS", "create alias exit_vm for 'java.lang.System.exit'"},
                new String[] {"CREATE ALIAS", "CREATE FORCE ALIAS x2 FOR 'java.lang.Runtime.getRuntime'"},
                new String[] {"CREATE ALIAS", "DECLARE ALIAS x3 FOR 'java.lang.System.exit'"},
                new String[] {"CREATE ALIAS", "/* comment */ create or replace alias add_i32 for 'java.lang.Math.addExact'"},
                new String[] {"CREATE TRIGGER", "CREATE TRIGGER t1 BEFORE INSERT ON t FOR EACH ROW CALL 'org.h2.tools.TriggerAdapter'"},
                new String[] {"CREATE TRIGGER", "CREATE TRIGGER t2 BEFORE INSERT ON t FOR EACH ROW AS $$org.h2.api.Trigger create() { return null; }$$"},
                new String[] {"CREATE AGGREGATE", "CREATE AGGREGATE agg1 FOR 'org.h2.api.AggregateFunction'"},
                new String[] {"CREATE LINKED TABLE", "CREATE LINKED TABLE l1('org.h2.Driver', 'jdbc:h2:" + out("linked") + "', 'sa', '', 'T')"},
                new String[] {"CREATE LINKED TABLE", "CREATE LOCAL TEMPORARY LINKED TABLE l2('', 'jdbc:h2:" + out("linked2") + "', 'sa', '', 'T')"},
                new String[] {"CREATE LINKED TABLE", "CREATE FORCE LINKED TABLE l3('', 'jdbc:h2:" + out("linked3") + "', 'sa', '', 'T')"},
                new String[] {"CREATE TABLE … ENGINE", "CREATE TABLE e1(x integer) ENGINE \"org.h2.mvstore.db.MVTableEngine\""},
                new String[] {"DROP ALIAS", "DROP ALIAS add_i32"},
                new String[] {"DROP ALIAS", "drop alias if exists public.add_i32"},
                new String[] {"DROP AGGREGATE", "DROP AGGREGATE IF EXISTS agg1"},
                new String[] {"DROP TRIGGER", "DROP TRIGGER wasm.modules_guard"},
                new String[] {"DROP ALL OBJECTS", "DROP ALL OBJECTS"},
                new String[] {"DROP ALL OBJECTS", "drop all objects delete files"},
                new String[] {"SCRIPT", "SCRIPT"},
                new String[] {"SCRIPT", "SCRIPT NODATA TO '" + out("dump.sql") + "'"},
                new String[] {"BACKUP", "BACKUP TO '" + out("backup.zip") + "'"},
                new String[] {"RUNSCRIPT", "RUNSCRIPT FROM '" + f + "'"},
                new String[] {"SHUTDOWN", "SHUTDOWN"},
                new String[] {"SHUTDOWN", "shutdown immediately"},
                new String[] {"SHUTDOWN", "SHUTDOWN COMPACT"},
                new String[] {"SHUTDOWN", "SHUTDOWN DEFRAG"},
                new String[] {"EXECUTE IMMEDIATE", "EXECUTE IMMEDIATE 'SHUTDOWN'"},
                new String[] {"PREPARE TRANSACTION", "PREPARE COMMIT tx1"},
                new String[] {"COMMIT PREPARED", "COMMIT TRANSACTION tx1"},
                new String[] {"ROLLBACK PREPARED", "ROLLBACK TRANSACTION tx1"},
                new String[] {"FILE_READ", "select file_read('" + f + "')"},
                new String[] {"FILE_READ", "SELECT \"FILE_READ\"('" + f + "')"},
                new String[] {"FILE_READ", "select `file_read`('" + f + "')"},
                new String[] {"FILE_READ", "select U&\"FILE\\005fREAD\"('" + f + "')"},
                new String[] {"FILE_READ", "select public.file_read /* hidden */ ('" + f + "')"},
                new String[] {"FILE_READ", "create view v1 as select file_read('" + f + "') as s"},
                new String[] {"FILE_READ", "create table d1(s varchar default file_read('" + f + "'))"},
                new String[] {"FILE_READ", "select 1 -- '\n, file_read('" + f + "')"},
                new String[] {"FILE_WRITE", "select file_write(X'41', '" + out("written.txt") + "')"},
                new String[] {"CSVREAD", "select * from csvread('" + f + "')"},
                new String[] {"CSVWRITE", "call csvwrite('" + out("out.csv") + "', 'select 1')"},
                new String[] {"LINK_SCHEMA", "call link_schema('X', '', 'jdbc:h2:" + out("ls") + "', 'sa', '', 'PUBLIC')"},
                new String[] {"DATABASE_PATH", "select database_path()"},
                new String[] {"CANCEL_SESSION", "select cancel_session(1)"},
                new String[] {"ABORT_SESSION", "select abort_session(session_id())"},
                new String[] {"SET (database-wide)", "SET TRACE_LEVEL_FILE 3"},
                new String[] {"SET (database-wide)", "SET TRACE_LEVEL_SYSTEM_OUT 3"},
                new String[] {"SET (database-wide)", "SET TRACE_MAX_FILE_SIZE 1"},
                new String[] {"SET (database-wide)", "SET EXCLUSIVE 1"},
                new String[] {"SET (database-wide)", "SET WRITE_DELAY 1000"},
                new String[] {"SET (database-wide)", "SET MODE MySQL"},
                new String[] {"SET (database-wide)", "SET CACHE_SIZE 100000000"},
                new String[] {"SET (database-wide)", "SET DATABASE_EVENT_LISTENER 'java.lang.Object'"},
                new String[] {"SET (database-wide)", "SET JAVA_OBJECT_SERIALIZER 'java.lang.Object'"},
                new String[] {"SET (database-wide)", "SET ALLOW_LITERALS NONE"},
                new String[] {"SET (database-wide)", "SET REFERENTIAL_INTEGRITY FALSE"},
                new String[] {"SET (database-wide)", "SET LOCK_MODE 0"},
                new String[] {"SET (database-wide)", "SET DB_CLOSE_DELAY -1"},
                new String[] {"SET (database-wide)", "SET MAX_MEMORY_ROWS 1"},
                new String[] {"SET (database-wide)", "SET MAX_MEMORY_UNDO 1"},
                new String[] {"SET (database-wide)", "SET MAX_OPERATION_MEMORY 1"},
                new String[] {"SET (database-wide)", "SET MAX_LOG_SIZE 1"},
                new String[] {"SET (database-wide)", "SET IGNORECASE TRUE"},
                new String[] {"SET (database-wide)", "SET COLLATION ENGLISH"},
                new String[] {"SET (database-wide)", "SET CLUSTER ''"},
                new String[] {"SET (database-wide)", "SET QUERY_STATISTICS TRUE"},
                new String[] {"SET (database-wide)", "SET BUILTIN_ALIAS_OVERRIDE TRUE"},
                new String[] {"SET (database-wide)", "SET DEFAULT_LOCK_TIMEOUT 0"},
                new String[] {"SET (database-wide)", "SET DEFAULT_TABLE_TYPE MEMORY"},
                new String[] {"SET (database-wide)", "SET RETENTION_TIME 0"},
                new String[] {"SET (database-wide)", "SET OPTIMIZE_REUSE_RESULTS 0"},
                new String[] {"SET (database-wide)", "SET CREATE_BUILD 1"},
                new String[] {"SET (database-wide)", "SET AUTHENTICATOR TRUE"},
                new String[] {"SET (database-wide)", "SET PASSWORD 'owned'"},
                new String[] {"SET (database-wide)", "SET SALT '00' HASH '00'"},
                new String[] {"SET (database-wide)", "SET SCHEMA_SEARCH_PATH WASM"},
                new String[] {"SET (database-wide)", "SET AUTOCOMMIT FALSE"},
                new String[] {"wasm catalog", "update wasm.functions set bridge = 'java.lang.System.exit'"},
                new String[] {"wasm catalog", "delete from wasm.functions"},
                // SET wasm.x is a function setting in CREATE FUNCTION, but the table is named after UPDATE
                new String[] {"wasm catalog", "update wasm.functions set wasm.functions.grants = 'all'"},
                new String[] {"wasm catalog", "update wasm.functions f set grants = 'all'"},
                new String[] {"wasm catalog", "with f as (select 1) delete from wasm.functions"},
                new String[] {"wasm catalog", "insert into wasm.functions select * from wasm.functions"},
                new String[] {"wasm catalog", "truncate table wasm.modules"},
                new String[] {"wasm catalog", "alter table wasm.modules drop column size"},
                new String[] {"wasm catalog", "drop table wasm.functions"},
                new String[] {"wasm catalog", "drop schema wasm cascade"},
                new String[] {"wasm catalog", "DROP SCHEMA IF EXISTS \"WASM\" CASCADE"},
                new String[] {"wasm catalog", "alter schema wasm rename to w2"},
                new String[] {"wasm catalog", "create synonym fns for wasm.functions"},
                new String[] {"wasm catalog", "update \"WASM\".roles set superuser = true"},
                new String[] {"wasm catalog", "set search_path to wasm"},
                new String[] {"wasm catalog", "use wasm"});
    }

    private static SQLException run(Connection c, String sql, boolean prepared) {
        try {
            if (prepared) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.execute();
                }
            } else {
                try (Statement st = c.createStatement()) {
                    st.execute(sql);
                }
            }
            return null;
        } catch (SQLException e) {
            return e;
        }
    }

    @Test
    void everyEntryOfThePolicyIsTriedAndRefused() throws Exception {
        Set<String> tried = new LinkedHashSet<>();
        for (String[] a : attacks()) {
            tried.add(a[0]);
        }
        for (String name : HostAccessPolicy.allNames()) {
            assertTrue(tried.contains(name), "policy entry without an attack here: " + name);
        }
    }

    @Test
    void everyHostReachingStatementIsRefusedForSuperuserAndOrdinaryRoleOverPgJdbc() throws Exception {
        List<String> failures = new ArrayList<>();
        for (String[] a : attacks()) {
            for (Connection c : List.of(admin, plain)) {
                for (boolean prepared : new boolean[] {false, true}) {
                    SQLException e = run(c, a[1], prepared);
                    String who = (c == admin ? "superuser" : "mallory") + (prepared ? "/extended" : "/simple");
                    if (e == null) {
                        failures.add(who + " RAN: " + a[1]);
                    } else if (!"42501".equals(e.getSQLState()) || !e.getMessage().startsWith("ERROR: permission denied")) {
                        failures.add(who + " " + e.getSQLState() + " " + e.getMessage() + " for: " + a[1]);
                    }
                    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select add_i32(40, 2)")) {
                        rs.next();
                        assertEquals(42, rs.getInt(1), "session unusable after: " + a[1]);
                    }
                }
            }
        }
        assertEquals(List.of(), failures);
        nothingHappened();
    }

    /** Nothing of it took effect: no file written, the bridge alias and the catalog intact, the settings untouched. */
    private static void nothingHappened() throws Exception {
        for (String name : new String[] {"dump.sql", "backup.zip", "written.txt", "out.csv", "linked.mv.db", "linked2.mv.db", "ls.mv.db"}) {
            assertFalse(Files.exists(dir.resolve(name)), name);
        }
        try (Connection h2 = server.h2(); Statement st = h2.createStatement()) {
            try (ResultSet rs = st.executeQuery("select count(*) from information_schema.routines where routine_name = 'ADD_I32'")) {
                rs.next();
                assertEquals(1, rs.getInt(1));
            }
            try (ResultSet rs = st.executeQuery("select count(*) from wasm.functions")) {
                rs.next();
                assertEquals(1, rs.getInt(1));
            }
            try (ResultSet rs = st.executeQuery("select setting_value from information_schema.settings where setting_name = 'WRITE_DELAY'")) {
                rs.next();
                assertEquals("0", rs.getString(1));
            }
            try (ResultSet rs = st.executeQuery("select count(*) from wasm.roles where superuser")) {
                rs.next();
                assertEquals(1, rs.getInt(1));
            }
        }
    }

    /** Set when an instance of {@link Gadget} is deserialized. */
    static volatile boolean deserialized;

    /** A class whose deserialization has a side effect, as a gadget chain's first link would. */
    static final class Gadget implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
            in.defaultReadObject();
            deserialized = true;
        }
    }

    /** A JAVA_OBJECT value travels as its bytes: the server never deserializes what a client stored. */
    @Test
    void javaObjectValuesAreNeverDeserialized() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream o = new java.io.ObjectOutputStream(bytes)) {
            o.writeObject(new Gadget());
        }
        try (Statement st = admin.createStatement()) {
            st.execute("create table blobs(id integer, o java_object)");
        }
        try (PreparedStatement ps = admin.prepareStatement("insert into blobs values (1, ?)")) {
            ps.setBytes(1, bytes.toByteArray());
            ps.executeUpdate();
        }
        for (boolean binary : new boolean[] {false, true}) {
            java.util.Properties p = new java.util.Properties();
            p.setProperty("prepareThreshold", binary ? "-1" : "5");
            try (Connection c = server.connect(p); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select o from blobs")) {
                rs.next();
                assertTrue(java.util.Arrays.equals(bytes.toByteArray(), rs.getBytes(1)));
            }
        }
        assertFalse(deserialized, "the server deserialized a client's JAVA_OBJECT");
    }

    /** An embedding application may replace a bridge alias with a Java one: \\df and getFunctions stop listing it. */
    @Test
    void anAliasReplacedBehindTheCatalogsBackIsNoLongerListedAsAWasmFunction() throws Exception {
        try (Statement st = admin.createStatement()) {
            st.execute(PgTestServer.createFunction("is_prime(n bigint) RETURNS boolean", "math"));
        }
        assertTrue(functions().contains("is_prime"));
        try (Connection h2 = server.h2(); Statement st = h2.createStatement()) {
            st.execute("DROP ALIAS IS_PRIME");
            st.execute("CREATE ALIAS IS_PRIME FOR 'java.lang.Math.signum(double)'");
        }
        assertFalse(functions().contains("is_prime"));
        assertTrue(functions().contains("add_i32"));
        if (PsqlRunner.psql() != null) {
            String df = PsqlRunner.run("127.0.0.1", server.server.port(), "wasmudf", "wasmudf", null, "\\df\n");
            assertTrue(df.contains("|add_i32|") && !df.contains("is_prime"), df);
        }
        try (Connection h2 = server.h2(); Statement st = h2.createStatement()) {
            st.execute("DROP ALIAS IS_PRIME");
            st.execute("DELETE FROM wasm.functions WHERE name = 'IS_PRIME'");
        }
    }

    private static List<String> functions() throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rs = admin.getMetaData().getFunctions(null, null, "%")) {
            while (rs.next()) {
                names.add(rs.getString("FUNCTION_NAME"));
            }
        }
        return names;
    }

    @Test
    void psqlGetsPermissionDeniedForEachAndTheSessionGoesOn() throws Exception {
        Assumptions.assumeTrue(PsqlRunner.psql() != null, "psql is not installed");
        StringBuilder script = new StringBuilder();
        int n = 0;
        for (String[] a : attacks()) {
            if (a[1].contains("\n")) {
                continue; // psql would run the comment line apart
            }
            script.append(a[1]).append(";\n");
            n++;
        }
        script.append("select add_i32(40, 2) as answer;\n");
        for (String role : new String[] {"wasmudf", "mallory"}) {
            String output = PsqlRunner.run("127.0.0.1", server.server.port(), role, "wasmudf", null, script.toString());
            long denied = output.lines().filter(l -> l.matches("psql:<stdin>:\\d+: ERROR:  permission denied.*")).count();
            assertEquals(n, denied, output);
            assertTrue(output.endsWith("answer\n42\n(1 row)\n"), output);
        }
        nothingHappened();
    }
}
