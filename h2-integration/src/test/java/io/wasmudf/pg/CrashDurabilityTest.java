package io.wasmudf.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wasmudf serve} as a child process is killed with SIGKILL while clients commit inserts,
 * upload modules and create functions; after each restart every acknowledged row, module and
 * function must be there (functions callable). Five rounds of about a second of load each;
 * {@code -Dwasmudf.crash.rounds=N -Dwasmudf.crash.millis=M} for a longer run;
 * {@code -Dwasmudf.crash.serveArgs="--synchronous-commit off"} runs the server with H2's write delay,
 * which loses acknowledged commits (the test then fails).
 */
class CrashDurabilityTest {
    @TempDir
    Path dir;

    private final Set<Long> rows = ConcurrentHashMap.newKeySet();
    private final Set<String> modules = ConcurrentHashMap.newKeySet();
    private final Set<String> functions = ConcurrentHashMap.newKeySet();
    private final AtomicLong nextId = new AtomicLong();

    @Test
    void noAcknowledgedCommitIsLostWhenTheServerIsKilled() throws Exception {
        int rounds = Integer.getInteger("wasmudf.crash.rounds", 5);
        long loadMillis = Long.getLong("wasmudf.crash.millis", 1000);
        String db = dir.resolve("crash").toString();
        byte[] module = PgTestServer.module("math");
        for (int round = 0; round < rounds; round++) {
            int port = freePort();
            Process p = start(db, port);
            try {
                String url = "jdbc:postgresql://127.0.0.1:" + port + "/wasmudf";
                Connection c = waitForServer(url, p);
                verify(c, round);
                if (round == 0) {
                    try (Statement st = c.createStatement()) {
                        st.execute("create table acks(id bigint primary key, worker integer, payload varchar(100))");
                    }
                }
                c.close();
                AtomicBoolean stop = new AtomicBoolean();
                // the kill comes once every kind of work has been acknowledged at least once in this round, then after loadMillis
                java.util.concurrent.CountDownLatch working = new java.util.concurrent.CountDownLatch(3);
                AtomicBoolean rowDone = new AtomicBoolean();
                AtomicBoolean moduleDone = new AtomicBoolean();
                AtomicBoolean functionDone = new AtomicBoolean();
                ExecutorService pool = Executors.newFixedThreadPool(6);
                for (int w = 0; w < 4; w++) {
                    int worker = w;
                    pool.submit(() -> work(url, stop, con -> {
                        long id = nextId.incrementAndGet();
                        try (PreparedStatement ps = con.prepareStatement("insert into acks values (?, ?, ?)")) {
                            ps.setLong(1, id);
                            ps.setInt(2, worker);
                            ps.setString(3, "row " + id);
                            ps.executeUpdate();
                        }
                        rows.add(id); // acknowledged: the COMMIT of the implicit transaction returned
                        if (!rowDone.getAndSet(true)) {
                            working.countDown();
                        }
                    }));
                }
                int r = round;
                pool.submit(() -> work(url, stop, con -> {
                    String name = "m" + r + "_" + nextId.incrementAndGet();
                    try (PreparedStatement ps = con.prepareStatement("insert into wasm.modules(name, bytes) values (?, ?)")) {
                        ps.setString(1, name);
                        ps.setBytes(2, module);
                        ps.executeUpdate();
                    }
                    modules.add(name);
                    if (!moduleDone.getAndSet(true)) {
                        working.countDown();
                    }
                }));
                pool.submit(() -> work(url, stop, con -> {
                    if (modules.isEmpty()) {
                        Thread.sleep(5);
                        return;
                    }
                    String from = modules.iterator().next();
                    String name = "f" + r + "_" + nextId.incrementAndGet();
                    try (Statement st = con.createStatement()) {
                        st.execute("create function " + name + "(a integer, b integer) returns integer language wasm strict as '" + from
                                + "', 'add_i32'");
                    }
                    functions.add(name);
                    if (!functionDone.getAndSet(true)) {
                        working.countDown();
                    }
                }));
                assertTrue(working.await(120, TimeUnit.SECONDS), "the load did not start");
                Thread.sleep(loadMillis);
                p.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close
                assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                stop.set(true);
                pool.shutdown();
                assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
            } finally {
                p.destroyForcibly();
            }
        }
        int port = freePort();
        Process p = start(db, port);
        try (Connection c = waitForServer("jdbc:postgresql://127.0.0.1:" + port + "/wasmudf", p)) {
            verify(c, rounds);
        } finally {
            p.destroyForcibly();
        }
        System.out.println("CrashDurabilityTest: " + rounds + " kills, acknowledged and found again: " + rows.size() + " rows, "
                + modules.size() + " modules, " + functions.size() + " functions");
        assertTrue(rows.size() > 50 && !modules.isEmpty() && !functions.isEmpty(), "too little load to mean anything");
    }

    /** The same for an embedded jdbc:wasm:file: database: the driver's default keeps every acknowledged commit. */
    @Test
    void noAcknowledgedEmbeddedCommitIsLostWhenTheProcessIsKilled() throws Exception {
        String db = dir.resolve("embedded").toString();
        Set<Long> acknowledged = new HashSet<>();
        long next = 1;
        for (int round = 0; round < 3; round++) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), EmbeddedWriter.class.getName(), db,
                    Long.toString(next), System.getProperty("wasmudf.crash.embeddedUrlSuffix", "")).redirectErrorStream(true).start();
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
            long deadline = -1;
            String line;
            while ((line = out.readLine()) != null) {
                if (line.matches("\\d+")) {
                    acknowledged.add(Long.parseLong(line));
                    if (deadline < 0) {
                        deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
                    }
                    if (System.nanoTime() > deadline) {
                        p.toHandle().destroyForcibly(); // SIGKILL in the middle of the inserts; lines still in the pipe count too
                        deadline = Long.MAX_VALUE;
                    }
                }
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            next = acknowledged.stream().mapToLong(Long::longValue).max().orElse(0) + 1_000_000;
        }
        Set<Long> found = new HashSet<>();
        Properties sa = new Properties();
        sa.setProperty("user", "sa");
        sa.setProperty("password", "");
        try (Connection c = io.wasmudf.h2.WasmDriver.load().connect(io.wasmudf.h2.WasmDriver.PREFIX + "file:" + db, sa);
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select id from acks")) {
            while (rs.next()) {
                found.add(rs.getLong(1));
            }
        }
        List<Long> lost = new ArrayList<>(acknowledged);
        lost.removeAll(found);
        assertTrue(acknowledged.size() > 10, "too little load: " + acknowledged.size());
        assertEquals(List.of(), lost, "acknowledged embedded commits lost");
    }

    private interface Step {
        void run(Connection c) throws Exception;
    }

    /** Repeats {@code step} on one connection until told to stop or the server dies. */
    private static void work(String url, AtomicBoolean stop, Step step) {
        try (Connection c = DriverManager.getConnection(url, props())) {
            while (!stop.get()) {
                step.run(c);
            }
        } catch (Exception serverKilled) {
            // the server went away: what was acknowledged before counts
        }
    }

    /** Every acknowledged row, module and function is there after the crash; functions still work. */
    private void verify(Connection c, int round) throws SQLException {
        Set<Long> found = new HashSet<>();
        try (Statement st = c.createStatement()) {
            if (round > 0) {
                try (ResultSet rs = st.executeQuery("select id from acks")) {
                    while (rs.next()) {
                        found.add(rs.getLong(1));
                    }
                }
            }
            List<Long> lostRows = new ArrayList<>(rows);
            lostRows.removeAll(found);
            Set<String> foundModules = new HashSet<>();
            try (ResultSet rs = st.executeQuery("select name from wasm.modules")) {
                while (rs.next()) {
                    foundModules.add(rs.getString(1));
                }
            }
            List<String> lostModules = new ArrayList<>(modules);
            lostModules.removeAll(foundModules);
            List<String> lostFunctions = new ArrayList<>();
            for (String f : functions) {
                try (ResultSet rs = st.executeQuery("select " + f + "(40, 2)")) {
                    rs.next();
                    assertEquals(42, rs.getInt(1));
                } catch (SQLException e) {
                    lostFunctions.add(f + " (" + e.getMessage() + ")");
                }
            }
            assertEquals("lost 0 rows, 0 modules, 0 functions", "lost " + lostRows.size() + " rows, " + lostModules.size() + " modules, "
                    + lostFunctions.size() + " functions", "after kill " + round + ": rows " + lostRows + " modules " + lostModules
                            + " functions " + lostFunctions);
        }
    }

    private static Properties props() {
        Properties p = new Properties();
        p.setProperty("user", "wasmudf");
        p.setProperty("connectTimeout", "10");
        return p;
    }

    private Process start(String db, int port) throws Exception {
        File log = dir.resolve("serve-" + port + ".log").toFile();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), ServeLauncher.class.getName(),
                "--db", db, "--port", Integer.toString(port)));
        // e.g. -Dwasmudf.crash.serveArgs="--synchronous-commit off" shows what the test catches
        String extra = System.getProperty("wasmudf.crash.serveArgs", "").trim();
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    }

    private static Connection waitForServer(String url, Process p) throws Exception {
        for (int i = 0; i < 600 && p.isAlive(); i++) {
            try {
                return DriverManager.getConnection(url, props());
            } catch (SQLException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("server did not come up");
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
