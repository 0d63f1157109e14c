package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.copy.CopyManager;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * COPY FROM STDIN / TO STDOUT over the wire server, each case run on the real PostgreSQL 15 too:
 * the same input must give the same table contents, the same COPY TO bytes, and the same errors
 * (SQLSTATE, wording where PostgreSQL's is ours, CONTEXT line), through pgJDBC's CopyManager and
 * psql's \copy.
 */
class CopyTest {
    private static final String SCHEMA = "copycli_" + ProcessHandle.current().pid() + "_" + System.nanoTime() % 100000;
    private static final String DDL = "(id integer primary key, s text, b boolean, n numeric(12,2), d date, f double precision,"
            + " by bytea, v varchar(20))";

    private static PgTestServer ours;
    private static Connection mine;
    private static Connection real;

    @BeforeAll
    static void start() throws Exception {
        real = RealPostgres.connect("CopyTest");
        try (Statement st = real.createStatement()) {
            st.execute("create schema " + SCHEMA);
            st.execute("set search_path = " + SCHEMA);
        }
        ours = new PgTestServer(null, true);
        mine = ours.connect();
    }

    @AfterAll
    static void stop() throws Exception {
        if (real != null) {
            try (Statement st = real.createStatement()) {
                st.execute("drop schema " + SCHEMA + " cascade");
            }
            real.close();
        }
        if (mine != null) {
            mine.close();
            ours.close();
        }
    }

    private static void both(String sql) throws SQLException {
        for (Connection c : List.of(real, mine)) {
            try (Statement st = c.createStatement()) {
                st.execute(sql);
            }
        }
    }

    private static long copyIn(Connection c, String sql, String data) throws Exception {
        return new CopyManager(c.unwrap(org.postgresql.core.BaseConnection.class)).copyIn(sql, new StringReader(data));
    }

    private static String copyOut(Connection c, String sql) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new CopyManager(c.unwrap(org.postgresql.core.BaseConnection.class)).copyOut(sql, bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Loads {@code data} with {@code copy} on both servers and returns what each COPY TO gives, checked equal. */
    private static void sameLoad(String table, String copy, String data, List<String> outs) throws Exception {
        both("create table " + table + " " + DDL);
        assertEquals(copyIn(real, copy, data), copyIn(mine, copy, data), copy);
        for (String out : outs) {
            String expected = copyOut(real, out);
            assertEquals(expected, copyOut(mine, out), out);
        }
    }

    private static final List<String> OUTPUTS = List.of(
            "COPY (SELECT * FROM %s ORDER BY id) TO STDOUT",
            "COPY %s TO STDOUT WITH (FORMAT csv, HEADER)",
            "COPY %s (id, s, v) TO STDOUT (FORMAT csv, DELIMITER ';', NULL 'NUL', QUOTE '''', ESCAPE '\\')",
            "COPY %s TO STDOUT (DELIMITER '|', NULL '')",
            "COPY (SELECT s FROM %s ORDER BY id) TO STDOUT CSV",
            "COPY %s TO STDOUT (FORMAT text, HEADER true)");

    private static List<String> outputs(String table) {
        List<String> out = new ArrayList<>();
        for (String o : OUTPUTS) {
            out.add(o.formatted(table));
        }
        return out;
    }

    @Test
    void textFormatEscapesRoundTripAsInPostgres() throws Exception {
        String data = String.join("\n",
                "1\thello world\tt\t1.50\t2024-02-29\t1.5\t\\\\x0102ff\tv1",
                "2\ttab\\there\\nnew line\\\\back\\rcr\tf\t-3.25\t2000-01-01\t-0.25\t\\N\t",
                "3\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N",
                "4\t\tt\t0\t1999-12-31\t0\t\\\\x\t ",
                "5\t\\\\N is not null\ttrue\t12345678.90\t2024-01-01\t2\t\\\\x00\t\\\\.x",
                "6\tünïcödé ☃ \"quoted\", comma;semi|pipe\tno\t1\t2024-01-01\t3\t\\N\t'single'",
                "7\t\\x41\\101\\q\\b\\f\\v\\xc3\\xa9\\303\\251\tyes\t1\t2024-01-01\t3\t\\N\ta\\\\b",
                "8\t\\\\.\tt\t1\t2024-01-01\t3\t\\N\t\\\\.",
                "\\.", "");
        sameLoad("t_text", "COPY t_text FROM STDIN", data, outputs("t_text"));
        // a backslash-dot ends the data wherever it is on its line; what follows it is ignored
        both("create table t_marker (a integer, b text)");
        String marked = "1\tx\n2\ty\\.\n3\tz\n";
        assertEquals(copyIn(real, "COPY t_marker FROM STDIN", marked), copyIn(mine, "COPY t_marker FROM STDIN", marked));
        assertEquals(copyOut(real, "COPY t_marker TO STDOUT"), copyOut(mine, "COPY t_marker TO STDOUT"));
    }

    @Test
    void csvFormatQuotingRoundTripsAsInPostgres() throws Exception {
        String data = String.join("\r\n",
                "id,s,b,n,d,f,by,v",
                "1,\"multi\nline, with \"\"quotes\"\"\",t,1,2024-01-01,1,\\x41,\"\"",
                "2,,f,,,,,",
                "3,\"\",t,2.5,2024-01-01,2,,x",
                "4,\\N,t,2.5,2024-01-01,2,,\"a,b\"",
                "5,\"\\.\",t,2.5,2024-01-01,2,,\t tab",
                "");
        sameLoad("t_csv", "COPY t_csv FROM STDIN WITH (FORMAT csv, HEADER)", data, outputs("t_csv"));
        // the keyword form psql's \copy passes through, and a column list
        both("create table t_csv2 " + DDL);
        String legacy = "7;'it''s; fine';t\n8;NIL;f\n";
        String copy = "COPY t_csv2 (id, s, b) FROM STDIN CSV DELIMITER ';' NULL 'NIL' QUOTE ''''";
        assertEquals(copyIn(real, copy, legacy), copyIn(mine, copy, legacy));
        for (String out : outputs("t_csv2")) {
            assertEquals(copyOut(real, out), copyOut(mine, out), out);
        }
    }

    /** A COPY that fails loads nothing, says where as PostgreSQL does, and leaves the connection usable. */
    @Test
    void badRowsFailWithPostgresErrorsAndLoadNothing() throws Exception {
        both("create table t_bad (a integer primary key, b text not null, c integer)");
        String[][] cases = {
            {"COPY t_bad FROM STDIN", "1\tx\t1\n2\ty\n3\tz\t3\n"},
            {"COPY t_bad FROM STDIN", "1\tx\t1\n2\ty\t2\textra\n"},
            {"COPY t_bad FROM STDIN", "1\tx\t1\nzz\ty\t2\n"},
            {"COPY t_bad FROM STDIN", "1\tx\t1\n2\ty\t99999999999\n"},
            {"COPY t_bad FROM STDIN", "1\tx\t1\n2\ty\t2\n1\tz\t3\n"},
            {"COPY t_bad FROM STDIN", "1\tx\t1\n2\t\\N\t2\n"},
            {"COPY t_bad FROM STDIN (FORMAT csv)", "1,x,1\n2,\"unterminated,2\n"},
            {"COPY t_bad FROM STDIN (FORMAT csv, HEADER match)", "a,c,b\n1,1,x\n"},
            {"COPY t_bad (a, b) FROM STDIN (FORMAT csv)", "1,x\n2,yy,\n"},
            {"COPY t_bad FROM STDIN", "1\tx\t1\n2\t\\.y\t2\n"},
            {"COPY t_bad FROM STDIN", "1\tx\t1\n2\tnul\\0\t2\n"},
            {"COPY t_bad FROM STDIN", "1\tx\t1\n2\tbad\\xff\t2\n"},
        };
        for (String[] c : cases) {
            PSQLException expected = assertThrows(PSQLException.class, () -> copyIn(real, c[0], c[1]), c[0] + " on PostgreSQL");
            PSQLException actual = assertThrows(PSQLException.class, () -> copyIn(mine, c[0], c[1]), c[0]);
            ServerErrorMessage e = expected.getServerErrorMessage();
            ServerErrorMessage a = actual.getServerErrorMessage();
            assertNotNull(a, actual.toString());
            String what = c[0] + " with " + c[1].replace("\n", "\\n") + ": " + a;
            assertEquals(e.getSQLState(), a.getSQLState(), what);
            assertEquals(e.getWhere(), a.getWhere(), what);
            if (!e.getSQLState().startsWith("23")) {
                // constraint messages are H2's wording; every other message is PostgreSQL's
                assertEquals(e.getMessage(), a.getMessage(), what);
            }
            assertEquals("0", one(mine, "select count(*) from t_bad"), what);
            assertEquals("0", one(real, "select count(*) from t_bad"), what);
        }
    }

    @Test
    void optionErrorsAreWordedAsInPostgres() throws Exception {
        both("create table t_opt (a integer, b text)");
        String[] statements = {
            "COPY t_opt TO STDOUT (FORMAT foo)",
            "COPY t_opt TO STDOUT (FORMAT csv, FORMAT csv)",
            "COPY t_opt TO STDOUT (bogus 1)",
            "COPY t_opt TO STDOUT (DELIMITER 'ab')",
            "COPY t_opt TO STDOUT (DELIMITER '\\')",
            "COPY t_opt TO STDOUT (DELIMITER 'a')",
            "COPY t_opt TO STDOUT (FORMAT text, QUOTE '\"')",
            "COPY t_opt TO STDOUT (FORMAT text, ESCAPE 'x')",
            "COPY t_opt TO STDOUT (FORMAT csv, DELIMITER ',', QUOTE ',')",
            "COPY t_opt TO STDOUT (FORMAT csv, NULL 'a,b')",
            "COPY t_opt TO STDOUT (HEADER match)",
            "COPY t_opt TO STDOUT (HEADER maybe)",
            "COPY t_opt (zz) FROM STDIN",
            "COPY t_opt (a, a) FROM STDIN",
            "COPY nope FROM STDIN",
            "COPY (SELECT 1) FROM STDIN",
        };
        for (String sql : statements) {
            PSQLException expected = assertThrows(PSQLException.class, () -> copyIn(real, sql, ""), sql + " on PostgreSQL");
            PSQLException actual = assertThrows(PSQLException.class, () -> copyIn(mine, sql, ""), sql);
            ServerErrorMessage e = expected.getServerErrorMessage();
            ServerErrorMessage a = actual.getServerErrorMessage();
            assertEquals(e.getSQLState() + " " + e.getMessage(), a.getSQLState() + " " + a.getMessage(), sql);
            assertEquals(e.getPosition(), a.getPosition(), sql);
        }
        assertEquals("1", one(mine, "select 1"));
    }

    /** FORCE_QUOTE, FORCE_NOT_NULL and FORCE_NULL give the same bytes, tables and errors as in PostgreSQL. */
    @Test
    void forceOptionsAsInPostgres() throws Exception {
        both("create table t_force (a integer, b text, c text)");
        String data = "1,,\"\"\n2,x,\"\"\n3,\"\",\n";
        for (String in : List.of("COPY t_force FROM STDIN (FORMAT csv, FORCE_NOT_NULL (b))", "COPY t_force FROM STDIN (FORMAT csv, FORCE_NULL (b, c))",
                "COPY t_force FROM STDIN CSV FORCE NOT NULL c, b", "COPY t_force (c, a) FROM STDIN (FORMAT csv, FORCE_NULL (c), FORCE_NOT_NULL (c))")) {
            String d = in.contains("(c, a)") ? "\"\",1\n,2\n" : data;
            assertEquals(copyIn(real, in, d), copyIn(mine, in, d), in);
        }
        for (String out : List.of("COPY (SELECT * FROM t_force ORDER BY a, b NULLS LAST, c NULLS LAST) TO STDOUT (FORMAT csv, FORCE_QUOTE *)",
                "COPY t_force TO STDOUT (FORMAT csv, HEADER, FORCE_QUOTE (c, a))", "COPY t_force (b, c) TO STDOUT CSV FORCE QUOTE c",
                "COPY (SELECT a, b AS bb FROM t_force ORDER BY a, b NULLS LAST) TO STDOUT (FORMAT csv, FORCE_QUOTE (bb))",
                "COPY t_force TO STDOUT CSV FORCE QUOTE *")) {
            assertEquals(copyOut(real, out), copyOut(mine, out), out);
        }
        for (String bad : List.of("COPY t_force TO STDOUT (FORMAT csv, FORCE_QUOTE (a, zz))", "COPY t_force (a) TO STDOUT (FORMAT csv, FORCE_QUOTE (b))",
                "COPY t_force TO STDOUT (FORCE_QUOTE *)", "COPY t_force FROM STDIN (FORMAT csv, FORCE_QUOTE *)",
                "COPY t_force TO STDOUT (FORMAT csv, FORCE_NOT_NULL (a))", "COPY t_force TO STDOUT (FORMAT csv, FORCE_NULL (a))",
                "COPY t_force FROM STDIN (FORMAT csv, FORCE_NOT_NULL *)", "COPY t_force (a) FROM STDIN (FORMAT csv, FORCE_NULL (b))")) {
            ServerErrorMessage e = assertThrows(PSQLException.class, () -> copyIn(real, bad, "")).getServerErrorMessage();
            ServerErrorMessage a = assertThrows(PSQLException.class, () -> copyIn(mine, bad, "")).getServerErrorMessage();
            assertEquals(e.getSQLState() + " " + e.getMessage() + " @" + e.getPosition(), a.getSQLState() + " " + a.getMessage() + " @"
                    + a.getPosition(), bad);
        }
    }

    /** Generated columns are left out without a column list and refused in one, as in PostgreSQL. */
    @Test
    void generatedColumnsAsInPostgres() throws Exception {
        try (Statement st = real.createStatement()) {
            st.execute("create table t_gen (a integer, b integer generated always as (a * 2) stored)");
        }
        try (Statement st = mine.createStatement()) {
            st.execute("create table t_gen (a integer, b integer generated always as (a * 2))");
        }
        assertEquals(copyIn(real, "COPY t_gen FROM STDIN", "1\n2\n"), copyIn(mine, "COPY t_gen FROM STDIN", "1\n2\n"));
        for (String out : List.of("COPY t_gen TO STDOUT", "COPY (SELECT * FROM t_gen ORDER BY a) TO STDOUT (FORMAT csv, HEADER)")) {
            assertEquals(copyOut(real, out), copyOut(mine, out), out);
        }
        for (String bad : List.of("COPY t_gen (b) FROM STDIN", "COPY t_gen (a, b) TO STDOUT")) {
            ServerErrorMessage e = assertThrows(PSQLException.class, () -> copyIn(real, bad, "")).getServerErrorMessage();
            ServerErrorMessage a = assertThrows(PSQLException.class, () -> copyIn(mine, bad, "")).getServerErrorMessage();
            assertEquals(e.getSQLState() + " " + e.getMessage() + " / " + e.getDetail(), a.getSQLState() + " " + a.getMessage() + " / "
                    + a.getDetail(), bad);
        }
    }

    /** No client reaches the server's files or programs: refused for everyone with PostgreSQL's non-superuser error. */
    @Test
    void serverFilesAndProgramsAreRefused() throws Exception {
        String[][] cases = {
            {"COPY t_files FROM '/etc/passwd'", "must be superuser or have privileges of the pg_read_server_files role to COPY from a file"},
            {"COPY t_files TO '/tmp/copycli-out'", "must be superuser or have privileges of the pg_write_server_files role to COPY to a file"},
            {"COPY t_files FROM PROGRAM 'id'", "must be superuser or have privileges of the pg_execute_server_program role to COPY to or"
                    + " from an external program"},
            {"COPY t_files TO PROGRAM 'id'", "must be superuser or have privileges of the pg_execute_server_program role to COPY to or"
                    + " from an external program"},
        };
        for (String[] c : cases) {
            PSQLException e = assertThrows(PSQLException.class, () -> {
                try (Statement st = mine.createStatement()) {
                    st.execute(c[0]);
                }
            });
            assertEquals("42501", e.getSQLState(), c[0]);
            assertEquals(c[1], e.getServerErrorMessage().getMessage(), c[0]);
            assertEquals("Anyone can COPY to stdout or from stdin. psql's \\copy command also works for anyone.",
                    e.getServerErrorMessage().getHint());
        }
        assertTrue(Files.notExists(Path.of("/tmp/copycli-out")));
        // the query of COPY (query) TO passes the same checks as any statement
        PSQLException fileRead = assertThrows(PSQLException.class, () -> copyOut(mine, "COPY (SELECT FILE_READ('/etc/passwd')) TO STDOUT"));
        assertEquals("42501", fileRead.getSQLState());
        PSQLException twoStatements = assertThrows(PSQLException.class, () -> copyOut(mine, "COPY (SELECT 1; DROP TABLE t_tx) TO STDOUT"));
        assertEquals("42601", twoStatements.getSQLState());
    }

    /** COPY goes through the session's role: INSERT for FROM, SELECT for TO, and the wasm catalog stays closed. */
    @Test
    void privilegesAreTheRolesOwn() throws Exception {
        try (Statement st = mine.createStatement()) {
            st.execute("create table t_priv (a integer)");
            st.execute("insert into t_priv values (1)");
            st.execute("create role copy_reader login");
            st.execute("grant select on t_priv to copy_reader");
        }
        try (Connection reader = ours.connectAs("copy_reader", null)) {
            assertEquals("1\n", copyOut(reader, "COPY t_priv TO STDOUT"));
            PSQLException denied = assertThrows(PSQLException.class, () -> copyIn(reader, "COPY t_priv FROM STDIN", "2\n"));
            assertEquals("42501", denied.getSQLState());
            assertEquals("permission denied for table t_priv", denied.getServerErrorMessage().getMessage());
            assertEquals("1", one(reader, "select count(*) from t_priv"));
        }
        PSQLException catalog = assertThrows(PSQLException.class, () -> copyIn(mine, "COPY wasm.functions (name) FROM STDIN", "x\n"));
        assertEquals("42501", catalog.getSQLState());
        try (Statement st = mine.createStatement()) {
            st.execute("set default_transaction_read_only = on");
        }
        try {
            PSQLException ro = assertThrows(PSQLException.class, () -> copyIn(mine, "COPY t_priv FROM STDIN", "2\n"));
            assertEquals("25006", ro.getSQLState());
            assertEquals("cannot execute COPY FROM in a read-only transaction", ro.getServerErrorMessage().getMessage());
        } finally {
            try (Statement st = mine.createStatement()) {
                st.execute("set default_transaction_read_only = off");
            }
        }
    }

    /** Inside a transaction block a failed COPY aborts the block; ROLLBACK leaves nothing; a good one commits with it. */
    @Test
    void copyIsPartOfTheTransaction() throws Exception {
        try (Statement st = mine.createStatement()) {
            st.execute("create table t_tx (a integer primary key)");
        }
        mine.setAutoCommit(false);
        try {
            assertEquals(2, copyIn(mine, "COPY t_tx FROM STDIN", "1\n2\n"));
            assertThrows(PSQLException.class, () -> copyIn(mine, "COPY t_tx FROM STDIN", "3\n3\n"));
            PSQLException aborted = assertThrows(PSQLException.class, () -> one(mine, "select count(*) from t_tx"));
            assertEquals("25P02", aborted.getSQLState());
            mine.rollback();
            assertEquals("0", one(mine, "select count(*) from t_tx"));
            assertEquals(2, copyIn(mine, "COPY t_tx FROM STDIN", "1\n2\n"));
            mine.commit();
        } finally {
            mine.setAutoCommit(true);
        }
        assertEquals("2", one(mine, "select count(*) from t_tx"));
        // a client that gives up (CopyFail) loads nothing either
        var op = new CopyManager(mine.unwrap(org.postgresql.core.BaseConnection.class)).copyIn("COPY t_tx FROM STDIN");
        byte[] row = "7\n".getBytes(StandardCharsets.US_ASCII);
        op.writeToCopy(row, 0, row.length);
        op.cancelCopy();
        assertEquals("2", one(mine, "select count(*) from t_tx"));
    }

    /** Many rows in large CopyData messages, split mid-record and mid-character. */
    @Test
    void largeLoadsStream() throws Exception {
        both("create table t_big (a integer, s text)");
        StringBuilder data = new StringBuilder();
        for (int k = 0; k < 20000; k++) {
            data.append(k).append("\tzeile ").append(k % 7 == 0 ? "☃\\t" : "x").append('\n');
        }
        assertEquals(20000, copyIn(mine, "COPY t_big FROM STDIN", data.toString()));
        assertEquals(20000, copyIn(real, "COPY t_big FROM STDIN", data.toString()));
        String q = "COPY (SELECT * FROM t_big ORDER BY a) TO STDOUT (FORMAT csv)";
        assertEquals(copyOut(real, q), copyOut(mine, q));
    }

    /** psql's \copy to and from client-side files gives the same files and tables as on PostgreSQL. */
    @Test
    void psqlBackslashCopyMatchesPostgres(@TempDir Path dir) throws Exception {
        io.wasmudf.h2.Required.resource(PsqlRunner.psql() != null, "CopyTest: psql is not installed (Debian package postgresql-client)");
        Path in = dir.resolve("in.csv");
        Files.writeString(in, "id,s,v\n1,\"a\"\"b\",x\n2,,\"\"\n3,\"two\nlines\",z\n");
        RealPostgres.Target pg = RealPostgres.find();
        String host = System.getenv().getOrDefault("PGHOST", "127.0.0.1");
        int port = Integer.parseInt(System.getenv().getOrDefault("PGPORT", "5432"));
        String db = System.getenv().getOrDefault("PGDATABASE", "test");
        String script = "create table t_psql (id integer, s text, v text);\n"
                + "\\copy t_psql from '" + in + "' with (format csv, header)\n"
                + "\\copy t_psql to '%s' csv header\n"
                + "\\copy (select id, s from t_psql order by id) to '%s'\n"
                + "select count(*) from t_psql;\n";
        Path pgCsv = dir.resolve("pg.csv");
        Path pgTxt = dir.resolve("pg.txt");
        Path ourCsv = dir.resolve("our.csv");
        Path ourTxt = dir.resolve("our.txt");
        String expected = PsqlRunner.run(host, port, pg.props().getProperty("user"), db, System.getenv("PGPASSWORD"),
                "set search_path = " + SCHEMA + ";\n" + script.formatted(pgCsv, pgTxt));
        String actual = PsqlRunner.run("127.0.0.1", ours.server.port(), "wasmudf", "wasmudf", null, script.formatted(ourCsv, ourTxt));
        assertEquals(expected.replaceFirst("^SET\n", ""), actual);
        assertTrue(actual.contains("COPY 3"), actual);
        assertEquals(Files.readString(pgCsv), Files.readString(ourCsv));
        assertEquals(Files.readString(pgTxt), Files.readString(ourTxt));
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }
}
