package io.wasmudf.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLWarning;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code wasmudf sql -f} and {@code --continue-on-error}: psql's exit statuses, error prefixes and aborted blocks. */
class ScriptRunnerTest extends CliFixture {
    ScriptRunnerTest() {
        super("script");
    }

    private Path script(String text) throws IOException {
        Path f = db.resolveSibling("s" + UUID.randomUUID() + ".sql");
        Files.writeString(f, text);
        return f;
    }

    private static final String SCRIPT = String.join("\n",
            "CREATE TABLE t(a INT PRIMARY KEY);",
            "INSERT INTO t VALUES (1);",
            "INSERT INTO t",
            "  VALUES (1);",
            "INSERT INTO t VALUES (2);",
            "SELECT COUNT(*) AS n FROM t;",
            "");

    /** Like psql -v ON_ERROR_STOP=1 -f: the first error stops the script with status 3, named by file and line. */
    @Test
    void aScriptStopsAtItsFirstErrorWithStatus3() throws IOException {
        Path f = script(SCRIPT);
        assertEquals(3, run("sql", "--db", db.toString(), "-f", f.toString()));
        assertTrue(err.startsWith("wasmudf:" + f + ":4: ERROR:  "), err);
        assertTrue(err.contains("SQLSTATE: 23505"), err);
        assertEquals("CREATE TABLE\nINSERT 0 1\n", out);
        assertEquals(0, run("sql", "--db", db.toString(), "SELECT COUNT(*) AS n FROM t"), err);
        assertTrue(out.contains(" 1\n"), out);
    }

    /** Like psql's default ON_ERROR_STOP=0: every statement runs, each error is printed, the status is 0. */
    @Test
    void continueOnErrorRunsEveryStatement() throws IOException {
        Path f = script(SCRIPT + "SELECT nope;\nSELECT 7 AS seven;\n");
        assertEquals(0, run("sql", "--db", db.toString(), "--continue-on-error", "-f", f.toString()));
        assertTrue(err.contains("wasmudf:" + f + ":4: ERROR:  ") && err.contains("wasmudf:" + f + ":7: ERROR:  "), err);
        assertTrue(out.contains("INSERT 0 1\nINSERT 0 1\n"), out);
        assertTrue(out.contains(" 2\n") && out.contains("     7\n"), out);
    }

    /** As in PostgreSQL, an error aborts the transaction block: nothing of it is committed, COMMIT answers ROLLBACK. */
    @Test
    void anErrorAbortsTheBlockAsInPostgres() throws IOException {
        Path f = script(String.join("\n",
                "CREATE TABLE t(a INT);",
                "BEGIN;",
                "INSERT INTO t VALUES (1);",
                "SELECT 1/0;",
                "INSERT INTO t VALUES (2);",
                "COMMIT;",
                "INSERT INTO t VALUES (3);",
                "BEGIN;",
                "INSERT INTO t VALUES (4);",
                "SAVEPOINT s;",
                "SELECT 1/0;",
                "ROLLBACK TO SAVEPOINT s;",
                "INSERT INTO t VALUES (5);",
                "COMMIT;",
                "SELECT a FROM t ORDER BY a;",
                ""));
        assertEquals(0, run("sql", "--db", db.toString(), "--continue-on-error", "-f", f.toString()));
        assertTrue(err.contains(":4: ERROR:  Division by zero") || err.contains(":4: ERROR:  division by zero"), err);
        assertTrue(err.contains(":5: ERROR:  current transaction is aborted, commands ignored until end of transaction block\nSQLSTATE: 25P02"),
                err);
        assertTrue(out.contains("ROLLBACK\n"), out);
        assertEquals(" A\n---\n 3\n 4\n 5\n(3 rows)\n\n", out.substring(out.indexOf(" A\n")), "1 and 2 were rolled back");
    }

    /** The same script under psql -v ON_ERROR_STOP=0 on PostgreSQL 15: the same statements fail and the same rows stay. */
    @Test
    void continueOnErrorMatchesPsqlOnPostgres() throws Exception {
        String psql = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator))
                .map(d -> new java.io.File(d, "psql")).filter(java.io.File::canExecute).map(java.io.File::getPath).findFirst().orElse(null);
        io.wasmudf.h2.Required.resource(psql != null, "ScriptRunnerTest: psql is not installed");
        String schema = "copycli_cli_" + ProcessHandle.current().pid();
        String body = String.join("\n",
                "CREATE TABLE t(a INT PRIMARY KEY);",
                "INSERT INTO t VALUES (1);",
                "INSERT INTO t VALUES (1);",
                "BEGIN;",
                "INSERT INTO t VALUES (2);",
                "SELECT 1/0;",
                "INSERT INTO t VALUES (3);",
                "COMMIT;",
                "BEGIN;",
                "INSERT INTO t VALUES (4);",
                "SAVEPOINT s;",
                "INSERT INTO t VALUES (4);",
                "INSERT INTO t VALUES (5);",
                "ROLLBACK TO SAVEPOINT s;",
                "INSERT INTO t VALUES (6);",
                "END;",
                "BEGIN;",
                "INSERT INTO t VALUES (7);",
                "ROLLBACK;",
                "INSERT INTO t VALUES (8);",
                "SELECT a FROM t ORDER BY a;",
                "");
        Path pgScript = script("SET search_path = " + schema + ";\n" + body);
        ProcessBuilder pb = new ProcessBuilder(psql, "-X", "-A", "-t", "-h", System.getenv().getOrDefault("PGHOST", "127.0.0.1"), "-p",
                System.getenv().getOrDefault("PGPORT", "5432"), "-U", System.getenv().getOrDefault("PGUSER", "postgres"), "-d",
                System.getenv().getOrDefault("PGDATABASE", "test"), "-v", "ON_ERROR_STOP=0", "-c", "CREATE SCHEMA " + schema, "-f",
                pgScript.toString(), "-c", "DROP SCHEMA " + schema + " CASCADE").redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        String pg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), pg);
        io.wasmudf.h2.Required.resource(pg.contains("CREATE SCHEMA"), "no PostgreSQL to compare with: " + pg);
        Path ours = script(body);
        assertEquals(0, run("sql", "--db", db.toString(), "--continue-on-error", "-f", ours.toString()));
        // psql counts the SET line we put first; the error lines are the same statements
        java.util.List<Integer> pgErrors = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(":(\\d+): ERROR:").matcher(pg);
        while (m.find()) {
            pgErrors.add(Integer.parseInt(m.group(1)) - 1);
        }
        java.util.List<Integer> ourErrors = new java.util.ArrayList<>();
        m = java.util.regex.Pattern.compile(":(\\d+): ERROR:").matcher(err);
        while (m.find()) {
            ourErrors.add(Integer.parseInt(m.group(1)));
        }
        assertEquals(pgErrors, ourErrors, pg + "\n---\n" + err);
        String pgRows = pg.lines().filter(l -> l.matches("\\d+")).reduce("", (a, b) -> a + b + " ");
        String ourRows = out.substring(out.lastIndexOf("---")).lines().filter(l -> l.strip().matches("\\d+"))
                .reduce("", (a, b) -> a + b.strip() + " ");
        assertEquals(pgRows, ourRows, pg + "\n---\n" + out);
    }

    @Test
    void usageAndMissingFiles() throws IOException {
        assertEquals(1, run("sql", "--db", db.toString(), "-f", db.resolveSibling("missing.sql").toString()));
        assertTrue(err.contains("missing.sql: No such file or directory"), err);
        assertEquals(2, run("sql", "--db", db.toString(), "-f", script("SELECT 1;").toString(), "SELECT 2"));
        assertEquals(1, run("sql", "--db", db.toString(), "SELECT 1/0; SELECT 2"), "statements on the command line stop with 1, as psql -c");
    }

    /** Notices and warnings a statement or the connection reports are printed as psql prints them. */
    @Test
    void noticesAndWarningsArePrinted() throws Exception {
        try (Connection h2 = DriverManager.getConnection("jdbc:h2:mem:notices")) {
            SQLWarning warnings = new SQLWarning("function f was created as STRICT", "00000");
            warnings.setNextWarning(new SQLWarning("careful", "01000"));
            Connection c = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                    (p, m, a) -> m.getName().equals("getWarnings") ? warnings : m.invoke(h2, a));
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            int status = new ScriptRunner(new PrintStream(new ByteArrayOutputStream()), new PrintStream(e, true, StandardCharsets.UTF_8),
                    false, false, "x.sql").run(c, SqlScript.pieces("\nSELECT 1;"));
            assertEquals(0, status);
            assertEquals("wasmudf:x.sql:2: NOTICE:  function f was created as STRICT\nwasmudf:x.sql:2: WARNING:  careful\n",
                    e.toString(StandardCharsets.UTF_8));
        }
    }
}
