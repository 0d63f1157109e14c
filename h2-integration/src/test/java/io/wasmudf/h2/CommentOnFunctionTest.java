package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.connect;
import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.fails;
import static io.wasmudf.h2.TestSupport.memUrl;
import static io.wasmudf.h2.TestSupport.one;
import static io.wasmudf.h2.TestSupport.upload;
import static io.wasmudf.h2.TestSupport.wasm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** COMMENT ON FUNCTION as in PostgreSQL: the owner's description, kept by CREATE OR REPLACE, gone with DROP. */
class CommentOnFunctionTest {
    private static final String CREATE = "FUNCTION plus(a integer, b integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'add_i32'";

    private static Object description(Connection c) throws SQLException {
        return one(c, "SELECT (SELECT c.description FROM wasm.function_comments c WHERE c.function_id = f.id) FROM wasm.functions f"
                + " WHERE f.name = 'PLUS'");
    }

    @Test
    void describesKeepsAndForgets() throws SQLException {
        String url = memUrl();
        try (Connection c = connect(url)) {
            upload(c, "abi", wasm("abi"));
            exec(c, "CREATE " + CREATE);
            exec(c, "COMMENT ON FUNCTION plus IS 'adds two integers'");
            assertEquals("adds two integers", description(c));
            exec(c, "CREATE OR REPLACE " + CREATE);
            assertEquals("adds two integers", description(c), "CREATE OR REPLACE keeps the description, as in PostgreSQL");
            exec(c, "COMMENT ON FUNCTION public.plus(integer, integer) IS 'it''s new'");
            assertEquals("it's new", description(c));
            exec(c, "COMMENT ON FUNCTION plus(int4, int4) IS ''");
            assertNull(description(c), "an empty comment removes it");
            exec(c, "COMMENT ON FUNCTION plus IS 'again'");
            fails("42883", () -> exec(c, "COMMENT ON FUNCTION plus(text) IS 'x'"));
            fails("42883", () -> exec(c, "COMMENT ON FUNCTION nope IS 'x'"));
            fails("42601", () -> exec(c, "COMMENT ON FUNCTION plus IS 42"));
            exec(c, "DROP FUNCTION plus");
            assertEquals(0L, TestSupport.count(c, "SELECT COUNT(*) FROM wasm.function_comments"), "DROP FUNCTION drops its description");
            // H2's own COMMENT ON still works for tables
            exec(c, "CREATE TABLE t(a INT)");
            exec(c, "COMMENT ON TABLE t IS 'a table'");
        }
    }

    @Test
    void onlyTheOwnerComments() throws SQLException {
        String url = memUrl();
        try (Connection admin = connect(url)) {
            exec(admin, "CREATE USER bob PASSWORD 'pw'");
            upload(admin, "abi", wasm("abi"));
            exec(admin, "CREATE " + CREATE);
            try (Connection bob = DriverManager.getConnection(TestSupport.withoutSettings(url), "bob", "pw")) {
                SQLException e = fails("42501", () -> exec(bob, "COMMENT ON FUNCTION plus IS 'mine now'"));
                assertEquals("must be owner of function plus", e.getMessage());
                fails("90096", () -> exec(bob, "DELETE FROM wasm.function_comments")); // H2's "not enough rights"
            }
            assertNull(description(admin));
        }
    }
}
