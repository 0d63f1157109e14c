package io.wasmudf.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver's durability settings reach the database (the crash itself is CrashDurabilityTest's). */
class DurabilityTest {
    @TempDir
    Path dir;

    private static String writeDelay(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private Connection open(String name, String settings) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "sa");
        p.setProperty("password", "");
        return WasmDriver.load().connect(WasmDriver.PREFIX + "file:" + dir.resolve(name) + settings, p);
    }

    @Test
    void commitsAreWrittenBeforeTheyReturnByDefault() throws Exception {
        try (Connection c = open("a", "")) {
            assertEquals("0", writeDelay(c)); // H2 alone: 500
        }
        try (Connection c = open("b", ";WASM_SYNCHRONOUS_COMMIT=OFF;WASM_FSYNC=ON")) {
            assertEquals("500", writeDelay(c));
            try (Statement st = c.createStatement()) {
                st.execute("create table t(x int)");
                st.execute("insert into t values (1)"); // autocommit with a forced sync
            }
        }
        try (Connection c = open("c", ";WRITE_DELAY=100")) {
            assertEquals("100", writeDelay(c)); // an explicit H2 setting is H2's
        }
        SQLException e = assertThrows(SQLException.class, () -> open("d", ";WASM_FSYNC=maybe"));
        assertEquals("22023", e.getSQLState());
    }
}
