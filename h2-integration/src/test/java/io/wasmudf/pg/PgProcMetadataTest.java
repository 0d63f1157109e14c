package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * pgJDBC's getFunctions, getProcedures, getProcedureColumns, getFunctionColumns and plain pg_proc
 * queries (prosrc, probin, provolatile, proisstrict, prokind, proretset, proconfig) over the wire
 * give what PostgreSQL 15 gives for the equivalent C function, before and after ALTER FUNCTION.
 */
class PgProcMetadataTest {

    @Test
    void metadataMatchesPostgres() throws Exception {
        RealPostgres.Target target = RealPostgres.find();
        Connection real = RealPostgres.connect("PgProcMetadataTest");
        String fn = "jdbc_plus_" + ProcessHandle.current().pid();
        String decl = "(a integer, b integer) returns integer language %s immutable strict set wasm.max_memory = '16MB'"
                + " set wasm.fuel = 100000 as %s";
        try (real; PgTestServer ours = new PgTestServer(null, true); Connection mine = ours.connect()) {
            try (Statement st = real.createStatement()) {
                st.execute("create function " + fn + String.format(decl, "c", "'$libdir/plpgsql', 'plpgsql_call_handler'"));
                st.execute("comment on function " + fn + " is 'adds'");
            }
            try (PreparedStatement ps = mine.prepareStatement("insert into wasm.modules(name, bytes) values ('math', ?)")) {
                ps.setBytes(1, PgTestServer.module("math"));
                ps.executeUpdate();
            }
            try (Statement st = mine.createStatement()) {
                st.execute("create function " + fn + String.format(decl, "wasm", "'math', 'add_i32'"));
                st.execute("comment on function " + fn + " is 'adds'");
            }
            for (String alter : new String[] {null, "alter function " + fn + " stable reset wasm.max_memory set wasm.timeout = '2s'",
                    "alter function " + fn + " volatile reset all"}) {
                if (alter != null) {
                    real.createStatement().execute(alter);
                    mine.createStatement().execute(alter);
                }
                String ourView = describe(mine, fn);
                assertEquals(describe(real, fn).replace("plpgsql_call_handler", "add_i32").replace("$libdir/plpgsql", "math"),
                        ourView, "after " + alter);
                if (alter == null) {
                    assertEquals(String.join("\n", "function public." + fn + " remarks=adds type=1",
                            "procedure column returnValue 5 4 int4", "procedure column a 1 4 int4", "procedure column b 1 4 int4",
                            "function column returnValue 4 int4", "function column a 1 int4", "function column b 1 int4",
                            "pg_proc proname=" + fn + " prosrc=add_i32 probin=math provolatile=i proisstrict=true prokind=f proretset=false"
                                    + " pronargs=2 proargnames=[a, b] proconfig=[wasm.max_memory=16MB, wasm.fuel=100000]"), ourView);
                }
            }
        } finally {
            try (Connection c = DriverManager.getConnection(target.url(), target.props()); Statement st = c.createStatement()) {
                st.execute("drop function if exists " + fn);
            }
        }
    }

    /** Everything pgJDBC and a pg_proc query say about {@code fn}, one line per row. */
    private static String describe(Connection c, String fn) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        List<String> out = new ArrayList<>();
        try (ResultSet rs = md.getFunctions(null, "public", fn)) {
            while (rs.next()) {
                out.add("function " + rs.getString("FUNCTION_SCHEM") + "." + rs.getString("FUNCTION_NAME") + " remarks=" + rs.getString("REMARKS")
                        + " type=" + rs.getInt("FUNCTION_TYPE"));
            }
        }
        try (ResultSet rs = md.getProcedures(null, "public", fn)) {
            while (rs.next()) {
                out.add("procedure " + rs.getString("PROCEDURE_NAME") + " remarks=" + rs.getString("REMARKS") + " type=" + rs.getInt("PROCEDURE_TYPE"));
            }
        }
        try (ResultSet rs = md.getProcedureColumns(null, "public", fn, "%")) {
            while (rs.next()) {
                out.add("procedure column " + rs.getString("COLUMN_NAME") + " " + rs.getInt("COLUMN_TYPE") + " " + rs.getInt("DATA_TYPE") + " "
                        + rs.getString("TYPE_NAME"));
            }
        }
        try (ResultSet rs = md.getFunctionColumns(null, "public", fn, "%")) {
            while (rs.next()) {
                out.add("function column " + rs.getString("COLUMN_NAME") + " " + rs.getInt("COLUMN_TYPE") + " " + rs.getString("TYPE_NAME"));
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT p.proname, p.prosrc, p.probin, p.provolatile, p.proisstrict, p.prokind,"
                + " p.proretset, p.pronargs, p.proargnames, p.proconfig FROM pg_catalog.pg_proc p WHERE p.proname = ?")) {
            ps.setString(1, fn);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    StringBuilder sb = new StringBuilder("pg_proc");
                    for (int i = 1; i <= 10; i++) {
                        Object v = i >= 9 && rs.getArray(i) != null ? List.of((Object[]) rs.getArray(i).getArray()) : rs.getObject(i);
                        sb.append(' ').append(rs.getMetaData().getColumnName(i)).append('=').append(v);
                    }
                    out.add(sb.toString());
                }
            }
        }
        return String.join("\n", out);
    }
}
