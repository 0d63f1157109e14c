package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wasmudf serve} as a separate process on a file database, stopped with SIGTERM. */
class ServeMainProcessTest {
    @TempDir
    Path dir;

    @Test
    void sigtermStopsCleanlyAndKeepsCommittedData() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String db = dir.resolve("served").toString();
        File log = dir.resolve("serve.log").toFile();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ServeLauncher.class.getName(), "--db", db,
                "--port", Integer.toString(port)).redirectErrorStream(true).redirectOutput(log).start();
        try {
            Properties props = new Properties();
            props.setProperty("user", "wasmudf");
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/wasmudf";
            Connection c = null;
            for (int i = 0; i < 300 && c == null && p.isAlive(); i++) {
                try {
                    c = DriverManager.getConnection(url, props);
                } catch (SQLException e) {
                    Thread.sleep(100);
                }
            }
            assertTrue(c != null, "server did not come up: " + Files.readString(log.toPath()));
            try (Connection open = DriverManager.getConnection(url, props)) {
                try (Statement st = c.createStatement()) {
                    st.execute("create table kept(x integer)");
                    st.execute("insert into kept values (1), (2)");
                    st.execute(PgTestServer.createFunction("add_i32(a integer, b integer) RETURNS integer", "math"));
                }
                open.setAutoCommit(false);
                try (Statement st = open.createStatement()) {
                    st.execute("insert into kept values (3)"); // never committed
                }
                p.destroy(); // SIGTERM
                assertTrue(p.waitFor(60, TimeUnit.SECONDS), "server did not stop on SIGTERM");
            } catch (SQLException expectedOnClose) {
                // closing a connection to a stopped server may fail; the data check below is what counts
            } finally {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // the server is gone
                }
            }
            String output = Files.readString(log.toPath());
            assertTrue(output.contains("server stopped"), output);
        } finally {
            p.destroyForcibly();
        }
        Properties sa = new Properties();
        sa.setProperty("user", "sa");
        sa.setProperty("password", "");
        try (Connection direct = io.wasmudf.h2.WasmDriver.load().connect(ServeMain.jdbcUrl(db), sa);
                Statement st = direct.createStatement()) {
            try (ResultSet rs = st.executeQuery("select sum(x), count(*) from kept")) {
                rs.next();
                assertEquals(3, rs.getInt(1));
                assertEquals(2, rs.getInt(2));
            }
            try (ResultSet rs = st.executeQuery("select add_i32(20, 22)")) {
                rs.next();
                assertEquals(42, rs.getInt(1));
            }
        }
    }
}
