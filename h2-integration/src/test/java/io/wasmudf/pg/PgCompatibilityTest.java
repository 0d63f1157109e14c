package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the same client code against a real PostgreSQL ({@link RealPostgres}: Testcontainers when a
 * Docker engine exists, else PGHOST/PGPORT/PGUSER/PGDATABASE, default 127.0.0.1:5432, postgres,
 * test) and against our server, and requires the same answers: SQLSTATEs,
 * type OIDs and names, text and binary values, DatabaseMetaData shapes and psql's describe output.
 * Skips loudly when no PostgreSQL is reachable.
 */
class PgCompatibilityTest {
    private static final String TABLE = "compat_t";
    private static String pgUrl;
    private static Properties pgProps;
    private static PgTestServer ours;
    private static Connection real;
    private static Connection mine;

    @BeforeAll
    static void start() throws Exception {
        RealPostgres.Target target = RealPostgres.find();
        System.err.println("PgCompatibilityTest compares with " + target.description());
        pgUrl = target.url();
        pgProps = target.props();
        real = RealPostgres.connect("PgCompatibilityTest");
        ours = new PgTestServer(null, true);
        mine = ours.connect();
        String ddl = "create table " + TABLE + " (id integer primary key, i2 smallint, i8 bigint not null, f4 real, f8 double precision,"
                + " b boolean, t text, v varchar(10), by bytea, n numeric(12,3), d date, ts timestamp)";
        for (Connection c : List.of(real, mine)) {
            try (Statement st = c.createStatement()) {
                st.execute("drop view if exists " + TABLE + "_v");
                st.execute("drop table if exists " + TABLE);
                st.execute(ddl);
                st.execute("create view " + TABLE + "_v as select id, t from " + TABLE);
                st.execute("create unique index " + TABLE + "_i8 on " + TABLE + " (i8)");
                st.execute("create index " + TABLE + "_d_ts on " + TABLE + " (d, ts)");
            }
            try (PreparedStatement ps = c.prepareStatement("insert into " + TABLE + " values (?,?,?,?,?,?,?,?,?,?,?,?)")) {
                ps.setInt(1, 1);
                ps.setShort(2, (short) -32768);
                ps.setLong(3, Long.MIN_VALUE);
                ps.setFloat(4, 0.1f);
                ps.setDouble(5, 1e15);
                ps.setBoolean(6, false);
                ps.setString(7, "tab\there 'quoted' ✓");
                ps.setString(8, "ten chars!");
                ps.setBytes(9, new byte[] {0, 127, (byte) 128, (byte) 255});
                ps.setBigDecimal(10, new BigDecimal("-123456789.125"));
                ps.setObject(11, LocalDate.of(2000, 1, 1));
                ps.setObject(12, LocalDateTime.of(1970, 1, 1, 0, 0, 0, 500_000));
                ps.executeUpdate();
                ps.setInt(1, 2);
                ps.setShort(2, (short) 7);
                ps.setLong(3, 0);
                ps.setFloat(4, 1234567f);
                ps.setDouble(5, 1e-5);
                ps.setBoolean(6, true);
                ps.setString(7, "");
                ps.setString(8, null);
                ps.setBytes(9, new byte[0]);
                ps.setBigDecimal(10, new BigDecimal("0.5"));
                ps.setObject(11, LocalDate.of(2024, 2, 29));
                ps.setObject(12, LocalDateTime.of(2024, 12, 31, 23, 59, 59, 999_999_000));
                ps.executeUpdate();
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (real != null) {
            try (Statement st = real.createStatement()) {
                st.execute("drop view if exists " + TABLE + "_v");
                st.execute("drop table if exists " + TABLE);
                st.execute("drop function if exists add_i32(integer, integer)");
            }
            real.close();
        }
        if (mine != null) {
            mine.close();
        }
        if (ours != null) {
            ours.close();
        }
    }

    private static Connection binaryConnection(boolean real) throws SQLException {
        Properties p = new Properties();
        p.setProperty("prepareThreshold", "-1");
        if (real) {
            p.putAll(pgProps);
            return DriverManager.getConnection(pgUrl, p);
        }
        return ours.connect(p);
    }

    /** Type names, OIDs (via pgJDBC) and values of every column, rendered as text. */
    private static List<String> typesAndValues(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select * from " + TABLE + " order by id"); ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                out.add(md.getColumnLabel(i) + ":" + md.getColumnTypeName(i) + ":" + md.getColumnType(i));
            }
            while (rs.next()) {
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    // pgJDBC's getString on a binary bytea is not its text form, so render bytes ourselves
                    out.add(md.getColumnLabel(i) + "=" + (v instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : rs.getString(i)));
                }
            }
        }
        return out;
    }

    @Test
    void typesAndTextValuesMatch() throws Exception {
        assertEquals(typesAndValues(real), typesAndValues(mine));
    }

    @Test
    void binaryResultsMatch() throws Exception {
        try (Connection r = binaryConnection(true); Connection m = binaryConnection(false)) {
            assertEquals(typesAndValues(r), typesAndValues(m));
        }
    }

    /** RowDescription type OIDs/lengths/typmods and DataRow text exactly as sent on the wire. */
    private static List<String> wire(int port, String user, String db, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (RawClient c = new RawClient(port)) {
            c.startup(user, db);
            for (RawClient.Msg m : c.query(sql)) {
                if (m.type() == 'T') {
                    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(m.body());
                    int n = b.getShort();
                    for (int i = 0; i < n; i++) {
                        StringBuilder name = new StringBuilder();
                        for (byte x = b.get(); x != 0; x = b.get()) {
                            name.append((char) x);
                        }
                        b.getInt();
                        b.getShort();
                        out.add(name + " oid=" + b.getInt() + " len=" + b.getShort() + " typmod=" + b.getInt() + " fmt=" + b.getShort());
                    }
                } else if (m.type() == 'D') {
                    int n = java.nio.ByteBuffer.wrap(m.body()).getShort();
                    for (int i = 0; i < n; i++) {
                        out.add(PgProtocolTest.cell(m, i));
                    }
                } else if (m.type() == 'C' || m.type() == 'E') {
                    out.add(m.type() + ":" + (m.type() == 'E' ? m.field('C') : m.text().trim()));
                }
            }
        }
        return out;
    }

    @Test
    void wireFormatOfEveryTypeMatches() throws Exception {
        String sql = "select * from " + TABLE + " order by id";
        String host = System.getenv().getOrDefault("PGHOST", "127.0.0.1");
        Assumptions.assumeTrue(host.equals("127.0.0.1") || host.equals("localhost"), "raw wire comparison needs a local PostgreSQL");
        int port = Integer.parseInt(System.getenv().getOrDefault("PGPORT", "5432"));
        String db = System.getenv().getOrDefault("PGDATABASE", "test");
        assertEquals(wire(port, pgProps.getProperty("user"), db, sql), wire(ours.server.port(), "wasmudf", "wasmudf", sql));
    }

    private static String state(Connection c, String sql) {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
            return "no error";
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    @Test
    void byteaHexLiteralsInSqlText() throws Exception {
        List<String> both = new ArrayList<>();
        for (Connection c : List.of(real, mine)) {
            try (Statement st = c.createStatement()) {
                st.execute("update " + TABLE + " set by = '\\x00ff10' where id = 2");
                try (ResultSet rs = st.executeQuery("select by, length(by), by = '\\x00ff10', 'E\\x' as t from " + TABLE + " where id = 2")) {
                    rs.next();
                    both.add(java.util.HexFormat.of().formatHex(rs.getBytes(1)) + " " + rs.getInt(2) + " " + rs.getBoolean(3) + " "
                            + rs.getString(4));
                }
            }
        }
        assertEquals("00ff10 3 true E\\x", both.get(0));
        assertEquals(both.get(0), both.get(1));
    }

    @Test
    void errorCodesMatch() throws Exception {
        String[] statements = {
            "selec 1",
            "select * from no_such_table_x",
            "select no_such_column from " + TABLE,
            "insert into " + TABLE + " (id, i8) values (1, 0)",
            "insert into " + TABLE + " (id) values (99)",
            "select 1/0",
            "select no_such_function_x(1)",
            "insert into " + TABLE + " (id, i8, v) values (100, 1, 'much too long for ten')",
            "select cast('abc' as integer)",
            "show no_such_setting_x",
            "commit",
        };
        List<String> expected = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        for (String s : statements) {
            expected.add(s + " -> " + state(real, s));
            actual.add(s + " -> " + state(mine, s));
        }
        assertEquals(expected, actual);
    }

    @Test
    void syntaxErrorsPointAtTheSameTokenAsPostgres() throws Exception {
        String host = System.getenv().getOrDefault("PGHOST", "127.0.0.1");
        Assumptions.assumeTrue(host.equals("127.0.0.1") || host.equals("localhost"), "raw comparison needs a local PostgreSQL");
        int port = Integer.parseInt(System.getenv().getOrDefault("PGPORT", "5432"));
        String db = System.getenv().getOrDefault("PGDATABASE", "test");
        for (String sql : new String[] {"selec 1", "select 1 from", "select (1", "create table (x int)", "select 1; selec 2"}) {
            List<String> both = new ArrayList<>();
            for (boolean isReal : new boolean[] {true, false}) {
                try (RawClient c = new RawClient(isReal ? port : ours.server.port())) {
                    c.startup(isReal ? pgProps.getProperty("user") : "wasmudf", isReal ? db : "wasmudf");
                    RawClient.Msg err = c.query(sql).stream().filter(m -> m.type() == 'E').findFirst().orElseThrow();
                    both.add(err.field('C') + " " + err.field('M') + " at " + err.field('P'));
                }
            }
            assertEquals(both.get(0), both.get(1), sql);
        }
    }

    @Test
    void failedTransactionAndConnectErrorsMatch() throws Exception {
        List<String> results = new ArrayList<>();
        for (Connection c : List.of(real, mine)) {
            c.setAutoCommit(false);
            String first = state(c, "select 1/0");
            String second = state(c, "select 1");
            c.rollback();
            c.setAutoCommit(true);
            results.add(first + " " + second);
        }
        assertEquals(results.get(0), results.get(1));
        Properties nobody = new Properties();
        nobody.setProperty("user", "no_such_role_x");
        nobody.setProperty("password", "x");
        String realRole = connectState(pgUrl, nobody);
        String ourRole = connectState(ours.url(), nobody);
        assertEquals(realRole, ourRole);
        Properties user = new Properties();
        user.putAll(pgProps);
        assertEquals(connectState(pgUrl.substring(0, pgUrl.lastIndexOf('/') + 1) + "no_such_db_x", user),
                connectState(ours.url().substring(0, ours.url().lastIndexOf('/') + 1) + "no_such_db_x", props("wasmudf")));
    }

    private static Properties props(String user) {
        Properties p = new Properties();
        p.setProperty("user", user);
        return p;
    }

    private static String connectState(String url, Properties p) {
        try (Connection c = DriverManager.getConnection(url, p)) {
            return "connected";
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    private static List<String> columnsMetadata(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getColumns(null, "public", TABLE, "%")) {
            while (rs.next()) {
                out.add(rs.getString("COLUMN_NAME") + " " + rs.getString("TYPE_NAME") + " " + rs.getInt("DATA_TYPE") + " "
                        + rs.getInt("COLUMN_SIZE") + " " + rs.getInt("DECIMAL_DIGITS") + " " + rs.getInt("NULLABLE") + " "
                        + rs.getString("IS_NULLABLE") + " " + rs.getInt("ORDINAL_POSITION") + " " + rs.getString("IS_AUTOINCREMENT"));
            }
        }
        try (ResultSet rs = c.getMetaData().getPrimaryKeys(null, "public", TABLE)) {
            while (rs.next()) {
                out.add("pk " + rs.getString("COLUMN_NAME") + " " + rs.getInt("KEY_SEQ") + " " + rs.getString("PK_NAME"));
            }
        }
        for (boolean unique : new boolean[] {false, true}) {
            try (ResultSet rs = c.getMetaData().getIndexInfo(null, "public", TABLE, unique, true)) {
                while (rs.next()) {
                    out.add("index " + unique + " " + rs.getString("INDEX_NAME") + " " + rs.getBoolean("NON_UNIQUE") + " "
                            + rs.getInt("ORDINAL_POSITION") + " " + rs.getString("COLUMN_NAME") + " " + rs.getShort("TYPE") + " "
                            + rs.getString("ASC_OR_DESC"));
                }
            }
        }
        try (ResultSet rs = c.getMetaData().getTables(null, "public", TABLE, new String[] {"TABLE"})) {
            while (rs.next()) {
                out.add("table " + rs.getString("TABLE_SCHEM") + " " + rs.getString("TABLE_NAME") + " " + rs.getString("TABLE_TYPE"));
            }
        }
        return out;
    }

    @Test
    void databaseMetaDataShapesMatch() throws Exception {
        assertEquals(columnsMetadata(real), columnsMetadata(mine));
    }

    @Test
    void functionMetadataMatchesASqlFunctionOfTheSameSignature() throws Exception {
        try (Statement st = real.createStatement()) {
            st.execute("create or replace function add_i32(a integer, b integer) returns integer language sql immutable as 'select a + b'");
        }
        try (Statement st = mine.createStatement()) {
            st.execute("drop function if exists add_i32");
            st.execute(PgTestServer.createFunction("add_i32(a integer, b integer) RETURNS integer", "math"));
        }
        List<List<String>> both = new ArrayList<>();
        for (Connection c : List.of(real, mine)) {
            List<String> out = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getFunctions(null, "public", "add_i32")) {
                while (rs.next()) {
                    out.add(rs.getString("FUNCTION_SCHEM") + " " + rs.getString("FUNCTION_NAME") + " " + rs.getInt("FUNCTION_TYPE"));
                }
            }
            try (ResultSet rs = c.getMetaData().getFunctionColumns(null, "public", "add_i32", "%")) {
                while (rs.next()) {
                    out.add(rs.getString("COLUMN_NAME") + " " + rs.getInt("COLUMN_TYPE") + " " + rs.getInt("DATA_TYPE") + " "
                            + rs.getString("TYPE_NAME") + " " + rs.getInt("ORDINAL_POSITION"));
                }
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select add_i32(40, 2)")) {
                rs.next();
                out.add(rs.getMetaData().getColumnLabel(1) + "=" + rs.getInt(1));
            }
            both.add(out);
        }
        assertEquals(both.get(0), both.get(1));
        if (PsqlRunner.psql() != null) {
            String script = "\\df add_i32\n";
            assertEquals(realPsql(script), PsqlRunner.run("127.0.0.1", ours.server.port(), "wasmudf", "wasmudf", null, script));
        }
    }

    private static String realPsql(String script) throws Exception {
        String host = System.getenv().getOrDefault("PGHOST", "127.0.0.1");
        int port = Integer.parseInt(System.getenv().getOrDefault("PGPORT", "5432"));
        String db = System.getenv().getOrDefault("PGDATABASE", "test");
        return PsqlRunner.run(host, port, pgProps.getProperty("user"), db, System.getenv("PGPASSWORD"), script);
    }

    /** The pg_type lookups pgJDBC's TypeInfoCache sends for types outside its built-in table. */
    @Test
    void typeLookupsMatch() throws Exception {
        String byOid = "SELECT n.nspname = ANY(current_schemas(true)), n.nspname, t.typname FROM pg_catalog.pg_type t"
                + " JOIN pg_catalog.pg_namespace n ON t.typnamespace = n.oid WHERE t.oid = ?";
        String byName = "SELECT pg_type.oid, typname FROM pg_catalog.pg_type WHERE typname = ?";
        List<List<String>> both = new ArrayList<>();
        for (Connection c : List.of(real, mine)) {
            List<String> out = new ArrayList<>();
            for (int oid : new int[] {16, 17, 20, 21, 23, 25, 700, 701, 1043, 1082, 1114, 1184, 1700, 2950, 1009, 424242}) {
                try (PreparedStatement ps = c.prepareStatement(byOid)) {
                    ps.setInt(1, oid);
                    try (ResultSet rs = ps.executeQuery()) {
                        out.add(oid + ":" + (rs.next() ? rs.getBoolean(1) + " " + rs.getString(2) + " " + rs.getString(3) : "none"));
                    }
                }
            }
            for (String name : new String[] {"int4", "text", "bytea", "numeric", "timestamp", "_text", "no_such_type"}) {
                try (PreparedStatement ps = c.prepareStatement(byName)) {
                    ps.setString(1, name);
                    try (ResultSet rs = ps.executeQuery()) {
                        out.add(name + ":" + (rs.next() ? rs.getLong(1) + " " + rs.getString(2) : "none"));
                    }
                }
            }
            both.add(out);
        }
        assertEquals(both.get(0), both.get(1));
    }

    @Test
    void psqlDescribeOutputMatches() throws Exception {
        io.wasmudf.h2.Required.resource(PsqlRunner.psql() != null, "psql is not installed (Debian package postgresql-client)");
        String script = "\\d " + TABLE + "\n\\d+ " + TABLE + "\n\\dt " + TABLE + "\n\\dt+ " + TABLE + "\n\\d no_such_relation_x\n"
                + "\\d " + TABLE + "_v\n\\dv " + TABLE + "_v\n";
        String expected = realPsql(script).replace("|" + pgProps.getProperty("user") + "|", "|OWNER|")
                .replace("|" + pgProps.getProperty("user") + "\n", "|OWNER\n").replaceAll("\\|\\d+ (bytes|kB)\\|", "|SIZE|");
        String actual = PsqlRunner.run("127.0.0.1", ours.server.port(), "wasmudf", "wasmudf", null, script).replace("|wasmudf|", "|OWNER|")
                .replace("|wasmudf\n", "|OWNER\n").replaceAll("\\|\\d+ (bytes|kB)\\|", "|SIZE|");
        assertEquals(expected, actual);
    }
}
