package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * psql's \sf and \df+ over the wire against PostgreSQL 15 for the equivalent C function (the
 * closest PostgreSQL has to {@code AS 'module', 'export'}): the same text once the language,
 * library and symbol are swapped, after CREATE and after each ALTER FUNCTION.
 */
class FunctionDefinitionPsqlTest {
    private static final String PG_AS = "'$libdir/plpgsql', $function$plpgsql_call_handler$function$";
    private static final String OUR_AS = "'math', $function$add_i32$function$";

    /** PostgreSQL's output with the C function's language, library and symbol as the wasm function's. */
    private static String asWasm(String pgOutput) {
        return pgOutput.replace("LANGUAGE c\n", "LANGUAGE wasm\n").replace(PG_AS, OUR_AS).replace("|c|plpgsql_call_handler|", "|wasm|add_i32|");
    }

    @Test
    void sfAndDfPlusMatchPostgres() throws Exception {
        io.wasmudf.h2.Required.resource(PsqlRunner.psql() != null, "FunctionDefinitionPsqlTest: psql is not installed");
        RealPostgres.Target pg = RealPostgres.find();
        String fn = "sf_plus_" + ProcessHandle.current().pid();
        String host = System.getenv().getOrDefault("PGHOST", "127.0.0.1");
        int port = Integer.parseInt(System.getenv().getOrDefault("PGPORT", "5432"));
        String db = System.getenv().getOrDefault("PGDATABASE", "test");
        String user = pg.props().getProperty("user");
        String pw = System.getenv("PGPASSWORD");
        String decl = "(a integer, b integer) returns integer language %s immutable strict"
                + " set wasm.max_memory = '16MB' set wasm.fuel = 100000 set wasm.timeout = '5s' as %s;\n";
        String created = PsqlRunner.run(host, port, user, db, pw, "create function " + fn
                + String.format(decl, "c", "'$libdir/plpgsql', 'plpgsql_call_handler'"));
        io.wasmudf.h2.Required.resource(created.contains("CREATE FUNCTION"), "no PostgreSQL (superuser) to compare with: " + created);
        try (PgTestServer ours = new PgTestServer(null, true)) {
            String hex = java.util.HexFormat.of().formatHex(PgTestServer.module("math"));
            String mine = PsqlRunner.run("127.0.0.1", ours.server.port(), "wasmudf", "wasmudf", null,
                    "insert into wasm.modules(name, bytes) values ('math', '\\x" + hex + "');\ncreate function " + fn
                    + String.format(decl, "wasm", "'math', 'add_i32'"));
            assertEquals("INSERT 0 1\nCREATE FUNCTION\n", mine);
            String show = "\\sf " + fn + "\n\\sf " + fn + "(integer, integer)\n\\df+ " + fn + "\n";
            for (String step : List.of("", "alter function " + fn + " stable reset wasm.fuel;\n",
                    "alter function " + fn + "(integer, integer) volatile called on null input set wasm.timeout to default;\n",
                    "alter function " + fn + " reset all;\n")) {
                String expected = asWasm(PsqlRunner.run(host, port, user, db, pw, step + show));
                String actual = PsqlRunner.run("127.0.0.1", ours.server.port(), "wasmudf", "wasmudf", null, step + show);
                if (step.contains("called on null input")) {
                    // the add_i32 export takes plain values: CALLED ON NULL INPUT is refused, so the function stays STRICT
                    assertTrue(actual.contains("ERROR:  function " + fn + ": export \"add_i32\" has signature"), actual);
                    step = "alter function " + fn + "(integer, integer) volatile set wasm.timeout to default;\n";
                    PsqlRunner.run(host, port, user, db, pw, "alter function " + fn + " strict;\n");
                    expected = asWasm(PsqlRunner.run(host, port, user, db, pw, step + show));
                    actual = PsqlRunner.run("127.0.0.1", ours.server.port(), "wasmudf", "wasmudf", null, step + show);
                }
                assertEquals(dfPlusSansOwnerAndDescription(expected), dfPlusSansOwnerAndDescription(actual),
                        "after «" + step + "»\n" + expected + "\n---\n" + actual);
            }
            String missing = "\\sf " + fn + "_missing\n";
            String expected = PsqlRunner.run(host, port, user, db, pw, missing);
            assertTrue(expected.contains("ERROR:  function \"" + fn + "_missing\" does not exist"), expected);
            assertEquals(expected, PsqlRunner.run("127.0.0.1", ours.server.port(), "wasmudf", "wasmudf", null, missing));
        } finally {
            PsqlRunner.run(host, port, user, db, pw, "drop function if exists " + fn + ";\n");
        }
    }

    /** The output with \df+'s Owner and Description cells blanked (the roles differ; this server shows wasm.grants there). */
    private static String dfPlusSansOwnerAndDescription(String out) {
        StringBuilder sb = new StringBuilder();
        for (String line : out.split("\n", -1)) {
            String[] cells = line.split("\\|", -1);
            if (cells.length == 13) {
                cells[7] = "";
                cells[12] = "";
                line = String.join("|", cells);
            }
            sb.append(line).append('\n');
        }
        return sb.toString();
    }
}
