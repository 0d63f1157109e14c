package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.connect;
import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.fails;
import static io.wasmudf.h2.TestSupport.one;
import static io.wasmudf.h2.TestSupport.upload;
import static io.wasmudf.h2.TestSupport.wasm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** ALTER FUNCTION … RENAME TO as in PostgreSQL: same function (description kept), new name, old name gone, persisted. */
class AlterFunctionRenameTest {

    @Test
    void renamesKeepingTheFunction() throws SQLException {
        String url = "jdbc:wasm:file:" + TestSupport.fileDb();
        try (Connection c = connect(url); Connection other = connect(url)) {
            upload(c, "abi", wasm("abi"));
            exec(c, "CREATE FUNCTION plus(a integer, b integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'add_i32'");
            exec(c, "CREATE FUNCTION sub_two(a integer, b integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'add_i32'");
            exec(c, "COMMENT ON FUNCTION plus IS 'adds'");
            assertEquals(3, one(other, "SELECT plus(1, 2)"));
            exec(c, "ALTER FUNCTION plus(integer, integer) RENAME TO add_two");
            assertEquals(5, one(c, "SELECT add_two(2, 3)"));
            assertEquals(7, one(other, "SELECT add_two(3, 4)"), "a session that had called it under the old name");
            assertThrows(SQLException.class, () -> one(other, "SELECT plus(1, 2)"));
            assertEquals("adds", one(c, "SELECT c.description FROM wasm.function_comments c JOIN wasm.functions f ON f.id = c.function_id"
                    + " WHERE f.name = 'ADD_TWO'"));
            SQLException taken = fails("42723", () -> exec(c, "ALTER FUNCTION add_two RENAME TO sub_two"));
            assertEquals("function sub_two(integer, integer) already exists in schema \"public\"", taken.getMessage());
            fails("42723", () -> exec(c, "ALTER FUNCTION add_two RENAME TO mod"));
            fails("42883", () -> exec(c, "ALTER FUNCTION plus RENAME TO p2"));
            fails("42883", () -> exec(c, "ALTER FUNCTION add_two(text) RENAME TO p2"));
            fails("0A000", () -> exec(c, "ALTER FUNCTION add_two PARALLEL SAFE"));
            fails("0A000", () -> exec(c, "ALTER FUNCTION add_two SECURITY DEFINER"));
            assertEquals(5, one(c, "SELECT add_two(2, 3)"), "failed renames change nothing");
        }
        try (Connection c = connect(url)) {
            assertEquals(9, one(c, "SELECT add_two(4, 5)"), "the new name is persisted");
            assertEquals(2L, TestSupport.count(c, "SELECT COUNT(*) FROM wasm.functions"));
        }
    }

    @Test
    void onlyTheOwnerRenames() throws SQLException {
        String url = TestSupport.memUrl();
        try (Connection admin = connect(url)) {
            exec(admin, "CREATE USER bob PASSWORD 'pw'");
            upload(admin, "abi", wasm("abi"));
            exec(admin, "CREATE FUNCTION plus(a integer, b integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'add_i32'");
            try (Connection bob = DriverManager.getConnection(TestSupport.withoutSettings(url), "bob", "pw")) {
                fails("42501", () -> exec(bob, "ALTER FUNCTION plus RENAME TO bobs"));
            }
            assertEquals(3, one(admin, "SELECT plus(1, 2)"));
        }
    }
}
