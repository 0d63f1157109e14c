package io.wasmudf.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Statements that succeed leave no stack trace in the database's {@code .trace.db}: H2 writes one
 * for every exception its JDBC layer reports, so the catalog's own probes (does the catalog
 * exist yet, is a name one of H2's built-in functions) must not go through it.
 */
class TraceFileTest {
    private static String trace(Path db) throws java.io.IOException {
        Path f = Path.of(db + ".trace.db");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    @Test
    void successfulDdlAndCallsWriteNoTrace() throws Exception {
        Path db = TestSupport.fileDb();
        String url = "jdbc:wasm:file:" + db;
        try (Connection c = TestSupport.connect(url)) {
            TestSupport.upload(c, "abi", TestSupport.wasm("abi"));
            TestSupport.exec(c, "CREATE FUNCTION d(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'div_i32'");
            assertEquals(2, TestSupport.one(c, "SELECT d(6, 3)"));
            TestSupport.exec(c, "CREATE OR REPLACE FUNCTION d(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'div_i32'");
            TestSupport.exec(c, "DROP FUNCTION d");
        }
        try (Connection c = TestSupport.connect(url)) {
            TestSupport.exec(c, "CREATE FUNCTION d2(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'div_i32'");
            assertEquals(3, TestSupport.one(c, "SELECT d2(9, 3)"));
            // the probe for built-in names still refuses a name H2 would resolve first
            SQLException hidden = assertThrows(SQLException.class,
                    () -> TestSupport.exec(c, "CREATE FUNCTION mod(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'div_i32'"));
            assertEquals("42723", hidden.getSQLState());
        }
        String trace = trace(db);
        assertFalse(trace.contains("not found"), trace);
        assertFalse(trace.contains("at io.wasmudf.h2.CatalogStore") || trace.contains("at io.wasmudf.h2.CreateFunctionHandler.shadowedByBuiltin"),
                trace);
    }
}
