package io.wasmudf.h2;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.udfs.UdfModules;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.function.Executable;

/** Shared helpers: fresh databases, test modules, one-value queries, error assertions. */
final class TestSupport {
    private TestSupport() {}

    static {
        WasmDriver.load();
    }

    /** A URL of a fresh in-memory database. */
    static String memUrl() {
        return "jdbc:wasm:mem:t" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
    }

    /** A fresh file database path under target/. */
    static Path fileDb() {
        try {
            Path dir = Path.of("target", "test-dbs");
            Files.createDirectories(dir);
            return dir.toAbsolutePath().resolve("db" + UUID.randomUUID().toString().replace("-", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code url} without its {@code ;SETTING=…} part (only administrators may give H2 settings such as DB_CLOSE_DELAY). */
    static String withoutSettings(String url) {
        int semi = url.indexOf(';');
        return semi < 0 ? url : url.substring(0, semi);
    }

    static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, "sa", "");
    }

    /** A test module from src/test/resources/wasm (sources in the .wat files next to them). */
    static byte[] wasm(String name) {
        try (InputStream in = TestSupport.class.getResourceAsStream("/wasm/" + name + ".wasm")) {
            if (in == null) {
                throw new IllegalArgumentException("no test module " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static void upload(Connection c, String name, byte[] bytes) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO wasm.modules(name, bytes) VALUES (?, ?)")) {
            ps.setString(1, name);
            ps.setBytes(2, bytes);
            ps.executeUpdate();
        }
    }

    /** Uploads wasm-udfs' built module {@code module} and creates, IMMUTABLE, every function its manifest lists for it. */
    static void createManifestFunctions(Connection c, String module) throws SQLException {
        upload(c, module, UdfModules.bytes(module));
        for (UdfModules.Entry e : UdfModules.manifest()) {
            if (e.module().equals(module)) {
                exec(c, "CREATE FUNCTION " + e.sqlSignature() + " LANGUAGE wasm IMMUTABLE AS '" + module + "', '" + e.functionName() + "'");
            }
        }
    }

    /**
     * A new in-memory database with {@code bytes} uploaded as module {@code name} and one function
     * per declaration in {@code functions} ({@code "f(x integer) RETURNS integer STRICT"}), each
     * created {@code LANGUAGE wasm IMMUTABLE} from that module.
     */
    static Connection withFunctions(String name, byte[] bytes, String... functions) throws SQLException {
        Connection c = connect(memUrl());
        upload(c, name, bytes);
        for (String f : functions) {
            exec(c, "CREATE FUNCTION " + f + " LANGUAGE wasm IMMUTABLE AS '" + name + "'");
        }
        return c;
    }

    /** Runs a query returning one value. */
    static Object one(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), "no row: " + sql);
            return rs.getObject(1);
        }
    }

    static Object one(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "no row: " + sql);
                return rs.getObject(1);
            }
        }
    }

    /** Runs a query (with {@code args} bound in order); returns every row as a list of its values. */
    static List<List<Object>> rows(Connection c, String sql, Object... args) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        row.add(rs.getObject(i));
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }

    static long count(Connection c, String sql) throws SQLException {
        return ((Number) one(c, sql)).longValue();
    }

    /** Asserts that {@code action} fails with {@code sqlState}; returns the exception. */
    static SQLException fails(String sqlState, Executable action) {
        SQLException e = assertThrows(SQLException.class, action);
        if (!sqlState.equals(e.getSQLState())) {
            throw new AssertionError("expected SQLSTATE " + sqlState + " but got " + e.getSQLState() + ": " + e.getMessage(), e);
        }
        return e;
    }

    static String hex(byte[] b) {
        return io.wasmudf.sql.Hex.encode(b);
    }
}
