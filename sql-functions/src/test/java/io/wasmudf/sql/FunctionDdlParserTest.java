package io.wasmudf.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FunctionDdlParserTest {

    private static CreateFunction create(String sql) throws SQLException {
        return assertInstanceOf(CreateFunction.class, FunctionDdlParser.parse(sql));
    }

    private static String state(String sql) {
        return assertThrows(SQLException.class, () -> FunctionDdlParser.parse(sql)).getSQLState();
    }

    @Test
    void recognisesFunctionDdlOnly() {
        assertTrue(FunctionDdlParser.isFunctionDdl("CREATE FUNCTION f() RETURNS int LANGUAGE wasm AS ?"));
        assertTrue(FunctionDdlParser.isFunctionDdl("  create   or  replace function f"));
        assertTrue(FunctionDdlParser.isFunctionDdl("-- comment\n/* c */ DROP FUNCTION f"));
        assertTrue(FunctionDdlParser.isFunctionDdl("drop\nfunction if exists f"));
        assertFalse(FunctionDdlParser.isFunctionDdl("CREATE TABLE function(x int)"));
        assertFalse(FunctionDdlParser.isFunctionDdl("CREATE ALIAS f FOR 'a.b'"));
        assertFalse(FunctionDdlParser.isFunctionDdl("SELECT 'CREATE FUNCTION'"));
        assertFalse(FunctionDdlParser.isFunctionDdl("DROP FUNCTIONS"));
        assertFalse(FunctionDdlParser.isFunctionDdl("CREATE OR REPLACE VIEW v AS SELECT 1"));
        assertFalse(FunctionDdlParser.isFunctionDdl(""));
    }

    @Test
    void inlineByteaHex() throws SQLException {
        CreateFunction f = create("CREATE FUNCTION add(a integer, b integer) RETURNS integer LANGUAGE wasm AS '\\x0061736d01000000'");
        assertFalse(f.orReplace());
        assertEquals("add", f.name().name().text());
        assertNull(f.name().schema());
        assertEquals(List.of(new FunctionParameter("a", SqlTypes.INTEGER), new FunctionParameter("b", SqlTypes.INTEGER)), f.parameters());
        assertEquals(SqlTypes.INTEGER, f.returnType());
        assertEquals(Volatility.VOLATILE, f.volatility());
        assertFalse(f.strict(), "PostgreSQL's default is CALLED ON NULL INPUT");
        assertArrayEquals(new byte[] {0, 0x61, 0x73, 0x6d, 1, 0, 0, 0}, assertInstanceOf(ModuleSource.Inline.class, f.source()).bytes());
        assertEquals("add", f.exportName());
    }

    @Test
    void inlineH2BinaryLiteralWithSpaces() throws SQLException {
        CreateFunction f = create("create function f() returns bigint language wasm as X'00 61 73 6D'");
        assertArrayEquals(new byte[] {0, 0x61, 0x73, 0x6d}, ((ModuleSource.Inline) f.source()).bytes());
        assertEquals(SqlTypes.BIGINT, f.returnType());
    }

    @Test
    void escapeStringByteaHex() throws SQLException {
        CreateFunction f = create("CREATE FUNCTION f() RETURNS int LANGUAGE wasm AS E'\\\\x0102'");
        assertArrayEquals(new byte[] {1, 2}, ((ModuleSource.Inline) f.source()).bytes());
    }

    @Test
    void boundParameter() throws SQLException {
        CreateFunction f = create("CREATE OR REPLACE FUNCTION public.Slugify(text) RETURNS text LANGUAGE wasm IMMUTABLE STRICT AS ?;");
        assertTrue(f.orReplace());
        assertEquals(new Identifier("public", false), f.name().schema());
        assertEquals("slugify", f.exportName(), "unquoted names fold to lower case, as in PostgreSQL");
        assertInstanceOf(ModuleSource.BoundParameter.class, f.source());
        assertEquals(Volatility.IMMUTABLE, f.volatility());
        assertTrue(f.strict());
        assertEquals(List.of(new FunctionParameter(null, SqlTypes.TEXT)), f.parameters());
    }

    @Test
    void textModuleWithAndWithoutExport() throws SQLException {
        String wat = "(module (func (export \"f\") (result i32) (i32.const 1)))";
        CreateFunction f = create("CREATE FUNCTION f() RETURNS integer LANGUAGE wasm AS '" + wat + "'");
        assertEquals(new ModuleSource.Text(wat, null), f.source());
        assertEquals("f", f.exportName());
        CreateFunction g = create("CREATE FUNCTION g() RETURNS integer LANGUAGE wasm AS ' ;; note\n" + wat + "', 'f'");
        assertEquals(new ModuleSource.Text(" ;; note\n" + wat, "f"), g.source());
        assertEquals("f", g.exportName());
        // a doubled quote inside the literal is one quote of the text
        CreateFunction h = create("CREATE FUNCTION h() RETURNS integer LANGUAGE wasm AS '(module (func (export \"it''s\")))', 'it''s'");
        assertEquals("it's", h.exportName());
        assertEquals("(module (func (export \"it's\")))", ((ModuleSource.Text) h.source()).text());
    }

    @Test
    void catalogModuleWithAndWithoutExport() throws SQLException {
        CreateFunction f = create("CREATE FUNCTION \"MyFn\"(x bytea) RETURNS bytea AS 'mod', 'the_export' LANGUAGE wasm");
        assertEquals(new ModuleSource.CatalogModule("mod", "the_export"), f.source());
        assertEquals("the_export", f.exportName());
        assertEquals(new Identifier("MyFn", true), f.name().name());

        CreateFunction g = create("CREATE FUNCTION \"MyFn\"(x bytea) RETURNS bytea LANGUAGE wasm AS 'mod'");
        assertEquals(new ModuleSource.CatalogModule("mod", null), g.source());
        assertEquals("MyFn", g.exportName(), "quoted names keep their case");
        CreateFunction h = create("CREATE FUNCTION f(x bytea) RETURNS bytea LANGUAGE wasm AS $$mod$$, $x$exp$x$");
        assertEquals(new ModuleSource.CatalogModule("mod", "exp"), h.source());
    }

    @Test
    void nullInputSpellings() throws SQLException {
        assertTrue(create("CREATE FUNCTION f(int) RETURNS int LANGUAGE wasm RETURNS NULL ON NULL INPUT AS ?").strict());
        assertTrue(create("CREATE FUNCTION f(int) RETURNS int LANGUAGE wasm STRICT AS ?").strict());
        assertFalse(create("CREATE FUNCTION f(int) RETURNS int LANGUAGE wasm CALLED ON NULL INPUT AS ?").strict());
    }

    @Test
    void everyTypeSpelling() throws SQLException {
        String[][] cases = {
            {"boolean", "boolean"}, {"bool", "boolean"}, {"smallint", "smallint"}, {"int2", "smallint"},
            {"integer", "integer"}, {"int", "integer"}, {"int4", "integer"}, {"bigint", "bigint"}, {"int8", "bigint"},
            {"real", "real"}, {"float4", "real"}, {"float(10)", "real"}, {"double precision", "double precision"},
            {"float8", "double precision"}, {"float", "double precision"}, {"float(53)", "double precision"},
            {"text", "text"}, {"varchar", "text"}, {"varchar(20)", "text"}, {"character varying(5)", "text"},
            {"bytea", "bytea"}, {"varbinary", "bytea"},
            {"numeric", "numeric"}, {"numeric(10, 2)", "numeric"}, {"decimal", "numeric"}, {"decimal(5)", "numeric"},
            {"date", "date"}, {"time", "time without time zone"}, {"time(3)", "time without time zone"},
            {"time without time zone", "time without time zone"}, {"timestamp", "timestamp without time zone"},
            {"timestamp(6)", "timestamp without time zone"}, {"timestamp without time zone", "timestamp without time zone"},
            {"timestamptz", "timestamp with time zone"}, {"timestamp with time zone", "timestamp with time zone"},
            {"timestamp(3) with time zone", "timestamp with time zone"},
            {"interval", "interval"}, {"uuid", "uuid"}, {"json", "json"}, {"jsonb", "jsonb"},
            {"char(5)", "character"}, {"character(1)", "character"}, {"bpchar", "character"}, {"char", "character"},
            {"int4[]", "integer[]"}, {"integer[3]", "integer[]"}, {"int[][]", "integer[]"}, {"text ARRAY", "text[]"},
            {"text array[2]", "text[]"}, {"double precision[]", "double precision[]"}, {"varchar(10)[]", "text[]"},
            {"timestamp with time zone[]", "timestamp with time zone[]"}, {"timestamptz[]", "timestamp with time zone[]"}, {"numeric(10,2)[]", "numeric[]"}, {"uuid[]", "uuid[]"},
            {"bytea[]", "bytea[]"}, {"jsonb[]", "jsonb[]"}, {"char(2)[]", "character[]"},
        };
        for (String[] c : cases) {
            CreateFunction unnamed = create("CREATE FUNCTION f(" + c[0] + ") RETURNS " + c[0] + " LANGUAGE wasm AS ?");
            assertEquals(SqlTypes.byName(c[1]), unnamed.parameters().get(0).type(), c[0]);
            assertNull(unnamed.parameters().get(0).name(), c[0]);
            assertEquals(SqlTypes.byName(c[1]), unnamed.returnType(), c[0]);
            CreateFunction named = create("CREATE FUNCTION f(IN arg " + c[0] + ", \"Q\" " + c[0] + ") RETURNS int LANGUAGE wasm AS ?");
            assertEquals(new FunctionParameter("arg", SqlTypes.byName(c[1])), named.parameters().get(0), c[0]);
            assertEquals(new FunctionParameter("Q", SqlTypes.byName(c[1])), named.parameters().get(1), c[0]);
        }
    }

    /** Every registered type and its array round-trip through the catalog name; unsupported ones name themselves. */
    @Test
    void catalogNamesAndUnsupportedTypes() throws SQLException {
        for (SqlType t : SqlTypes.all()) {
            assertEquals(t, SqlTypes.byName(t.sqlName()));
            SqlType array = SqlTypes.arrayOf(t);
            assertEquals(t.sqlName() + "[]", array.sqlName());
            assertEquals(array, SqlTypes.byName(t.sqlName() + "[]"));
            assertEquals(array, create("CREATE FUNCTION f(" + t.sqlName() + "[]) RETURNS " + t.sqlName() + " ARRAY LANGUAGE wasm AS ?")
                    .returnType());
        }
        assertNull(SqlTypes.arrayOf(SqlTypes.arrayOf(SqlTypes.INTEGER)));
        for (String bad : new String[] {"money", "time with time zone", "point[]", "xml", "int4range"}) {
            SQLException e = assertThrows(SQLException.class, () -> FunctionDdlParser.parse("CREATE FUNCTION f(" + bad + ") RETURNS int LANGUAGE wasm AS ?"));
            assertEquals(SqlStates.FEATURE_NOT_SUPPORTED, e.getSQLState(), bad);
            assertTrue(e.getMessage().contains("\"" + bad + "\" is not supported") && e.getMessage().contains("uuid"), e.getMessage());
            e = assertThrows(SQLException.class, () -> FunctionDdlParser.parse("CREATE FUNCTION f() RETURNS " + bad + " LANGUAGE wasm AS ?"));
            assertEquals(SqlStates.FEATURE_NOT_SUPPORTED, e.getSQLState(), bad);
        }
    }

    @Test
    void parameterNamedLikeAType() throws SQLException {
        CreateFunction f = create("CREATE FUNCTION f(text text, int integer) RETURNS int LANGUAGE wasm AS ?");
        assertEquals(List.of(new FunctionParameter("text", SqlTypes.TEXT), new FunctionParameter("int", SqlTypes.INTEGER)), f.parameters());
    }

    @Test
    void optionsInAnyOrder() throws SQLException {
        List<String> options = List.of("LANGUAGE wasm", "IMMUTABLE", "STRICT", "AS 'm', 'e'", "PARALLEL SAFE", "COST 10");
        Random random = new Random(42);
        for (int i = 0; i < 60; i++) {
            List<String> shuffled = new ArrayList<>(options);
            Collections.shuffle(shuffled, random);
            CreateFunction f = create("CREATE FUNCTION s.f(a double precision) RETURNS real " + String.join(" ", shuffled));
            assertEquals(Volatility.IMMUTABLE, f.volatility(), shuffled.toString());
            assertTrue(f.strict(), shuffled.toString());
            assertEquals(new ModuleSource.CatalogModule("m", "e"), f.source(), shuffled.toString());
            assertEquals(SqlTypes.REAL, f.returnType());
        }
        CreateFunction g = create("CREATE FUNCTION f() RETURNS int AS ? STABLE CALLED ON NULL INPUT LANGUAGE 'wasm'");
        assertEquals(Volatility.STABLE, g.volatility());
        assertFalse(g.strict());
    }

    @Test
    void commentsAndCaseAreIgnored() throws SQLException {
        CreateFunction f = create("/* x */ create -- y\n function F ( ) returns INT language WASM volatile as ? -- end");
        assertEquals(Volatility.VOLATILE, f.volatility());
        assertTrue(f.parameters().isEmpty());
    }

    @Test
    void dropForms() throws SQLException {
        DropFunction d = assertInstanceOf(DropFunction.class, FunctionDdlParser.parse("DROP FUNCTION f"));
        assertFalse(d.ifExists());
        assertNull(d.targets().get(0).argTypes());
        d = assertInstanceOf(DropFunction.class, FunctionDdlParser.parse("drop function if exists s.f(integer, x text), g() cascade;"));
        assertTrue(d.ifExists());
        assertEquals(2, d.targets().size());
        assertEquals(List.of(SqlTypes.INTEGER, SqlTypes.TEXT), d.targets().get(0).argTypes());
        assertEquals(new Identifier("s", false), d.targets().get(0).name().schema());
        assertEquals(List.of(), d.targets().get(1).argTypes());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "CREATE FUNCTION f(int RETURNS int LANGUAGE wasm AS ?",
        "CREATE FUNCTION f(int) int LANGUAGE wasm AS ?",
        "CREATE FUNCTION f(int) RETURNS int LANGUAGE wasm AS ? garbage",
        "CREATE FUNCTION f(int) RETURNS int LANGUAGE wasm AS",
        "CREATE FUNCTION f(int) RETURNS int LANGUAGE wasm AS 'unterminated",
        "CREATE FUNCTION (int) RETURNS int LANGUAGE wasm AS ?",
        "CREATE FUNCTION f(int) RETURNS int LANGUAGE wasm STRICT CALLED ON NULL INPUT AS ?",
        "CREATE FUNCTION f(int) RETURNS int LANGUAGE wasm IMMUTABLE VOLATILE AS ?",
        "CREATE FUNCTION f(int) RETURNS int LANGUAGE wasm AS ? AS ?",
        "CREATE FUNCTION f(int) RETURNS int LANGUAGE wasm LANGUAGE wasm AS ?",
        "CREATE FUNCTION f(int) RETURNS int LANGUAGE wasm AS 'm', 42",
        "DROP FUNCTION",
        "DROP FUNCTION f(int",
    })
    void syntaxErrorsAre42601(String sql) {
        assertEquals(SqlStates.SYNTAX_ERROR, state(sql), sql);
    }

    @Test
    void otherErrors() {
        assertEquals(SqlStates.INVALID_PARAMETER_VALUE, state("CREATE FUNCTION f() RETURNS int LANGUAGE wasm AS '\\x0g'"));
        assertEquals(SqlStates.INVALID_PARAMETER_VALUE, state("CREATE FUNCTION f() RETURNS int LANGUAGE wasm AS '\\x012'"));
        assertEquals(SqlStates.INVALID_PARAMETER_VALUE, state("CREATE FUNCTION f() RETURNS int LANGUAGE wasm AS X'zz'"));
        assertEquals(SqlStates.UNDEFINED_OBJECT, state("CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS 'begin end'"));
        assertEquals(SqlStates.INVALID_FUNCTION_DEFINITION, state("CREATE FUNCTION f() RETURNS int AS ?"));
        assertEquals(SqlStates.INVALID_FUNCTION_DEFINITION, state("CREATE FUNCTION f() RETURNS int LANGUAGE wasm"));
        assertEquals(SqlStates.FEATURE_NOT_SUPPORTED, state("CREATE FUNCTION f() RETURNS SETOF point LANGUAGE wasm AS ?"));
        assertEquals(SqlStates.FEATURE_NOT_SUPPORTED, state("CREATE FUNCTION f(money) RETURNS int LANGUAGE wasm AS ?"));
        assertEquals(SqlStates.FEATURE_NOT_SUPPORTED, state("CREATE FUNCTION f() RETURNS xml LANGUAGE wasm AS ?"));
        assertEquals(SqlStates.FEATURE_NOT_SUPPORTED, state("CREATE FUNCTION f(OUT x int) RETURNS int LANGUAGE wasm AS ?"));
    }

    @Test
    void errorMessagesNameTheProblem() {
        SQLException e = assertThrows(SQLException.class,
                () -> FunctionDdlParser.parse("CREATE FUNCTION f(money) RETURNS int LANGUAGE wasm AS ?"));
        assertTrue(e.getMessage().contains("\"money\"") && e.getMessage().contains("timestamp with time zone"), e.getMessage());
        e = assertThrows(SQLException.class, () -> FunctionDdlParser.parse("CREATE FUNCTION f() RETURNS int LANGUAGE wasm AS '\\x0g'"));
        assertTrue(e.getMessage().contains("function f") && e.getMessage().contains("\"g\""), e.getMessage());
    }

    @Test
    void grantAndRevokeOnFunctionsAndLanguageWasm() throws SQLException {
        assertTrue(FunctionDdlParser.isFunctionDdl("GRANT EXECUTE ON FUNCTION f(integer) TO alice"));
        assertTrue(FunctionDdlParser.isFunctionDdl("revoke all privileges on routine s.f from public"));
        assertTrue(FunctionDdlParser.isFunctionDdl("/* c */ GRANT USAGE ON LANGUAGE wasm TO bob"));
        assertFalse(FunctionDdlParser.isFunctionDdl("GRANT SELECT ON TABLE t TO alice"), "table rights are H2's");
        assertFalse(FunctionDdlParser.isFunctionDdl("GRANT SELECT ON function_log TO alice"), "a table named like a keyword");
        assertFalse(FunctionDdlParser.isFunctionDdl("GRANT alice TO bob"));

        FunctionGrant g = assertInstanceOf(FunctionGrant.class,
                FunctionDdlParser.parse("GRANT EXECUTE ON FUNCTION s.f(integer, text), g TO alice, \"Bob\", PUBLIC"));
        assertTrue(g.grant());
        assertFalse(g.onLanguage());
        assertEquals(2, g.functions().size());
        assertEquals(List.of(SqlTypes.byName("integer"), SqlTypes.byName("text")), g.functions().get(0).argTypes());
        assertNull(g.functions().get(1).argTypes());
        assertEquals(List.of(new Identifier("alice", false), new Identifier("Bob", true), new Identifier("PUBLIC", false)), g.grantees());
        assertEquals("GRANT", g.commandTag());

        FunctionGrant r = assertInstanceOf(FunctionGrant.class, FunctionDdlParser.parse("REVOKE ALL PRIVILEGES ON LANGUAGE wasm FROM public CASCADE;"));
        assertFalse(r.grant());
        assertTrue(r.onLanguage());
        assertEquals("REVOKE", r.commandTag());

        assertEquals("0LP01", state("GRANT SELECT ON FUNCTION f TO alice"));
        assertEquals("0LP01", state("GRANT EXECUTE ON LANGUAGE wasm TO alice"));
        assertEquals("42704", state("GRANT USAGE ON LANGUAGE plpgsql TO alice"));
        assertEquals("0A000", state("GRANT EXECUTE ON FUNCTION f TO alice WITH GRANT OPTION"));
        assertEquals("0A000", state("REVOKE GRANT OPTION FOR EXECUTE ON FUNCTION f FROM alice"));
        assertEquals("42601", state("GRANT EXECUTE ON FUNCTION f FROM alice"));
    }

    @Test
    void alterFunctionOwnerTo() throws SQLException {
        assertTrue(FunctionDdlParser.isFunctionDdl("ALTER FUNCTION f OWNER TO bob"));
        assertFalse(FunctionDdlParser.isFunctionDdl("ALTER TABLE f OWNER TO bob"));
        AlterFunctionOwner a = assertInstanceOf(AlterFunctionOwner.class, FunctionDdlParser.parse("alter function s.f(integer) owner to \"Bob\";"));
        assertEquals(new Identifier("Bob", true), a.newOwner());
        assertEquals(List.of(SqlTypes.byName("integer")), a.target().argTypes());
        assertEquals("ALTER FUNCTION", a.commandTag());
        assertInstanceOf(AlterFunctionRename.class, FunctionDdlParser.parse("ALTER FUNCTION f RENAME TO g"));
        assertEquals("42601", state("ALTER FUNCTION f OWNER bob"));
    }

    @Test
    void alterFunctionActions() throws SQLException {
        AlterFunctionActions a = assertInstanceOf(AlterFunctionActions.class, FunctionDdlParser.parse(
                "ALTER FUNCTION s.f(integer) IMMUTABLE RETURNS NULL ON NULL INPUT SET wasm.fuel = 10 SET WASM.TIMEOUT TO '2s'"
                        + " RESET wasm.max_memory SET wasm.grants TO DEFAULT RESTRICT;"));
        assertEquals(Volatility.IMMUTABLE, a.volatility());
        assertEquals(Boolean.TRUE, a.strict());
        assertEquals(List.of(new AlterFunctionActions.Setting("wasm.fuel", "10"), new AlterFunctionActions.Setting("wasm.timeout", "2s"),
                new AlterFunctionActions.Setting("wasm.max_memory", null), new AlterFunctionActions.Setting("wasm.grants", null)), a.settings());
        assertEquals("ALTER FUNCTION", a.commandTag());
        FunctionLimits l = a.apply(new FunctionLimits(16, 5L, null));
        assertEquals(new FunctionLimits(null, 10L, java.time.Duration.ofSeconds(2)), l);

        AlterFunctionActions b = assertInstanceOf(AlterFunctionActions.class, FunctionDdlParser.parse(
                "alter function f called on null input reset all set wasm.fuel = 7 security invoker"));
        assertNull(b.volatility());
        assertEquals(Boolean.FALSE, b.strict());
        assertEquals(new FunctionLimits(null, 7L, null), b.apply(new FunctionLimits(16, 5L, null)));

        assertEquals("42601", state("ALTER FUNCTION f STABLE VOLATILE"), "conflicting or redundant options, as in PostgreSQL");
        assertEquals("42601", state("ALTER FUNCTION f STRICT CALLED ON NULL INPUT"));
        assertEquals("42601", state("ALTER FUNCTION f"));
        assertEquals("42601", state("ALTER FUNCTION f FROB"));
        assertEquals("22023", state("ALTER FUNCTION f SET wasm.nope = 1"));
        assertEquals("22023", state("ALTER FUNCTION f RESET wasm.nope"));
        assertEquals("22023", state("ALTER FUNCTION f SET wasm.fuel = 'lots'"), "values are checked when parsed, as in CREATE");
        assertEquals("0A000", state("ALTER FUNCTION f SET work_mem = '64kB'"));
        assertEquals("0A000", state("ALTER FUNCTION f SET wasm.fuel FROM CURRENT"));
        assertEquals("0A000", state("ALTER FUNCTION f SECURITY DEFINER"));
        assertEquals("0A000", state("ALTER FUNCTION f PARALLEL SAFE"));
        assertEquals("0A000", state("ALTER FUNCTION f COST 10"));
    }
}
