package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Scripted psql sessions against the server; the expected text is psql's own format, written out by hand. */
class PsqlSessionTest {
    private static PgTestServer server;

    @BeforeAll
    static void start() throws Exception {
        io.wasmudf.h2.Required.resource(PsqlRunner.psql() != null, "PsqlSessionTest: psql is not installed (Debian package postgresql-client)");
        server = new PgTestServer(null, true);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static String psql(String script) throws Exception {
        return PsqlRunner.run("127.0.0.1", server.server.port(), "wasmudf", "wasmudf", null, script);
    }

    @Test
    void createCallDescribeAndFail() throws Exception {
        String hex = HexFormat.of().formatHex(PgTestServer.module("math"));
        String script = String.join("\n",
                "create function add_i32(a integer, b integer) returns integer language wasm strict as '\\x" + hex + "';",
                "select add_i32(2, 40) as answer;",
                "\\df",
                "select add_i32(2, 40) / 0;",
                "\\df add*",
                "create table t1 (id integer primary key, label text not null, payload bytea);",
                "insert into t1 values (1, 'one', null), (2, 'two', null);",
                "select id, add_i32(id, 100) from t1 order by id;",
                "\\dt",
                "drop function add_i32;",
                "\\df",
                "select add_i32(1, 2);",
                "");
        String expected = String.join("\n",
                "CREATE FUNCTION",
                "answer",
                "42",
                "(1 row)",
                "List of functions",
                "Schema|Name|Result data type|Argument data types|Type",
                "public|add_i32|integer|a integer, b integer|func",
                "(1 row)",
                "psql:<stdin>:4: ERROR:  division by zero",
                "List of functions",
                "Schema|Name|Result data type|Argument data types|Type",
                "public|add_i32|integer|a integer, b integer|func",
                "(1 row)",
                "CREATE TABLE",
                "INSERT 0 2",
                "id|add_i32",
                "1|101",
                "2|102",
                "(2 rows)",
                "List of relations",
                "Schema|Name|Type|Owner",
                "public|t1|table|wasmudf",
                "(1 row)",
                "DROP FUNCTION",
                "List of functions",
                "Schema|Name|Result data type|Argument data types|Type",
                "(0 rows)",
                "");
        String actual = psql(script);
        // the last statement fails; only its SQLSTATE class matters here, the wording is H2's
        String lastError = actual.substring(actual.lastIndexOf("psql:<stdin>:12: ERROR:"));
        assertEquals(expected, actual.substring(0, actual.lastIndexOf("psql:<stdin>:12: ERROR:")));
        assertTrue(lastError.contains("add_i32"), lastError);
    }

    @Test
    void describeTableShowsColumnsAndPrimaryKey() throws Exception {
        String script = String.join("\n",
                "create table parts (id integer primary key, name varchar(20) not null, weight double precision, price numeric(8,2));",
                "\\d parts",
                "\\d no_such_table",
                "");
        String expected = String.join("\n",
                "CREATE TABLE",
                "Table \"public.parts\"",
                "Column|Type|Collation|Nullable|Default",
                "id|integer||not null|",
                "name|character varying(20)||not null|",
                "weight|double precision|||",
                "price|numeric(8,2)|||",
                "Indexes:",
                "    \"parts_pkey\" PRIMARY KEY, btree (id)",
                "psql:<stdin>:3: error: Did not find any relation named \"no_such_table\".",
                "");
        assertEquals(expected, psql(script));
    }

    @Test
    void moduleUploadedWithAByteaLiteralThenCreateFunctionFromModuleAndExport() throws Exception {
        String hex = HexFormat.of().formatHex(PgTestServer.module("strings"));
        String script = String.join("\n",
                "insert into wasm.modules(name, bytes) values ('strings', '\\x" + hex + "');",
                "create function slugify(s text) returns text language wasm strict as 'strings', 'slugify';",
                "select slugify('Hello, Wasm World!') as slug;",
                "select name, size from wasm.modules where name = 'strings';",
                "");
        String expected = String.join("\n",
                "INSERT 0 1",
                "CREATE FUNCTION",
                "slug",
                "hello-wasm-world",
                "(1 row)",
                "name|size",
                "strings|" + PgTestServer.module("strings").length,
                "(1 row)",
                "");
        assertEquals(expected, psql(script));
    }

    @Test
    void rolesSchemasAndDatabases() throws Exception {
        String expected = String.join("\n",
                "List of roles",
                "Role name|Attributes|Member of",
                "wasmudf|Superuser, Create role, Create DB|{}",
                "List of schemas",
                "Name|Owner",
                "public|wasmudf",
                "wasm|wasmudf",
                "(2 rows)",
                "");
        assertEquals(expected, psql("\\du\n\\dn\n"));
        String databases = psql("\\l\n");
        assertTrue(databases.startsWith("List of databases\nName|Owner|Encoding|") && databases.contains("\nwasmudf|wasmudf|UTF8|"),
                databases);
    }

    @Test
    void severalStatementsInOneLineAndTransactions() throws Exception {
        String script = String.join("\n",
                "create table tx (x integer); insert into tx values (1); select count(*) from tx;",
                "begin;",
                "insert into tx values (2);",
                "select 1/0;",
                "insert into tx values (3);",
                "rollback;",
                "select count(*) from tx;",
                "");
        String expected = String.join("\n",
                "CREATE TABLE",
                "INSERT 0 1",
                "count",
                "1",
                "(1 row)",
                "BEGIN",
                "INSERT 0 1",
                "psql:<stdin>:4: ERROR:  division by zero",
                "psql:<stdin>:5: ERROR:  current transaction is aborted, commands ignored until end of transaction block",
                "ROLLBACK",
                "count",
                "1",
                "(1 row)",
                "");
        assertEquals(expected, psql(script));
    }
}
