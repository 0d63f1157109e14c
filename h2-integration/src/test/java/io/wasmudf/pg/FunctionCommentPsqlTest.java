package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** COMMENT ON FUNCTION and ALTER FUNCTION … RENAME TO over the wire: psql's \df+ shows the description as PostgreSQL 15 does. */
class FunctionCommentPsqlTest {
    /** The Description column of each row of an unaligned \df+ listing. */
    private static List<String> descriptions(String psqlOutput) {
        List<String> lines = psqlOutput.lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("Schema|Name|")).findFirst().orElseThrow());
        assertEquals("Description", lines.get(header).substring(lines.get(header).lastIndexOf('|') + 1), psqlOutput);
        return lines.subList(header + 1, lines.size()).stream().filter(l -> l.contains("|"))
                .map(l -> l.substring(l.lastIndexOf('|') + 1)).toList();
    }

    @Test
    void dfPlusShowsTheDescription() throws Exception {
        io.wasmudf.h2.Required.resource(PsqlRunner.psql() != null, "FunctionCommentPsqlTest: psql is not installed");
        RealPostgres.Target pg = RealPostgres.find();
        String fn = "cmt_plus_" + ProcessHandle.current().pid();
        String host = System.getenv().getOrDefault("PGHOST", "127.0.0.1");
        int port = Integer.parseInt(System.getenv().getOrDefault("PGPORT", "5432"));
        String db = System.getenv().getOrDefault("PGDATABASE", "test");
        String user = pg.props().getProperty("user");
        String setComment = "comment on function " + fn + " is 'adds two integers; \"quoted\"';\n";
        String dropComment = "comment on function " + fn + "(integer, integer) is null;\n";
        String show = "\\df+ " + fn + "\n";
        String created = PsqlRunner.run(host, port, user, db, System.getenv("PGPASSWORD"),
                "create function " + fn + "(a integer, b integer) returns integer language sql strict as 'select a + b';\n");
        io.wasmudf.h2.Required.resource(created.contains("CREATE FUNCTION"), "no PostgreSQL to compare with: " + created);
        try (PgTestServer ours = new PgTestServer(null, true)) {
            String hex = java.util.HexFormat.of().formatHex(PgTestServer.module("math"));
            String mine = PsqlRunner.run("127.0.0.1", ours.server.port(), "wasmudf", "wasmudf", null,
                    "insert into wasm.modules(name, bytes) values ('math', '\\x" + hex + "');\ncreate function " + fn
                    + "(a integer, b integer) returns integer language wasm strict as 'math', 'add_i32';\n");
            assertEquals("INSERT 0 1\nCREATE FUNCTION\n", mine);
            for (String step : List.of(setComment, dropComment)) {
                String expected = PsqlRunner.run(host, port, user, db, System.getenv("PGPASSWORD"), step + show);
                String actual = PsqlRunner.run("127.0.0.1", ours.server.port(), "wasmudf", "wasmudf", null, step + show);
                if (step == setComment) {
                    assertEquals(descriptions(expected), descriptions(actual), expected + "\n---\n" + actual);
                    assertEquals(List.of("adds two integers; \"quoted\""), descriptions(actual), actual);
                } else {
                    // without a comment PostgreSQL shows nothing; this server shows the function's wasm.grants there
                    assertEquals(List.of(""), descriptions(expected), expected);
                    assertEquals(List.of("wasm.grants = 'clock=real,random=real'"), descriptions(actual), actual);
                }
            }
            // ALTER FUNCTION … RENAME TO keeps the function and its description
            String rename = setComment + "alter function " + fn + "(integer, integer) rename to " + fn + "_r;\n\\df+ " + fn + "_r\n";
            String expected = PsqlRunner.run(host, port, user, db, System.getenv("PGPASSWORD"), rename);
            String actual = PsqlRunner.run("127.0.0.1", ours.server.port(), "wasmudf", "wasmudf", null, rename);
            assertEquals(descriptions(expected), descriptions(actual), expected + "\n---\n" + actual);
            assertEquals(expected.lines().limit(2).toList(), actual.lines().limit(2).toList());
            assertEquals(List.of("COMMENT", "ALTER FUNCTION"), actual.lines().limit(2).toList());
        } finally {
            PsqlRunner.run(host, port, user, db, System.getenv("PGPASSWORD"), "drop function if exists " + fn + ";\ndrop function if exists "
                    + fn + "_r;\n");
        }
    }
}
