package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SqlTextTest {
    @Test
    void splitRespectsLiteralsCommentsAndDollarQuotes() {
        assertEquals(List.of("select 'a;b'", "select \"x;y\" from t", "select $$ ; $$", "select $tag$ a;b $tag$", "select 1 -- c;\n"
                + "+ 2", "select /* ; /* ; */ */ 3"),
                SqlText.split("select 'a;b'; select \"x;y\" from t;select $$ ; $$ ;select $tag$ a;b $tag$;select 1 -- c;\n+ 2;"
                        + " select /* ; /* ; */ */ 3;;"));
        assertTrue(SqlText.split("  ; -- only a comment\n ;").isEmpty());
        assertEquals(List.of("select E'it\\'s;' as x"), SqlText.split("select E'it\\'s;' as x;"));
    }

    @Test
    void placeholdersBecomeJdbcMarkersInOrder() {
        SqlText.Placeholders p = SqlText.toJdbc("select $2, '$1', $1 + $2, x$1 from t where a = $10");
        assertEquals("select ?, '$1', ? + ?, x$1 from t where a = ?", p.sql());
        assertArrayEquals(new int[] {1, 0, 1, 9}, p.order());
        assertEquals(10, p.count());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"insert into t values (1)|3|INSERT 0 3", "UPDATE t set x = 1|2|UPDATE 2", "delete from t|0|DELETE 0",
        "create table t(x int)|0|CREATE TABLE", "CREATE OR REPLACE FUNCTION f() ...|0|CREATE FUNCTION",
        "create unique index i on t(x)|0|CREATE INDEX", "drop function f|0|DROP FUNCTION", "create temp table x(y int)|0|CREATE TABLE",
        "/* c */ alter table t add y int|0|ALTER TABLE", "truncate t|0|TRUNCATE TABLE", "begin|0|BEGIN"})
    void commandTags(String sql, long count, String tag) {
        assertEquals(tag, SqlText.commandTag(sql, count));
    }

    @Test
    void byteaHexLiteralsAreRewrittenOnlyInDataStatements() {
        assertEquals("insert into t values (X'0102', '\\x1', E'\\x01', 'x')",
                SqlText.rewriteByteaLiterals("insert into t values ('\\x0102', '\\x1', E'\\x01', 'x')"));
        String ddl = "create function f(a bytea) returns int language wasm as '\\x0061736d'";
        assertEquals(ddl, SqlText.rewriteByteaLiterals(ddl));
    }
}
