package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.connect;
import static io.wasmudf.h2.TestSupport.createManifestFunctions;
import static io.wasmudf.h2.TestSupport.count;
import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.fails;
import static io.wasmudf.h2.TestSupport.one;
import static io.wasmudf.h2.TestSupport.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RETURNS TABLE / RETURNS SETOF on embedded H2 with the C functions of tables.wasm: rows in FROM,
 * NULL columns, STRICT with a NULL argument, joins, replace and drop, persistence, and the bounds
 * (a function producing rows forever, a malformed batch). Compared with PostgreSQL in
 * io.wasmudf.pg.PgTableFunctionTest.
 */
class TableFunctionTest extends PerTestDatabase {
    @BeforeEach
    void createFunctions() throws SQLException {
        createManifestFunctions(c, "tables");
    }

    @Test
    void withoutClauseItIsStrictAndTheNoticeSaysNoRows() throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE FUNCTION words2(s text) RETURNS TABLE (word text, pos integer) LANGUAGE wasm IMMUTABLE AS 'tables', 'split_words'");
            SQLWarning w = st.getWarnings();
            assertTrue(w != null && w.getMessage().contains("a NULL argument gives no rows without a call"), String.valueOf(w));
        }
        assertEquals(List.of(), rows(c, "SELECT * FROM words2(CAST(NULL AS VARCHAR))"));
    }

    @Test
    void rowsInFrom() throws SQLException {
        assertEquals(List.of(List.of("a", 1), List.of("bb", 2), List.of("ccc", 3)), rows(c, "SELECT * FROM split_words('a  bb ccc')"));
        assertEquals(List.of(List.of("bb")), rows(c, "SELECT word FROM split_words(?) WHERE pos = 2", "a bb ccc"));
        assertEquals(List.of(), rows(c, "SELECT * FROM split_words('')"));
        assertEquals(List.of(), rows(c, "SELECT * FROM split_words(NULL)"), "STRICT: no rows for NULL");
        assertEquals(List.of(List.of(1), List.of(2), List.of(3)), rows(c, "SELECT * FROM series(3)"));
        assertEquals(6L, count(c, "SELECT SUM(series) FROM series(3)"), "a SETOF column is named after the function");
        assertEquals(List.of(Arrays.asList((Object) null), List.of(2L), Arrays.asList((Object) null), List.of(4L)),
                rows(c, "SELECT * FROM evens_or_null(4)"));
        assertEquals(500500L, count(c, "SELECT SUM(series) FROM series(1000)"));
        assertEquals(List.of(List.of(1, "a"), List.of(2, "bb")), rows(c, "SELECT s.series, w.word FROM series(3) s JOIN split_words('a bb') w ON w.pos = s.series ORDER BY 1"));
    }

    @Test
    void noLateralInH2() {
        // H2 has no LATERAL: a function table's arguments cannot refer to another FROM item (README, "Table functions")
        SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
                () -> rows(c, "SELECT t.s, w.word FROM (VALUES ('a b'), ('c')) t(s), split_words(t.s) w"));
        assertTrue(e.getMessage().contains("\"T.S\" not found"), e.getMessage());
    }

    @Test
    void boundedAndMalformed() throws SQLException {
        SQLException e = fails("53200", () -> rows(c, "SELECT COUNT(*) FROM forever()"));
        assertTrue(e.getMessage().contains("forever"), e.getMessage());
        e = fails("38000", () -> rows(c, "SELECT * FROM bad_batch()"));
        assertTrue(e.getMessage().contains("bad_batch"), e.getMessage());
        assertEquals(List.of(List.of(1)), rows(c, "SELECT * FROM series(1)"), "the connection stays usable");
    }

    @Test
    void replaceDropAndReopen() throws SQLException {
        // PostgreSQL refuses OR REPLACE with another result type (SETOF integer to SETOF bigint); drop, then create
        fails("42P13", () -> exec(c, "CREATE OR REPLACE FUNCTION series(n integer) RETURNS SETOF bigint LANGUAGE wasm STRICT AS 'tables', 'evens_or_null'"));
        exec(c, "DROP FUNCTION series(integer)");
        exec(c, "CREATE FUNCTION series(n integer) RETURNS SETOF bigint LANGUAGE wasm STRICT AS 'tables', 'evens_or_null'");
        exec(c, "CREATE OR REPLACE FUNCTION series(n integer) RETURNS SETOF bigint LANGUAGE wasm STRICT AS 'tables', 'evens_or_null'");
        assertEquals(List.of(Arrays.asList((Object) null), List.of(2L)), rows(c, "SELECT * FROM series(2)"));
        exec(c, "DROP FUNCTION series(integer)");
        fails("90022", () -> rows(c, "SELECT * FROM series(2)"));
        assertEquals(5L, count(c, "SELECT COUNT(*) FROM wasm.function_columns"), "split_words 2, evens_or_null, forever, bad_batch 1 each");
        Path db = TestSupport.fileDb();
        String url = "jdbc:wasm:file:" + db;
        try (Connection f = connect(url)) {
            createManifestFunctions(f, "tables");
            assertEquals(List.of(List.of("x", 1)), rows(f, "SELECT * FROM split_words('x')"));
        }
        try (Connection f = connect(url)) {
            assertEquals(List.of(List.of("y", 1), List.of("z", 2)), rows(f, "SELECT * FROM split_words('y z')"));
        }
    }
}
