package io.wasmudf.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one command-tag routine the wire server and the CLI share. */
class CommandTagTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "insert into t values (1)|3|INSERT 0 3", "UPDATE t set x = 1|2|UPDATE 2", "delete from t|0|DELETE 0",
        "create table t(x int)|0|CREATE TABLE", "create cached table t(x int)|0|CREATE TABLE",
        "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE wasm AS ?|0|CREATE FUNCTION", "drop function f|0|DROP FUNCTION",
        "CREATE OR REPLACE VIEW v AS SELECT 1|0|CREATE VIEW", "create unique index i on t(x)|0|CREATE INDEX",
        "create temp table x(y int)|0|CREATE TABLE", "/* c */ alter table t add y int|0|ALTER TABLE",
        "/* a /* nested */ comment */ create materialized view m as select 1|0|CREATE MATERIALIZED VIEW", "truncate t|0|TRUNCATE TABLE",
        "begin|0|BEGIN", "start transaction|0|BEGIN", "end|0|COMMIT", "abort|0|ROLLBACK", "(select 1)|1|SELECT 1",
        "merge into t using s on true when matched then delete|-1|MERGE 0"})
    void tags(String sql, long count, String tag) {
        assertEquals(tag, CommandTag.of(sql, count));
    }
}
