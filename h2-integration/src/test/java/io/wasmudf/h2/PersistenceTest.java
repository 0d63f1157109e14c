package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.connect;
import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.hex;
import static io.wasmudf.h2.TestSupport.one;
import static io.wasmudf.h2.TestSupport.upload;
import static io.wasmudf.h2.TestSupport.wasm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Functions survive closing and reopening a file database, in this JVM and in a new one. */
class PersistenceTest {

    private static void createAll(Connection c) throws SQLException {
        upload(c, "abi", wasm("abi"));
        exec(c, "CREATE FUNCTION plus(integer, integer) RETURNS integer LANGUAGE wasm IMMUTABLE STRICT AS 'abi', 'add_i32'");
        exec(c, "CREATE FUNCTION shout(text) RETURNS text LANGUAGE wasm STRICT AS 'abi', 'upper'");
        exec(c, "CREATE FUNCTION opt_len(text) RETURNS integer LANGUAGE wasm CALLED ON NULL INPUT AS X'" + hex(wasm("abi")) + "'");
    }

    @Test
    void survivesReopenInTheSameJvm() throws SQLException {
        Path db = TestSupport.fileDb();
        String url = "jdbc:wasm:file:" + db;
        try (Connection c = connect(url)) {
            createAll(c);
            assertEquals(3, one(c, "SELECT plus(1, 2)"));
        }
        try (Connection c = connect(url)) {
            assertEquals(30, one(c, "SELECT plus(10, 20)"));
            assertEquals("HELLO", one(c, "SELECT shout('hello')"));
            assertEquals(-1, one(c, "SELECT opt_len(NULL)"));
            exec(c, "DROP FUNCTION shout");
        }
        try (Connection c = connect(url)) {
            assertEquals(0L, ((Number) one(c, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.ROUTINES WHERE ROUTINE_NAME = 'SHOUT'")).longValue());
            assertEquals(2L, ((Number) one(c, "SELECT COUNT(*) FROM wasm.functions")).longValue());
        }
    }

    @Test
    void survivesReopenInANewJvm() throws Exception {
        Path db = TestSupport.fileDb();
        try (Connection c = connect("jdbc:wasm:file:" + db)) {
            createAll(c);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), "io.wasmudf.cli.Main",
                "sql", "--db", db.toString(), "--csv", "SELECT plus(40, 2) AS a, shout('new jvm') AS b, opt_len(NULL) AS c"));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM timed out");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertEquals("A,B,C\n42,NEW JVM,-1\n", out.replace("\r", ""));
        assertTrue(new File(db + ".mv.db").exists());
    }
}
