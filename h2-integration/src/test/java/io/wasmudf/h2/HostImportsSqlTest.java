package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.connect;
import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.fails;
import static io.wasmudf.h2.TestSupport.hex;
import static io.wasmudf.h2.TestSupport.memUrl;
import static io.wasmudf.h2.TestSupport.one;
import static io.wasmudf.h2.TestSupport.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.Wat;
import io.wasmudf.udfs.UdfModules;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Modules with imports through SQL (docs/WASI.md): CREATE FUNCTION takes what the host environment
 * provides and lists everything else at once; the grants follow the volatility or
 * {@code SET wasm.grants}; guest output becomes the statement's warnings; guest-raised errors,
 * exits, aborts and allocator failures get their SQLSTATEs; the hostile modules of wasm-udfs get
 * WASI's errnos, and the connection stays usable after each.
 */
class HostImportsSqlTest {
    private static Connection c;

    @BeforeAll
    static void setUp() throws SQLException {
        c = connect(memUrl());
        for (String m : List.of("test-wasi-hostile", "test-rust-hostile", "test-as-hostile")) {
            upload(c, m, UdfModules.bytes(m));
        }
        String w = "test-wasi-hostile";
        create("open_passwd() RETURNS integer STRICT", w);
        create("path_open_raw(dirfd integer) RETURNS integer STRICT", w);
        create("read_home() RETURNS integer STRICT", w);
        create("socket_errnos() RETURNS integer STRICT", w);
        create("flood(mib integer) RETURNS bigint STRICT", w);
        create("wild_pointers() RETURNS integer STRICT", w);
        create("hello(name text) RETURNS text STRICT", w);
        // wasmudf.raise_error and notice straight from a hand-written module: 1 raises 22012, 2 passes a non-error SQLSTATE, 3 notices,
        // 100 + n exits with n
        exec(c, "CREATE FUNCTION act(what integer) RETURNS integer LANGUAGE wasm IMMUTABLE STRICT AS X'" + hex(Wat.toBinary("""
                (module
                  (import "wasmudf" "raise_error" (func $raise (param i32 i32 i32 i32)))
                  (import "wasmudf" "notice" (func $notice (param i32 i32)))
                  (import "wasmudf" "warning" (func $warning (param i32 i32)))
                  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
                  (memory (export "memory") 1)
                  (data (i32.const 0) "2201201000division by zero in the guestnot an error classa notice of the guest")
                  (func (export "act") (param $what i32) (result i32)
                    (if (i32.eq (local.get $what) (i32.const 1)) (then (call $raise (i32.const 0) (i32.const 5) (i32.const 10) (i32.const 29))))
                    (if (i32.eq (local.get $what) (i32.const 2)) (then (call $raise (i32.const 5) (i32.const 5) (i32.const 39) (i32.const 18))))
                    (if (i32.eq (local.get $what) (i32.const 3)) (then
                      (call $notice (i32.const 57) (i32.const 21))
                      (call $warning (i32.const 39) (i32.const 18))))
                    (if (i32.ge_s (local.get $what) (i32.const 100)) (then (call $exit (i32.sub (local.get $what) (i32.const 100)))))
                    (local.get $what)))""")) + "'");
        create("leak(kib integer) RETURNS integer STRICT", w);
        exec(c, "CREATE FUNCTION sleep_forever() RETURNS integer LANGUAGE wasm VOLATILE STRICT AS '" + w + "' SET wasm.timeout = '300ms'");
        exec(c, "CREATE FUNCTION sleep_forever_fixed() RETURNS integer LANGUAGE wasm IMMUTABLE STRICT AS '" + w + "', 'sleep_forever'"
                + " SET wasm.timeout = '300ms'");
        exec(c, "CREATE FUNCTION now_fixed() RETURNS bigint LANGUAGE wasm IMMUTABLE STRICT AS '" + w + "', 'now_ns'");
        exec(c, "CREATE FUNCTION now_real() RETURNS bigint LANGUAGE wasm VOLATILE STRICT AS '" + w + "', 'now_ns'");
        exec(c, "CREATE FUNCTION now_denied() RETURNS bigint LANGUAGE wasm VOLATILE STRICT AS '" + w + "', 'now_ns' SET wasm.grants = 'none'");
        exec(c, "CREATE FUNCTION random_seeded() RETURNS bigint LANGUAGE wasm STABLE STRICT AS '" + w + "', 'random64'");
        exec(c, "CREATE FUNCTION random_real() RETURNS bigint LANGUAGE wasm VOLATILE STRICT AS '" + w + "', 'random64'");
        exec(c, "CREATE FUNCTION random_clock_only() RETURNS bigint LANGUAGE wasm VOLATILE STRICT AS '" + w + "', 'random64'"
                + " SET wasm.grants = 'clock=real'");
        String r = "test-rust-hostile";
        create("read_passwd() RETURNS text STRICT", r);
        create("home() RETURNS text CALLED ON NULL INPUT", r);
        create("shout(s text) RETURNS text STRICT", r);
        create("fail(msg text) RETURNS integer STRICT", r);
        exec(c, "CREATE FUNCTION rust_exit(code integer) RETURNS integer LANGUAGE wasm IMMUTABLE STRICT AS '" + r + "', 'exit_with'");
        String a = "test-as-hostile";
        create("checked(s text) RETURNS text STRICT", a);
        create("traced(x integer) RETURNS integer STRICT", a);
        exec(c, "CREATE FUNCTION random_unit() RETURNS double precision LANGUAGE wasm VOLATILE STRICT AS '" + a + "'");
        exec(c, "CREATE FUNCTION random_unit_denied() RETURNS double precision LANGUAGE wasm VOLATILE STRICT AS '" + a + "', 'random_unit'"
                + " SET wasm.grants = 'random=denied,clock=real'");
    }

    private static void create(String signature, String module) throws SQLException {
        exec(c, "CREATE FUNCTION " + signature + " LANGUAGE wasm IMMUTABLE AS '" + module + "'");
    }

    @AfterAll
    static void tearDown() throws SQLException {
        c.close();
    }

    /** The connection and the function's module still answer after a failure. */
    private static void stillUsable() throws SQLException {
        assertEquals("hello, again", one(c, "SELECT hello('again')"));
        assertEquals(2, one(c, "SELECT 1 + 1"));
    }

    // ---- CREATE FUNCTION -------------------------------------------------------------------

    @Test
    void everyUnsatisfiedImportIsListedInOne42P13() throws SQLException {
        byte[] bad = Wat.toBinary("""
                (module
                  (import "env" "host_log" (func (param i32)))
                  (import "wasi_snapshot_preview1" "fd_read" (func (param i32) (result i32)))
                  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
                  (import "spectest" "print" (func))
                  (func (export "answer") (result i32) (i32.const 42)))""");
        SQLException e = fails("42P13", () -> exec(c, "CREATE FUNCTION answer_bad() RETURNS integer LANGUAGE wasm STRICT AS X'" + hex(bad) + "'"));
        String m = e.getMessage();
        assertTrue(m.startsWith("function answer_bad: module imports 3 names the host does not provide: env.host_log (unknown import"), m);
        assertTrue(m.contains("wasi_snapshot_preview1.fd_read (imported as (i32) -> i32 but the host provides (i32, i32, i32, i32) -> i32)"), m);
        assertTrue(m.contains("spectest.print (unknown import"), m);
        assertTrue(!m.contains("fd_write"), "fd_write is provided: " + m);
        stillUsable();
    }

    @Test
    void procExitInInitializeIsRefusedAtCreate() throws SQLException {
        byte[] exits = Wat.toBinary("""
                (module
                  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
                  (memory (export "memory") 1)
                  (func (export "_initialize") (call $exit (i32.const 7)))
                  (func (export "answer_exits") (result i32) (i32.const 42)))""");
        SQLException e = fails("42P13", () -> exec(c, "CREATE FUNCTION answer_exits() RETURNS integer LANGUAGE wasm STRICT AS X'" + hex(exits) + "'"));
        assertTrue(e.getMessage().startsWith("function answer_exits: the module cannot be used: it exits while initialising"
                + " (the module called proc_exit(7) in _initialize)"), e.getMessage());
        // a reactor whose _initialize returns is initialised once per instance: its global says so
        byte[] reactor = Wat.toBinary("""
                (module
                  (global $inits (mut i32) (i32.const 0))
                  (func (export "_initialize") (global.set $inits (i32.add (global.get $inits) (i32.const 1))))
                  (func (export "inits") (result i32) (global.get $inits)))""");
        exec(c, "CREATE FUNCTION inits() RETURNS integer LANGUAGE wasm STRICT AS X'" + hex(reactor) + "'");
        assertEquals(1, one(c, "SELECT inits()"));
        assertEquals(1, one(c, "SELECT MAX(inits()) FROM SYSTEM_RANGE(1, 50)"));
        exec(c, "DROP FUNCTION inits");
    }

    @Test
    void grantsFollowTheVolatilityUnlessSetAndAreInTheCatalog() throws SQLException {
        assertEquals("clock=fixed,random=seeded", grants("NOW_FIXED"));
        assertEquals("clock=fixed,random=seeded", grants("RANDOM_SEEDED"), "STABLE is deterministic too");
        assertEquals("clock=real,random=real", grants("NOW_REAL"));
        assertEquals("clock=denied,random=denied", grants("NOW_DENIED"));
        assertEquals("clock=real,random=denied", grants("RANDOM_CLOCK_ONLY"), "a part left out is denied");
        SQLException e = fails("22023", () -> exec(c, "CREATE FUNCTION g() RETURNS bigint LANGUAGE wasm STRICT AS 'test-wasi-hostile', 'now_ns'"
                + " SET wasm.grants = 'clock=sometimes'"));
        assertTrue(e.getMessage().contains("invalid value for parameter \"wasm.grants\": \"clock=sometimes\""), e.getMessage());
        // the grants survive CREATE OR REPLACE with another volatility only as that volatility's default
        exec(c, "CREATE FUNCTION vol() RETURNS bigint LANGUAGE wasm IMMUTABLE STRICT AS 'test-wasi-hostile', 'now_ns'");
        assertEquals("clock=fixed,random=seeded", grants("VOL"));
        exec(c, "CREATE OR REPLACE FUNCTION vol() RETURNS bigint LANGUAGE wasm VOLATILE STRICT AS 'test-wasi-hostile', 'now_ns'");
        assertEquals("clock=real,random=real", grants("VOL"));
        exec(c, "DROP FUNCTION vol");
    }

    private static String grants(String name) throws SQLException {
        return (String) one(c, "SELECT grants FROM wasm.functions WHERE name = ?", name);
    }

    @Test
    void theClockAndRandomNumbersFollowTheGrants() throws SQLException {
        assertEquals(0L, one(c, "SELECT now_fixed()"), "a fixed clock starts at the Unix epoch in every call");
        long before = System.currentTimeMillis();
        long real = (Long) one(c, "SELECT now_real()");
        assertTrue(Math.abs(real / 1_000_000 - before) < 60_000, real + " vs " + before);
        assertEquals(-76L, one(c, "SELECT now_denied()"), "ENOTCAPABLE");
        assertEquals(-76L, one(c, "SELECT random_clock_only()"), "ENOTCAPABLE");
        // seeded: the same value in every row and every statement (restarted per call); real: not
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT COUNT(DISTINCT random_seeded()), COUNT(DISTINCT random_real()) FROM SYSTEM_RANGE(1, 20)")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
            assertEquals(20, rs.getInt(2));
        }
        assertEquals(one(c, "SELECT random_seeded()"), one(c, "SELECT random_seeded()"));
        assertNotEquals(one(c, "SELECT random_real()"), one(c, "SELECT random_real()"));
        double u = (Double) one(c, "SELECT random_unit()");
        assertTrue(u >= 0 && u < 1, "AssemblyScript's Math.random seeded through env.seed: " + u);
        SQLException e = fails("38000", () -> one(c, "SELECT random_unit_denied()"));
        assertTrue(e.getMessage().startsWith("function random_unit_denied: wasm trap: "), e.getMessage());
        assertTrue(e.getMessage().contains("random numbers are not granted"), e.getMessage());
    }

    // ---- the sandbox -------------------------------------------------------------------------

    @Test
    void filesEnvironmentAndSocketsGetWasiErrors() throws SQLException {
        assertEquals(-76, one(c, "SELECT open_passwd()"), "open(\"/etc/passwd\"): ENOTCAPABLE, no preopened directory");
        assertEquals(8, one(c, "SELECT path_open_raw(3)"), "EBADF: fd 3 is no preopen");
        assertEquals(76, one(c, "SELECT path_open_raw(1)"), "ENOTCAPABLE: stdout has no path rights");
        assertEquals(0, one(c, "SELECT read_home()"), "the environment is empty");
        assertEquals(5858, one(c, "SELECT socket_errnos()"), "ENOTSUP for send and accept");
        assertEquals(2121, one(c, "SELECT wild_pointers()"), "EFAULT for pointers outside memory");
        String passwd = (String) one(c, "SELECT read_passwd()");
        assertTrue(passwd.startsWith("error: ") && passwd.contains("pre-opened"), passwd);
        assertNull(one(c, "SELECT home()"));
    }

    @Test
    void aGibibyteOfStdoutIsCountedWrittenAndKeptBounded() throws SQLException {
        try (Statement st = c.createStatement()) {
            long t0 = System.nanoTime();
            try (ResultSet rs = st.executeQuery("SELECT flood(1024)")) {
                rs.next();
                assertEquals(1L << 30, rs.getLong(1), "every byte reported written, so the guest does not retry");
            }
            assertTrue(System.nanoTime() - t0 < 60_000_000_000L);
            List<SQLWarning> ws = warnings(st);
            long kept = ws.stream().filter(w -> w.getMessage().startsWith("function flood: stdout: ")).mapToLong(w -> w.getMessage().length()).sum();
            assertTrue(kept <= 70_000, kept + " characters kept");
            assertTrue(ws.stream().anyMatch(w -> w.getSQLState().equals("01000")
                    && w.getMessage().startsWith("function flood: output truncated: more than 65536 bytes in one call")), ws.toString());
        }
        stillUsable();
    }

    @Test
    void sleepingForeverEndsAtTheFunctionsTimeout() throws SQLException {
        for (String f : List.of("sleep_forever", "sleep_forever_fixed")) {
            long t0 = System.nanoTime();
            SQLException e = fails("57014", () -> one(c, "SELECT " + f + "()"));
            assertTrue(e.getMessage().startsWith("function " + f + ": "), e.getMessage());
            assertTrue(System.nanoTime() - t0 < 30_000_000_000L, f);
        }
        stillUsable();
    }

    // ---- errors -------------------------------------------------------------------------------

    @Test
    void exitsAreErrorsNamingTheCodeAndTheNextCallGetsAFreshInstance() throws SQLException {
        SQLException e = fails("38000", () -> one(c, "SELECT act(103)"));
        assertTrue(e.getMessage().startsWith("function act: the module exited with code 3 (proc_exit)"), e.getMessage());
        assertEquals(7, one(c, "SELECT act(7)"));
        stillUsable();
        e = fails("38000", () -> one(c, "SELECT rust_exit(0)"));
        assertTrue(e.getMessage().startsWith("function rust_exit: the module exited with code 0 (proc_exit)"), e.getMessage());
        assertEquals("HI", one(c, "SELECT shout('hi')"));
    }

    @Test
    void guestRaisedErrorsCarryTheGuestsSqlstateAndMessage() throws SQLException {
        SQLException e = fails("22012", () -> one(c, "SELECT act(1)"));
        assertTrue(e.getMessage().startsWith("function act: division by zero in the guest"), e.getMessage());
        e = fails("38000", () -> one(c, "SELECT act(2)"));
        assertTrue(e.getMessage().startsWith("function act: invalid SQLSTATE \"01000\""), e.getMessage());
        assertTrue(e.getMessage().contains("not an error class"), e.getMessage());
        assertEquals(4, one(c, "SELECT act(4)"));
        stillUsable();
        // a Rust panic becomes raise_error("38000", <panic message>)
        e = fails("38000", () -> one(c, "SELECT fail('it went wrong')"));
        assertTrue(e.getMessage().startsWith("function fail: ") && e.getMessage().contains("it went wrong"), e.getMessage());
        assertEquals("OK", one(c, "SELECT shout('ok')"));
    }

    @Test
    void assemblyScriptAbortIsA38000WithItsDecodedMessage() throws SQLException {
        assertEquals("fine", one(c, "SELECT checked('fine')"));
        SQLException e = fails("38000", () -> one(c, "SELECT checked('')"));
        assertTrue(e.getMessage().matches("(?s)function checked: abort: empty input at \\S+test_hostile\\.ts:\\d+:\\d+.*"), e.getMessage());
        e = fails("38000", () -> one(c, "SELECT checked('far too long')"));
        assertTrue(e.getMessage().matches("(?s)function checked: abort: too long: far too long at \\S+:\\d+:\\d+.*"), e.getMessage());
        assertEquals("again", one(c, "SELECT checked('again')"));
    }

    @Test
    void anAllocatorThatFailsIs53200AndTheNextCallGetsAFreshInstance() throws SQLException {
        // wasi-libc's malloc runs out after memory.grow is refused: the SDK's cabi_realloc traps, reported as out of memory
        exec(c, "CREATE FUNCTION hello_small(name text) RETURNS text LANGUAGE wasm STRICT AS 'test-wasi-hostile', 'hello'"
                + " SET wasm.max_memory = '2MB'");
        exec(c, "CREATE FUNCTION leak_small(kib integer) RETURNS integer LANGUAGE wasm STRICT AS 'test-wasi-hostile', 'leak'"
                + " SET wasm.max_memory = '2MB'");
        // a cabi_realloc that answers NULL (as a plain malloc does when it runs out), or a block past the end of memory
        exec(c, "CREATE FUNCTION null_alloc(s text) RETURNS integer LANGUAGE wasm STRICT AS X'" + hex(Wat.toBinary("""
                (module
                  (memory (export "memory") 1)
                  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32)
                    (if (result i32) (i32.eq (local.get 3) (i32.const 9)) (then (i32.const 65530))
                      (else (if (result i32) (i32.gt_u (local.get 3) (i32.const 9)) (then (i32.const 0)) (else (i32.const 1024))))))
                  (func (export "null_alloc") (param i32 i32) (result i32) (local.get 1)))""")) + "'");
        try {
            int leaks = 0;
            while ((Integer) one(c, "SELECT leak_small(64)") == 0) {
                assertTrue(++leaks < 100, "2 MB hold fewer than 100 blocks of 64 KiB");
            }
            SQLException e = fails("53200", () -> one(c, "SELECT hello_small(REPEAT('x', 100000))"));
            assertTrue(e.getMessage().startsWith("function hello_small: out of memory: "), e.getMessage());
            assertEquals("hello, fresh instance", one(c, "SELECT hello_small('fresh instance')"));

            // short texts get 3 bytes per char (docs/ABI.md): 'ab' asks for 6, 'abc' for 9, 'abcd' for 12
            assertEquals(2, one(c, "SELECT null_alloc('ab')"));
            e = fails("53200", () -> one(c, "SELECT null_alloc('abcd')"));
            assertTrue(e.getMessage().startsWith("function null_alloc: out of memory: the module's cabi_realloc returned 0 (NULL) for 12 bytes"
                    + " of argument"), e.getMessage());
            e = fails("53200", () -> one(c, "SELECT null_alloc('abc')"));
            assertTrue(e.getMessage().startsWith("function null_alloc: out of memory: the module's cabi_realloc returned 65530 for 9 bytes"
                    + " of argument, a block outside its 65536 bytes of memory"), e.getMessage());
            assertEquals(1, one(c, "SELECT null_alloc('a')"));
        } finally {
            exec(c, "DROP FUNCTION hello_small");
            exec(c, "DROP FUNCTION leak_small");
            exec(c, "DROP FUNCTION null_alloc");
        }
    }

    // ---- output --------------------------------------------------------------------------------

    @Test
    void stdoutStderrAndTraceBecomeTheStatementsWarnings() throws SQLException {
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT hello('ada'), shout('hey'), traced(21)")) {
                rs.next();
                assertEquals("hello, ada", rs.getString(1));
                assertEquals("HEY", rs.getString(2));
                assertEquals(42, rs.getInt(3));
            }
            List<String> got = new ArrayList<>();
            for (SQLWarning w : warnings(st)) {
                got.add(w.getSQLState() + " " + w.getMessage());
            }
            assertEquals(List.of("00000 function hello: stdout: hello, ada", "00000 function hello: stderr: said hello to ada",
                    "00000 function shout: stdout: hey!", "00000 function shout: stderr: shouted 3", "00000 function traced: trace: traced 21, 0.5"),
                    got);
            st.executeQuery("SELECT act(3)").close();
            got.clear();
            for (SQLWarning w : warnings(st)) {
                got.add(w.getSQLState() + " " + w.getMessage());
            }
            assertEquals(List.of("00000 a notice of the guest", "01000 not an error class"), got, "wasmudf.notice and warning as written");
            st.execute("SELECT 1");
            assertNull(st.getWarnings(), "a new execution starts without warnings");
        }
        // a prepared statement collects per execution too
        try (var ps = c.prepareStatement("SELECT hello(?)")) {
            ps.setString(1, "x");
            ps.executeQuery().close();
            assertEquals("function hello: stdout: hello, x", ps.getWarnings().getMessage());
            ps.setString(1, "y");
            ps.executeQuery().close();
            assertEquals("function hello: stdout: hello, y", ps.getWarnings().getMessage());
        }
    }

    @Test
    void sessionsSeeOnlyTheirOwnOutputAndHostState() throws Exception {
        String url = memUrl();
        try (Connection a = connect(url); Connection b = connect(url)) {
            upload(a, "hostile", UdfModules.bytes("test-wasi-hostile"));
            exec(a, "CREATE FUNCTION hello(name text) RETURNS text LANGUAGE wasm IMMUTABLE STRICT AS 'hostile'");
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                List<java.util.concurrent.Future<List<String>>> futures = new ArrayList<>();
                for (Connection conn : List.of(a, b)) {
                    String who = conn == a ? "a" : "b";
                    futures.add(pool.submit(() -> {
                        List<String> seen = new ArrayList<>();
                        for (int i = 0; i < 50; i++) {
                            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT hello('" + who + i + "')")) {
                                rs.next();
                                assertEquals("hello, " + who + i, rs.getString(1));
                                for (SQLWarning w : warnings(st)) {
                                    seen.add(w.getMessage());
                                }
                            }
                        }
                        return seen;
                    }));
                }
                for (int k = 0; k < 2; k++) {
                    String who = k == 0 ? "a" : "b";
                    List<String> seen = futures.get(k).get(60, java.util.concurrent.TimeUnit.SECONDS);
                    assertEquals(100, seen.size(), who + ": " + seen);
                    for (int i = 0; i < 50; i++) {
                        assertEquals("function hello: stdout: hello, " + who + i, seen.get(2 * i));
                        assertEquals("function hello: stderr: said hello to " + who + i, seen.get(2 * i + 1));
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void grantsSurviveARestart() throws SQLException {
        String url = "jdbc:wasm:file:" + TestSupport.fileDb();
        try (Connection f = connect(url)) {
            upload(f, "hostile", UdfModules.bytes("test-wasi-hostile"));
            exec(f, "CREATE FUNCTION now_none() RETURNS bigint LANGUAGE wasm VOLATILE STRICT AS 'hostile', 'now_ns' SET wasm.grants = 'none'");
            exec(f, "CREATE FUNCTION now_det() RETURNS bigint LANGUAGE wasm IMMUTABLE STRICT AS 'hostile', 'now_ns'");
            assertEquals(-76L, one(f, "SELECT now_none()"));
        }
        try (Connection f = connect(url)) {
            assertEquals("clock=denied,random=denied", one(f, "SELECT grants FROM wasm.functions WHERE name = 'NOW_NONE'"));
            assertEquals(-76L, one(f, "SELECT now_none()"));
            assertEquals(0L, one(f, "SELECT now_det()"));
        }
    }

    @Test
    void aVersion2CatalogGetsTheGrantsColumnAndItsFunctionsTheirVolatilitysGrants() throws SQLException {
        java.nio.file.Path db = TestSupport.fileDb();
        try (Connection f = connect("jdbc:wasm:file:" + db)) {
            upload(f, "hostile", UdfModules.bytes("test-wasi-hostile"));
            exec(f, "CREATE FUNCTION now_det() RETURNS bigint LANGUAGE wasm IMMUTABLE STRICT AS 'hostile', 'now_ns'");
            exec(f, "CREATE FUNCTION now_vol() RETURNS bigint LANGUAGE wasm VOLATILE STRICT AS 'hostile', 'now_ns'");
        }
        // as the previous release left it: no grants column, catalog version 2
        try (Connection h = java.sql.DriverManager.getConnection("jdbc:h2:file:" + db, "sa", "")) {
            exec(h, "ALTER TABLE wasm.functions DROP COLUMN grants");
            exec(h, "UPDATE wasm.catalog SET catalog_version = 2");
        }
        try (Connection f = connect("jdbc:wasm:file:" + db)) {
            assertEquals(CatalogStore.CATALOG_VERSION, one(f, "SELECT catalog_version FROM wasm.catalog"));
            assertNull(one(f, "SELECT grants FROM wasm.functions WHERE name = 'NOW_DET'"), "not rewritten, read as the default");
            assertEquals(0L, one(f, "SELECT now_det()"), "IMMUTABLE: the fixed clock");
            long real = (Long) one(f, "SELECT now_vol()");
            assertTrue(real > 1_000_000_000_000_000_000L, "VOLATILE: the real clock, " + real);
        }
    }

    private static List<SQLWarning> warnings(Statement st) throws SQLException {
        List<SQLWarning> out = new ArrayList<>();
        for (SQLWarning w = st.getWarnings(); w != null; w = w.getNextWarning()) {
            out.add(w);
        }
        return out;
    }
}
