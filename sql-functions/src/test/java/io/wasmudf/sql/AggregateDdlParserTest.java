package io.wasmudf.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

class AggregateDdlParserTest {

    @Test
    void recognisesPostgresFormOnly() {
        assertTrue(FunctionDdlParser.isFunctionDdl("CREATE AGGREGATE a(integer) (SFUNC = f, STYPE = integer)"));
        assertTrue(FunctionDdlParser.isFunctionDdl("create or replace aggregate s.a (integer) (sfunc = f, stype = integer)"));
        assertTrue(FunctionDdlParser.isFunctionDdl("DROP AGGREGATE a(integer)"));
        assertTrue(FunctionDdlParser.isFunctionDdl("DROP AGGREGATE IF EXISTS s.a(integer, text)"));
        // H2's own forms go to H2
        assertFalse(FunctionDdlParser.isFunctionDdl("CREATE AGGREGATE a FOR 'com.example.Agg'"));
        assertFalse(FunctionDdlParser.isFunctionDdl("CREATE AGGREGATE IF NOT EXISTS a FOR 'com.example.Agg'"));
        assertFalse(FunctionDdlParser.isFunctionDdl("DROP AGGREGATE a"));
        assertFalse(FunctionDdlParser.isFunctionDdl("DROP AGGREGATE IF EXISTS a"));
    }

    @Test
    void parsesEveryAttribute() throws SQLException {
        CreateAggregate a = (CreateAggregate) FunctionDdlParser.parse("CREATE OR REPLACE AGGREGATE app.\"Avg\"(x double precision)"
                + " (sfunc = acc, stype = bytea, finalfunc = fin, combinefunc = comb, initcond = '\\x', parallel = safe);");
        assertTrue(a.orReplace());
        assertEquals("app.\"Avg\"", a.name().toString());
        assertEquals(List.of(SqlTypes.resolve(List.of("double", "precision"), List.of())), a.argTypes());
        assertEquals("acc", a.sfunc().toString());
        assertEquals("bytea", a.stype().sqlName());
        assertEquals("fin", a.finalFunc().toString());
        assertEquals("comb", a.combineFunc().toString());
        assertEquals("\\x", a.initCond());
        assertEquals("safe", a.parallel());
        CreateAggregate b = (CreateAggregate) FunctionDdlParser.parse("CREATE AGGREGATE m(integer, text) (SFUNC1 = f, STYPE1 = int, INITCOND1 = 0)");
        assertEquals(2, b.argTypes().size());
        assertEquals("integer", b.stype().sqlName());
        assertEquals("0", b.initCond());
        assertNull(b.finalFunc());
        assertEquals("CREATE AGGREGATE", b.commandTag());
    }

    @Test
    void parsesTableFunctions() throws SQLException {
        CreateFunction t = (CreateFunction) FunctionDdlParser.parse("CREATE FUNCTION split_words(s text) RETURNS TABLE (word text, \"Pos\" int)"
                + " LANGUAGE wasm STRICT AS 'tables'");
        assertEquals(List.of("word", "Pos"), t.tableColumns().stream().map(FunctionParameter::name).toList());
        assertEquals("text", t.returnType().sqlName());
        CreateFunction s = (CreateFunction) FunctionDdlParser.parse("CREATE FUNCTION series(n integer) RETURNS SETOF bigint STRICT LANGUAGE wasm AS ?");
        assertEquals(1, s.tableColumns().size());
        assertNull(s.tableColumns().get(0).name(), "SETOF: the column is named after the function later");
        assertEquals("bigint", s.returnType().sqlName());
        assertNull(((CreateFunction) FunctionDdlParser.parse("CREATE FUNCTION f() RETURNS int LANGUAGE wasm AS ?")).tableColumns());
        assertEquals("0A000", state("CREATE FUNCTION f(n integer) RETURNS SETOF integer CALLED ON NULL INPUT LANGUAGE wasm AS ?"));
        CreateFunction implicit = (CreateFunction) FunctionDdlParser.parse("CREATE FUNCTION f(n integer) RETURNS SETOF integer LANGUAGE wasm AS ?");
        assertFalse(implicit.nullInputDeclared(), "no clause: CREATE makes it STRICT (with a NOTICE) if the export is plain");
        assertEquals("42601", state("CREATE FUNCTION f(n integer) RETURNS TABLE (integer) STRICT LANGUAGE wasm AS ?"));
        assertEquals("42601", state("CREATE FUNCTION f(n integer) RETURNS TABLE () STRICT LANGUAGE wasm AS ?"));
        assertEquals("0A000", state("CREATE FUNCTION f(n integer) RETURNS TABLE (a point) STRICT LANGUAGE wasm AS ?"));
    }

    @Test
    void parsesDrop() throws SQLException {
        DropAggregate d = (DropAggregate) FunctionDdlParser.parse("DROP AGGREGATE IF EXISTS a(integer), s.b(text, bigint) CASCADE");
        assertTrue(d.ifExists());
        assertEquals(2, d.targets().size());
        assertEquals("s.b", d.targets().get(1).name().toString());
        assertArrayEquals(new String[] {"text", "bigint"}, d.targets().get(1).argTypes().stream().map(SqlType::sqlName).toArray());
    }

    private static String state(String sql) {
        return assertThrows(SQLException.class, () -> FunctionDdlParser.parse(sql)).getSQLState();
    }

    @Test
    void refusesWhatPostgresRefusesAndWhatWeLack() {
        assertEquals("42P13", state("CREATE AGGREGATE a(integer) (SFUNC = f)"));
        assertEquals("42P13", state("CREATE AGGREGATE a(integer) (STYPE = integer)"));
        assertEquals("42601", state("CREATE AGGREGATE a(integer) (SFUNC = f, STYPE = integer, SFUNC = g)"));
        assertEquals("42601", state("CREATE AGGREGATE a(integer) (SFUNC = f, STYPE = integer, NOSUCH = 1)"));
        assertEquals("42601", state("CREATE AGGREGATE a(integer) (SFUNC = f, STYPE = integer, PARALLEL = fast)"));
        assertEquals("42601", state("CREATE AGGREGATE a(integer) (SFUNC f, STYPE = integer)"));
        assertEquals("0A000", state("CREATE AGGREGATE a(integer) (SFUNC = f, STYPE = integer, MSFUNC = g)"));
        assertEquals("0A000", state("CREATE AGGREGATE a(*) (SFUNC = f, STYPE = integer)"));
        assertEquals("0A000", state("CREATE AGGREGATE a(integer ORDER BY integer) (SFUNC = f, STYPE = integer)"));
        assertEquals("0A000", state("CREATE AGGREGATE a(geometry) (SFUNC = f, STYPE = integer)"));
        assertEquals("0A000", state("CREATE AGGREGATE a(integer) (SFUNC = f, STYPE = geometry)"));
        assertEquals("42601", state("DROP AGGREGATE a(integer) extra"));
    }
}
