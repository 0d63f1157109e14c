package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Read-only transactions are enforced (25006) and READ UNCOMMITTED reads only committed rows,
 * both as the real PostgreSQL 15 does: every scenario runs on both servers and must give the
 * same outcomes.
 */
class TransactionModesTest {
    private static final String T = "txm_" + ProcessHandle.current().pid();
    private static PgTestServer ours;
    private static RealPostgres.Target target;

    @BeforeAll
    static void start() throws Exception {
        target = RealPostgres.find();
        try (Connection c = DriverManager.getConnection(target.url(), target.props())) {
            reset(c);
        } catch (SQLException e) {
            io.wasmudf.h2.Required.resource(false, "TransactionModesTest: no PostgreSQL at " + target.url() + ": " + e.getMessage());
        }
        ours = new PgTestServer(null, true);
        try (Connection c = ours.connect()) {
            reset(c);
        }
    }

    private static void reset(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("drop table if exists " + T);
            st.execute("create table " + T + " (x integer)");
            st.execute("insert into " + T + " values (1)");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        try (Connection c = DriverManager.getConnection(target.url(), target.props()); Statement st = c.createStatement()) {
            st.execute("drop table if exists " + T);
        }
        ours.close();
    }

    private interface Scenario {
        void run(Connection a, Connection b, List<String> outcomes) throws SQLException;
    }

    /** Runs the scenario on both servers (two connections each) and requires the same outcomes. */
    private static void same(Scenario s) throws Exception {
        List<List<String>> both = new ArrayList<>();
        for (boolean real : new boolean[] {true, false}) {
            List<String> outcomes = new ArrayList<>();
            try (Connection a = real ? DriverManager.getConnection(target.url(), target.props()) : ours.connect();
                    Connection b = real ? DriverManager.getConnection(target.url(), target.props()) : ours.connect()) {
                s.run(a, b, outcomes);
            }
            both.add(outcomes);
        }
        assertEquals(both.get(0), both.get(1));
        assertTrue(!both.get(0).isEmpty());
    }

    private static void attempt(Connection c, String sql, List<String> outcomes) {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
            outcomes.add("ok: " + sql);
        } catch (SQLException e) {
            outcomes.add(e.getSQLState() + ": " + sql);
        }
    }

    private static String count(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select count(*) from " + T)) {
            rs.next();
            return "count " + rs.getInt(1);
        }
    }

    @Test
    void beginReadOnlyRefusesWrites() throws Exception {
        same((a, b, out) -> {
            attempt(a, "begin read only", out);
            attempt(a, "insert into " + T + " values (2)", out);
            attempt(a, "rollback", out);
            attempt(a, "start transaction read only", out);
            attempt(a, "select count(*) from " + T, out);
            attempt(a, "update " + T + " set x = 3", out);
            attempt(a, "rollback", out);
            attempt(a, "begin", out);
            attempt(a, "set transaction read only", out);
            attempt(a, "delete from " + T, out);
            attempt(a, "rollback", out);
            attempt(a, "begin read only", out);
            attempt(a, "with w as (select 1 as one) delete from " + T + " where x in (select one from w)", out);
            attempt(a, "rollback", out);
            attempt(a, "begin read only", out);
            attempt(a, "select x from " + T + " for update", out);
            attempt(a, "rollback", out);
            attempt(a, "begin read only", out);
            attempt(a, "set lock_timeout = '2s'", out);
            attempt(a, "select 1", out);
            attempt(a, "rollback", out);
            attempt(a, "insert into " + T + " values (2)", out); // a new transaction is read-write again
            attempt(a, "delete from " + T + " where x = 2", out);
            out.add(count(a));
        });
    }

    @Test
    void defaultTransactionReadOnlyAndSetReadOnlyAreEnforced() throws Exception {
        same((a, b, out) -> {
            attempt(a, "set default_transaction_read_only = on", out);
            attempt(a, "insert into " + T + " values (2)", out);
            attempt(a, "create table " + T + "_x (y integer)", out);
            attempt(a, "set default_transaction_read_only = off", out);
            attempt(a, "set session characteristics as transaction read only", out);
            attempt(a, "insert into " + T + " values (2)", out);
            attempt(a, "set session characteristics as transaction read write", out);
            b.setAutoCommit(false);
            b.setReadOnly(true); // pgJDBC: BEGIN READ ONLY
            attempt(b, "insert into " + T + " values (2)", out);
            b.rollback();
            b.setReadOnly(false);
            out.add(count(b));
            b.rollback();
        });
    }

    @Test
    void readUncommittedReadsOnlyCommittedRows() throws Exception {
        same((a, b, out) -> {
            a.setAutoCommit(false);
            attempt(a, "insert into " + T + " values (5)", out);
            b.setTransactionIsolation(Connection.TRANSACTION_READ_UNCOMMITTED);
            b.setAutoCommit(false);
            out.add(count(b)); // PostgreSQL: READ UNCOMMITTED behaves as READ COMMITTED
            b.commit();
            attempt(b, "set transaction isolation level read uncommitted", out);
            out.add(count(b));
            b.commit();
            a.rollback();
            out.add(count(b));
            b.commit();
        });
    }

    @Test
    void writesOutsideReadOnlyAreUntouched() throws Exception {
        try (Connection c = ours.connect(); Statement st = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> {
                st.execute("begin read only");
                st.execute("select nextval('no_such_seq')");
            });
            assertEquals("25006", e.getSQLState());
            st.execute("rollback");
        }
    }
}
