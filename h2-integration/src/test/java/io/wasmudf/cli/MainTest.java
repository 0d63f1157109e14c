package io.wasmudf.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The wasmudf command line, run in-process with captured output. */
class MainTest extends CliFixture {
    MainTest() {
        super("cli");
    }

    private Path wasmFile(String name) throws IOException {
        Path f = db.resolveSibling(name + UUID.randomUUID() + ".wasm");
        try (InputStream in = MainTest.class.getResourceAsStream("/wasm/" + name + ".wasm")) {
            Files.write(f, in.readAllBytes());
        }
        return f;
    }

    @Test
    void twoCommandQuickStart() throws IOException {
        assertEquals(0, run("load", "abi", wasmFile("abi").toString(), "--db", db.toString()), err);
        assertTrue(out.startsWith("loaded module abi ("), out);
        assertTrue(out.contains("  upper (i32, i32) -> i32"), out);
        assertEquals(0, run("sql", "--db", db.toString(),
                "CREATE FUNCTION shout(text) RETURNS text LANGUAGE wasm IMMUTABLE STRICT AS 'abi', 'upper'; SELECT shout('hello') AS loud"), err);
        assertEquals("CREATE FUNCTION\n LOUD\n-------\n HELLO\n(1 row)\n\n", out);
    }

    @Test
    void guestOutputIsPrintedAsNoticesOnStderr() throws IOException {
        Path f = db.resolveSibling("hostile" + UUID.randomUUID() + ".wasm");
        Files.write(f, io.wasmudf.udfs.UdfModules.bytes("test-wasi-hostile"));
        assertEquals(0, run("load", "hostile", f.toString(), "--db", db.toString()), err);
        assertEquals(0, run("sql", "--db", db.toString(),
                "CREATE FUNCTION hello(name text) RETURNS text LANGUAGE wasm IMMUTABLE STRICT AS 'hostile'; SELECT hello('cli') AS greeting"), err);
        assertEquals("CREATE FUNCTION\n  GREETING\n------------\n hello, cli\n(1 row)\n\n", out);
        assertEquals("NOTICE:  function hello: stdout: hello, cli\nNOTICE:  function hello: stderr: said hello to cli\n", err);
    }

    /** SET QUERY_TIMEOUT and statement_timeout apply to the statements after them in the same invocation. */
    @Test
    void queryTimeoutAndStatementTimeoutStopALoopInOneInvocation() throws IOException {
        assertEquals(0, run("load", "limits", wasmFile("limits").toString(), "--db", db.toString()), err);
        for (String set : List.of("SET QUERY_TIMEOUT 1000", "SET statement_timeout = '500ms'", "set statement_timeout to 1000")) {
            long start = System.nanoTime();
            int status = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> run("sql",
                    "--db", db.toString(), "CREATE OR REPLACE FUNCTION spin() RETURNS integer LANGUAGE wasm STRICT AS 'limits', 'spin'; "
                            + set + "; SELECT spin()"));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(1, status, out + err);
            assertTrue(err.contains("SQLSTATE: 57014"), err);
            assertTrue(ms < 30_000, set + " took " + ms + " ms");
        }
    }

    @Test
    void alignedOutputLooksLikePsql() {
        assertEquals(0, run("sql", "--db", db.toString(),
                "CREATE TABLE t(id INT, name VARCHAR, b BOOLEAN, x VARBINARY); INSERT INTO t VALUES (1, 'one', TRUE, X'0a0b'), (22, NULL, FALSE, NULL);"
                + " SELECT * FROM t ORDER BY id"), err);
        assertEquals(String.join("\n",
                "CREATE TABLE",
                "INSERT 0 2",
                " ID | NAME | B |   X",
                "----+------+---+--------",
                "  1 | one  | t | \\x0a0b",
                " 22 |      | f |",
                "(2 rows)",
                "",
                ""), out);
    }

    @Test
    void csvOutput() {
        assertEquals(0, run("sql", "--csv", "--db", db.toString(), "SELECT 1 AS a, 'x,y' AS b, NULL AS c, '' AS d UNION ALL SELECT 2, 'q\"', 'z', 'w'"), err);
        assertEquals("A,B,C,D\n1,\"x,y\",,\"\"\n2,\"q\"\"\",z,w\n", out);
    }

    @Test
    void errorsGoToStderrWithSqlstateAndExitNonZero() {
        assertEquals(1, run("sql", "--db", db.toString(), "SELECT 1; DROP FUNCTION nope; SELECT 2"));
        assertTrue(err.contains("ERROR:  could not find a function named \"nope\""), err); // PostgreSQL 15's wording
        assertTrue(err.contains("SQLSTATE: 42883"), err);
        assertTrue(out.contains("(1 row)") && !out.contains(" 2\n"), "stops at the first error: " + out);
        assertEquals(1, run("sql", "--db", db.toString(), "SELECT * FROM missing"));
        assertTrue(err.contains("SQLSTATE: 42S02") || err.contains("SQLSTATE: 42S0"), err);
    }

    @Test
    void trapsReport38000() throws IOException {
        run("load", "abi", wasmFile("abi").toString(), "--db", db.toString());
        assertEquals(1, run("sql", "--db", db.toString(),
                "CREATE FUNCTION d(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'div_i32'; SELECT d(1, 0)"));
        assertTrue(err.contains("function d: wasm trap: integer divide by zero") && err.contains("SQLSTATE: 38000"), err);
    }

    @Test
    void loadTextModule() throws IOException {
        Path wat = db.resolveSibling("add" + UUID.randomUUID() + ".wat");
        Files.writeString(wat, "(module\n  (func (export \"add\") (param i32 i32) (result i32)\n    (i32.add (local.get 0) (local.get 1))))\n");
        assertEquals(0, run("load", "arith", wat.toString(), "--db", db.toString()), err);
        assertTrue(out.startsWith("loaded module arith (text encoded to "), out);
        assertTrue(out.contains("  add (i32, i32) -> i32"), out);
        assertEquals(0, run("sql", "--db", db.toString(),
                "CREATE FUNCTION plus(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS 'arith', 'add'; SELECT plus(2, 3) AS s"), err);
        assertEquals("CREATE FUNCTION\n S\n---\n 5\n(1 row)\n\n", out);
        Path bad = db.resolveSibling("bad" + UUID.randomUUID() + ".wat");
        Files.writeString(bad, "(module\n  (func (result i32) i32.const))\n");
        assertEquals(1, run("load", "bad", bad.toString(), "--db", db.toString()));
        assertTrue(err.contains("module \"bad\": syntax error in the WebAssembly text at line 2, column") && err.contains("SQLSTATE: 42601"), err);
    }

    @Test
    void loadErrors() throws IOException {
        assertEquals(1, run("load", "x", db.resolveSibling("does-not-exist.wasm").toString(), "--db", db.toString()));
        assertTrue(err.contains("cannot read"), err);
        Path junk = db.resolveSibling("junk" + UUID.randomUUID() + ".wasm");
        Files.write(junk, new byte[] {1, 2, 3});
        assertEquals(1, run("load", "junk", junk.toString(), "--db", db.toString()));
        assertTrue(err.contains("SQLSTATE: 42P13"), err);
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run());
        assertEquals(2, run("frobnicate"));
        assertEquals(2, run("sql"));
        assertEquals(2, run("sql", "--db"));
        assertEquals(2, run("load", "onlyname"));
        assertTrue(err.contains("usage:"), err);
        assertEquals(0, run("--help"));
        assertTrue(out.contains("wasmudf sql"));
    }

    @Test
    void classpathPrintsAbsoluteEntries() {
        assertEquals(0, run("classpath"));
        List<String> lines = out.lines().toList();
        String last = lines.get(lines.size() - 1);
        for (String entry : last.split(File.pathSeparator)) {
            assertTrue(new File(entry).isAbsolute(), entry);
        }
    }

    @Test
    void specRunsTheSpecSuiteRunner() throws IOException {
        Path dir = Files.createTempDirectory(db.getParent(), "spec");
        Files.writeString(dir.resolve("tiny.wast"), "(module (func (export \"f\") (result i32) (i32.const 7)))\n"
                + "(assert_return (invoke \"f\") (i32.const 7))\n");
        int status = run("spec", dir.toString());
        assertEquals(0, status, out + err);
        assertTrue(out.contains("tiny                               2       0       0"), out);
        assertTrue(out.endsWith("2 passed, 0 failed, 0 skipped\n"), out);
        assertEquals(2, run("spec"));
    }

    @Test
    void scriptSplitting() {
        assertEquals(List.of("SELECT ';'", "SELECT \"a;b\" FROM t", "-- only a comment;\nCREATE FUNCTION f() RETURNS text LANGUAGE wasm AS $$m;x$$", "SELECT E'\\';'"),
                SqlScript.split("SELECT ';'; SELECT \"a;b\" FROM t;\n-- only a comment;\nCREATE FUNCTION f() RETURNS text LANGUAGE wasm AS $$m;x$$;"
                        + " SELECT E'\\';' ; ;"));
    }

    @Test
    void commandTags() {
        assertEquals("INSERT 0 3", Main.commandTag("insert into t values (1)", 3));
        assertEquals("UPDATE 2", Main.commandTag("UPDATE t SET x = 1", 2));
        assertEquals("CREATE TABLE", Main.commandTag("create cached table t(x int)", 0));
        assertEquals("CREATE FUNCTION", Main.commandTag("CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE wasm AS ?", 0));
        assertEquals("DROP FUNCTION", Main.commandTag("drop function f", 0));
        assertEquals("CREATE VIEW", Main.commandTag("CREATE OR REPLACE VIEW v AS SELECT 1", 0));
    }

    @Test
    void wat2wasmWritesTheBinaryOrReportsLineAndColumn() throws IOException {
        Path wat = db.resolveSibling(db.getFileName() + ".wat");
        Files.writeString(wat, "(module (func (export \"f\") (result i32) (i32.const 42)))");
        assertEquals(0, run("wat2wasm", wat.toString()), err);
        Path wasm = db.resolveSibling(db.getFileName() + ".wasm");
        assertArrayEquals(io.wasmudf.engine.Wat.toBinary(Files.readString(wat)), Files.readAllBytes(wasm));
        Files.writeString(wat, "(module\n  (func (i32.const 0x1_0000_0000)))");
        assertEquals(1, run("wat2wasm", wat.toString(), "-o", wasm.toString()));
        assertTrue(err.contains(".wat:2:20: constant out of range"), err);
    }
}
