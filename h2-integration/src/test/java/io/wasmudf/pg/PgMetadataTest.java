package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** pgJDBC DatabaseMetaData and wasm functions through the server, over the jdbc:wasm: driver. */
class PgMetadataTest {
    private static PgTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new PgTestServer(null, true);
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute("create table items(id integer primary key, name varchar(40) not null, price numeric(10,2), data bytea,"
                    + " flag boolean default true)");
            st.execute(PgTestServer.createFunction("add_i32(a integer, b integer) RETURNS integer", "math"));
            st.execute(PgTestServer.createFunction("hypot(x double precision, y double precision) RETURNS double precision", "math"));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void wasmFunctionsAreCallableWithTextAndBinaryParameters() throws Exception {
        try (Connection c = server.connect(); PreparedStatement ps = c.prepareStatement("select add_i32(?, ?), hypot(3, 4)")) {
            for (int i = 0; i < 7; i++) { // past pgJDBC's prepareThreshold: switches to a named statement and binary
                ps.setInt(1, i);
                ps.setInt(2, 40);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(40 + i, rs.getInt(1));
                    assertEquals(5.0, rs.getDouble(2));
                }
            }
        }
    }

    @Test
    void getTablesListsUserTables() throws Exception {
        try (Connection c = server.connect()) {
            List<String> names = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    names.add(rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME") + ":" + rs.getString("TABLE_TYPE"));
                    assertEquals("wasmudf", rs.getString("TABLE_CAT"));
                }
            }
            assertEquals(List.of("public.items:TABLE"), names);
            try (ResultSet rs = c.getMetaData().getTables(null, null, "items", new String[] {"VIEW"})) {
                assertFalse(rs.next());
            }
        }
    }

    @Test
    void getColumnsDescribesTypesAndNullability() throws Exception {
        try (Connection c = server.connect()) {
            List<String> cols = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getColumns(null, "public", "items", "%")) {
                while (rs.next()) {
                    cols.add(rs.getString("COLUMN_NAME") + " " + rs.getString("TYPE_NAME") + " " + rs.getInt("DATA_TYPE") + " "
                            + rs.getInt("COLUMN_SIZE") + " " + rs.getString("IS_NULLABLE") + " " + rs.getInt("ORDINAL_POSITION"));
                }
            }
            assertEquals(List.of("id int4 " + Types.INTEGER + " 10 NO 1", "name varchar " + Types.VARCHAR + " 40 NO 2",
                    "price numeric " + Types.NUMERIC + " 10 YES 3", "data bytea " + Types.BINARY + " 2147483647 YES 4",
                    "flag bool " + Types.BIT + " 1 YES 5"), cols);
        }
    }

    @Test
    void sessionIdentityQueriesUsePostgresNames() throws Exception {
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            assertEquals("public", c.getSchema());
            assertEquals("wasmudf", c.getCatalog());
            try (ResultSet rs = st.executeQuery("select current_database(), current_user")) {
                // two functions in one select are not a recognised shape: H2 answers, so only check it runs
                assertTrue(rs.next());
            }
            try (ResultSet rs = st.executeQuery("select current_user")) {
                assertTrue(rs.next());
                assertEquals("wasmudf", rs.getString(1));
            }
            try (ResultSet rs = st.executeQuery("select version()")) {
                assertTrue(rs.next());
                assertTrue(rs.getString(1).startsWith("PostgreSQL 15.0"), rs.getString(1));
            }
        }
    }

    @Test
    void getTypeInfoListsTheWireTypes() throws Exception {
        try (Connection c = server.connect(); ResultSet rs = c.getMetaData().getTypeInfo()) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString("TYPE_NAME") + ":" + rs.getInt("DATA_TYPE"));
            }
            assertTrue(names.containsAll(List.of("int4:" + Types.INTEGER, "int8:" + Types.BIGINT, "bytea:" + Types.BINARY,
                    "text:" + Types.VARCHAR, "numeric:" + Types.NUMERIC, "timestamp:" + Types.TIMESTAMP, "bool:" + Types.BIT)), names.toString());
        }
    }

    @Test
    void searchPathSelectsTheSchemaOfUnqualifiedNames() throws Exception {
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute("create schema if not exists other");
            st.execute("create table if not exists other.probe(x integer)");
            st.execute("insert into other.probe values (1), (2)");
            st.execute("set search_path to other, public");
            assertEquals("other", c.getSchema());
            try (ResultSet rs = st.executeQuery("select count(*) from probe")) {
                rs.next();
                assertEquals(2, rs.getInt(1));
            }
            st.execute("set schema 'public'");
            assertEquals("public", c.getSchema());
            // the wasm catalog is never the current schema: unqualified names cannot write it
            SQLException e = assertThrows(SQLException.class, () -> st.execute("set search_path to wasm, public"));
            assertEquals("42501", e.getSQLState());
            assertEquals("public", c.getSchema());
        }
    }

    @Test
    void getPrimaryKeys() throws Exception {
        try (Connection c = server.connect(); ResultSet rs = c.getMetaData().getPrimaryKeys(null, "public", "items")) {
            assertTrue(rs.next());
            assertEquals("id", rs.getString("COLUMN_NAME"));
            assertEquals(1, rs.getInt("KEY_SEQ"));
            assertFalse(rs.next());
        }
    }

    @Test
    void getFunctionsAndFunctionColumnsShowWasmFunctions() throws Exception {
        try (Connection c = server.connect()) {
            DatabaseMetaData md = c.getMetaData();
            List<String> names = new ArrayList<>();
            try (ResultSet rs = md.getFunctions(null, "public", "%")) {
                while (rs.next()) {
                    names.add(rs.getString("FUNCTION_NAME"));
                    assertEquals(DatabaseMetaData.functionNoTable, rs.getInt("FUNCTION_TYPE"));
                }
            }
            assertEquals(List.of("add_i32", "hypot"), names);
            List<String> cols = new ArrayList<>();
            try (ResultSet rs = md.getFunctionColumns(null, "public", "hypot", "%")) {
                while (rs.next()) {
                    cols.add(rs.getString("COLUMN_NAME") + ":" + rs.getInt("COLUMN_TYPE") + ":" + rs.getString("TYPE_NAME"));
                }
            }
            assertEquals(List.of("returnValue:" + DatabaseMetaData.functionReturn + ":float8",
                    "x:" + DatabaseMetaData.functionColumnIn + ":float8", "y:" + DatabaseMetaData.functionColumnIn + ":float8"), cols);
        }
    }

    @Test
    void functionColumnsAlsoWithBinaryTransfer() throws Exception {
        Properties p = new Properties();
        p.setProperty("prepareThreshold", "-1"); // named statements: pgJDBC asks for binary oidvector/text[] columns
        try (Connection c = server.connect(p)) {
            for (int round = 0; round < 2; round++) {
                List<String> cols = new ArrayList<>();
                try (ResultSet rs = c.getMetaData().getFunctionColumns(null, "public", "add_i32", "%")) {
                    while (rs.next()) {
                        cols.add(rs.getString("COLUMN_NAME") + ":" + rs.getString("TYPE_NAME"));
                    }
                }
                assertEquals(List.of("returnValue:int4", "a:int4", "b:int4"), cols);
            }
        }
    }

    @Test
    void getSchemas() throws Exception {
        try (Connection c = server.connect(); ResultSet rs = c.getMetaData().getSchemas()) {
            List<String> schemas = new ArrayList<>();
            while (rs.next()) {
                schemas.add(rs.getString("TABLE_SCHEM"));
            }
            assertTrue(schemas.containsAll(List.of("public", "pg_catalog", "information_schema")), schemas.toString());
        }
    }

    @Test
    void moduleUploadWithSetBytesThenCreateFunctionFromIt() throws Exception {
        byte[] module = PgTestServer.module("strings");
        try (Connection c = server.connect()) {
            try (PreparedStatement ps = c.prepareStatement("insert into wasm.modules(name, bytes) values (?, ?)")) {
                ps.setString(1, "strings");
                ps.setBytes(2, module);
                assertEquals(1, ps.executeUpdate());
            }
            try (Statement st = c.createStatement()) {
                st.execute("create function reverse_text(s text) returns text language wasm strict as 'strings', 'reverse_text'");
                try (ResultSet rs = st.executeQuery("select reverse_text('abc'), (select bytes from wasm.modules where name = 'strings')")) {
                    assertTrue(rs.next());
                    assertEquals("cba", rs.getString(1));
                    assertArrayEquals(module, rs.getBytes(2));
                }
                st.execute("drop function reverse_text");
            }
        }
    }
}
