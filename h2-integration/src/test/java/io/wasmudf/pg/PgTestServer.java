package io.wasmudf.pg;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/** Starts a server on an ephemeral port over a private in-memory H2 database in PostgreSQL mode. */
final class PgTestServer implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    final String h2Url;
    final PgServer server;
    private final Connection keepAlive;

    PgTestServer() throws Exception {
        this(null);
    }

    PgTestServer(String password) throws Exception {
        this(password, false);
    }

    /**
     * With {@code wasm}, sessions use the {@code jdbc:wasm:} driver (CREATE FUNCTION ... LANGUAGE wasm)
     * on an H2 database with default settings, as {@code wasmudf serve} opens it.
     */
    PgTestServer(String password, boolean wasm) throws Exception {
        this(password, wasm, b -> { });
    }

    /**
     * A server on the wasm driver with roles (each session as its role's H2 user, as {@code wasmudf
     * serve} runs), its builder adjusted by {@code configure} (limits, timeouts…).
     */
    PgTestServer(String password, boolean wasm, java.util.function.Consumer<PgServer.Builder> configure) throws Exception {
        String name = "pgtest" + COUNTER.incrementAndGet() + "_" + System.nanoTime();
        if (wasm) {
            h2Url = "jdbc:h2:mem:" + name + ";MODE=PostgreSQL";
            String wasmUrl = io.wasmudf.h2.WasmDriver.PREFIX + "mem:" + name + ";MODE=PostgreSQL";
            keepAlive = io.wasmudf.h2.WasmDriver.load().connect(wasmUrl, new Properties());
            PgServer.Builder b = PgServer.builder().connectionFactory(() -> io.wasmudf.h2.WasmDriver.load().connect(wasmUrl, new Properties()))
                    .userConnectionFactory((user, pw) -> {
                        Properties p = new Properties();
                        p.setProperty("user", user);
                        p.setProperty("password", pw);
                        return io.wasmudf.h2.WasmDriver.load().connect(wasmUrl, p);
                    })
                    .port(0).password(password).authenticationFailureDelay(java.time.Duration.ZERO);
            configure.accept(b);
            server = b.build().start();
        } else {
            h2Url = "jdbc:h2:mem:" + name + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
            keepAlive = DriverManager.getConnection(h2Url);
            server = PgServer.builder().connectionFactory(() -> DriverManager.getConnection(h2Url)).port(0).password(password).build()
                    .start();
        }
    }

    /** The bytes of a module built by the wasm-udfs module (e.g. "math"). */
    static byte[] module(String name) throws java.io.IOException {
        try (var in = PgTestServer.class.getResourceAsStream("/io/wasmudf/udfs/" + name + ".wasm")) {
            if (in == null) {
                throw new java.io.FileNotFoundException("module " + name + ".wasm is not on the test classpath (wasm-udfs)");
            }
            return in.readAllBytes();
        }
    }

    /** A CREATE FUNCTION statement with the module inline as a bytea hex literal, as psql users write it. */
    static String createFunction(String signature, String module) throws java.io.IOException {
        return "CREATE FUNCTION " + signature + " LANGUAGE wasm STRICT AS '\\x" + java.util.HexFormat.of().formatHex(module(module)) + "'";
    }

    String url() {
        return "jdbc:postgresql://127.0.0.1:" + server.port() + "/wasmudf";
    }

    Connection connect() throws SQLException {
        return connect(new Properties());
    }

    Connection connect(Properties extra) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "wasmudf");
        p.putAll(extra);
        return DriverManager.getConnection(url(), p);
    }

    /** A pgJDBC connection as {@code role} (trust authentication, or {@code password}). */
    Connection connectAs(String role, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", role);
        if (password != null) {
            p.setProperty("password", password);
        }
        return DriverManager.getConnection(url(), p);
    }

    /** A direct H2 connection to the same database, to check what the server did. */
    Connection h2() throws SQLException {
        return DriverManager.getConnection(h2Url);
    }

    @Override
    public void close() throws Exception {
        server.stop();
        keepAlive.close();
    }
}
