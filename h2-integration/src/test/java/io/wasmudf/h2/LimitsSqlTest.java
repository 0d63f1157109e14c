package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.connect;
import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.fails;
import static io.wasmudf.h2.TestSupport.memUrl;
import static io.wasmudf.h2.TestSupport.one;
import static io.wasmudf.h2.TestSupport.upload;
import static io.wasmudf.h2.TestSupport.wasm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.udfs.UdfModules;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Each resource limit through SQL: what stops, with which SQLSTATE and message, and that the session carries on. */
class LimitsSqlTest {
    private static final Duration GENEROUS = Duration.ofSeconds(20);

    /** A fresh database with module "limits" (src/test/resources/wasm/limits.wat) and its functions at default limits. */
    static Connection limitsDb(String url) throws SQLException {
        Connection c = connect(url);
        upload(c, "limits", wasm("limits"));
        exec(c, "CREATE FUNCTION spin() RETURNS integer LANGUAGE wasm STRICT AS 'limits'");
        exec(c, "CREATE FUNCTION burn(n bigint) RETURNS bigint LANGUAGE wasm STRICT AS 'limits'");
        exec(c, "CREATE FUNCTION depth(n integer) RETURNS integer LANGUAGE wasm STRICT AS 'limits'");
        exec(c, "CREATE FUNCTION grow(n integer) RETURNS integer LANGUAGE wasm STRICT AS 'limits'");
        exec(c, "CREATE FUNCTION pages() RETURNS integer LANGUAGE wasm STRICT AS 'limits'");
        exec(c, "CREATE FUNCTION put_marker(v integer) RETURNS integer LANGUAGE wasm STRICT AS 'limits'");
        exec(c, "CREATE FUNCTION get_marker() RETURNS integer LANGUAGE wasm STRICT AS 'limits'");
        exec(c, "CREATE FUNCTION div_by(a integer, b integer) RETURNS integer LANGUAGE wasm STRICT AS 'limits'");
        return c;
    }

    // ---- time ------------------------------------------------------------------------------

    @Test
    void setQueryTimeoutStopsAnInfiniteLoop() throws SQLException {
        try (Connection c = limitsDb(memUrl()); Statement st = c.createStatement()) {
            st.setQueryTimeout(1);
            SQLException e = assertTimeoutPreemptively(GENEROUS, () -> fails("57014", () -> st.executeQuery("SELECT spin()")));
            assertTrue(e.getMessage().contains("function spin: execution deadline exceeded"), e.getMessage());
            assertTrue(e.getMessage().contains("statement timeout"), e.getMessage());
            st.setQueryTimeout(0);
            assertEquals(4, one(c, "SELECT div_by(8, 2)"));
        }
    }

    @Test
    void h2QueryTimeoutSettingStopsAnInfiniteLoopInMilliseconds() throws SQLException {
        try (Connection c = limitsDb(memUrl())) {
            exec(c, "SET QUERY_TIMEOUT 200");
            long start = System.nanoTime();
            SQLException e = assertTimeoutPreemptively(GENEROUS, () -> fails("57014", () -> one(c, "SELECT spin()")));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(e.getMessage().startsWith("function spin: "), e.getMessage());
            assertTrue(ms < 5000, "took " + ms + " ms");
            // the same session: the next statement gets its own deadline, and runs
            assertEquals(7, one(c, "SELECT div_by(14, 2)"));
            exec(c, "SET QUERY_TIMEOUT 0");
            assertEquals(1000L, TestSupport.count(c, "SELECT COUNT(burn(X)) FROM SYSTEM_RANGE(1, 1000)"));
        }
    }

    @Test
    void aTimeoutDoesNotCarryOverToLaterStatements() throws SQLException {
        try (Connection c = limitsDb(memUrl())) {
            exec(c, "SET QUERY_TIMEOUT 100");
            fails("57014", () -> one(c, "SELECT spin()"));
            exec(c, "SET QUERY_TIMEOUT 0");
            // a long statement after a timed-out one must not inherit the old deadline
            assertEquals(20L, TestSupport.count(c, "SELECT COUNT(burn(200000)) FROM SYSTEM_RANGE(1, 20)"));
        }
    }

    @Test
    void anExpiredTimeoutOfAnEarlierStatementDoesNotStopCallsWhileTheNextIsPrepared() throws Exception {
        try (Connection c = limitsDb(memUrl()); Statement st = c.createStatement()) {
            // IMMUTABLE with constant arguments: H2 evaluates the call while preparing the statement
            // (a function with a loop: loops and calls are where a deadline is checked)
            exec(c, "CREATE FUNCTION const_burn(n bigint) RETURNS bigint LANGUAGE wasm IMMUTABLE STRICT AS 'limits', 'burn'");
            Object expected = one(c, "SELECT burn(10)");
            st.setQueryTimeout(1);
            try (ResultSet rs = st.executeQuery("SELECT div_by(6, 3)")) {
                assertTrue(rs.next());
            }
            Thread.sleep(1300); // the first statement's deadline is long gone
            try (ResultSet rs = st.executeQuery("SELECT const_burn(10)")) {
                assertTrue(rs.next());
                assertEquals(expected, rs.getObject(1));
            }
        }
    }

    @Test
    void cancelFromAnotherThreadStopsAnInfiniteLoop() throws Exception {
        try (Connection c = limitsDb(memUrl()); Statement st = c.createStatement()) {
            CompletableFuture<SQLException> running = BackgroundQuery.failureOf(st, "SELECT spin()");
            BackgroundQuery.awaitGuest(c);
            st.cancel();
            SQLException e = running.get(20, TimeUnit.SECONDS);
            assertEquals("57014", e.getSQLState(), e.getMessage());
            assertTrue(e.getMessage().contains("function spin"), e.getMessage());
            assertTrue(e.getMessage().contains("user request"), e.getMessage());
            assertEquals(3, one(c, "SELECT div_by(9, 3)"));
        }
    }

    @Test
    void cancelStopsAStatementOfManyShortCalls() throws Exception {
        try (Connection c = limitsDb(memUrl()); Statement st = c.createStatement()) {
            CompletableFuture<SQLException> running =
                    BackgroundQuery.failureOf(st, "SELECT SUM(burn(1000) % 3) FROM SYSTEM_RANGE(1, 2000000000)");
            BackgroundQuery.awaitGuest(c);
            st.cancel();
            SQLException e = running.get(20, TimeUnit.SECONDS);
            assertEquals("57014", e.getSQLState(), e.getMessage());
            assertEquals(2, one(c, "SELECT div_by(4, 2)"));
        }
    }

    @Test
    void functionTimeoutOverridesAndNamesItself() throws SQLException {
        try (Connection c = limitsDb(memUrl())) {
            exec(c, "CREATE FUNCTION spin_short() RETURNS integer LANGUAGE wasm STRICT AS 'limits', 'spin' SET wasm.timeout = '150ms'");
            SQLException e = assertTimeoutPreemptively(GENEROUS, () -> fails("57014", () -> one(c, "SELECT spin_short()")));
            assertTrue(e.getMessage().contains("function spin_short: execution deadline exceeded"), e.getMessage());
            assertTrue(e.getMessage().contains("wasm.timeout of 150 ms"), e.getMessage());
            // the per-statement budget is fresh for the next statement
            assertEquals(5, one(c, "SELECT div_by(10, 2)"));
            assertEquals(150L, ((Number) one(c, "SELECT timeout_ms FROM wasm.functions WHERE name = 'SPIN_SHORT'")).longValue());
        }
    }

    @Test
    void databaseDefaultTimeoutFromTheUrl() throws SQLException {
        try (Connection c = limitsDb(memUrl() + ";WASM_TIMEOUT=150ms")) {
            SQLException e = assertTimeoutPreemptively(GENEROUS, () -> fails("57014", () -> one(c, "SELECT spin()")));
            assertTrue(e.getMessage().contains("wasm.timeout of 150 ms"), e.getMessage());
        }
    }

    // ---- stack -----------------------------------------------------------------------------

    @Test
    void deepRecursionIsCallStackExhaustedAtTheSameDepthOnAnyThread() throws Exception {
        String url = memUrl();
        try (Connection c = limitsDb(url)) {
            assertEquals(1000, one(c, "SELECT depth(1000)"));
            SQLException e = fails("54001", () -> one(c, "SELECT depth(10000000)"));
            assertTrue(e.getMessage().contains("function depth: call stack exhausted"), e.getMessage());
            assertEquals(10, one(c, "SELECT depth(10)"));

            int here = maxDepth(c);
            // the rows of one statement are one unit of calls (SessionGuest.beginStatement): each
            // call gives back what it took, so the last row still gets the whole depth
            assertEquals(here, one(c, "SELECT MIN(depth(" + here + " + 0 * X)) FROM SYSTEM_RANGE(1, 300)"));
            int[] onBigStack = new int[1];
            Throwable[] failure = new Throwable[1];
            Thread t = new Thread(null, () -> {
                try (Connection c2 = connect(url)) {
                    onBigStack[0] = maxDepth(c2);
                } catch (Throwable x) {
                    failure[0] = x;
                }
            }, "big-stack", 256L << 20);
            t.start();
            t.join();
            if (failure[0] != null) {
                throw new AssertionError(failure[0]);
            }
            assertTrue(here > 1000, "max depth " + here);
            assertEquals(here, onBigStack[0], "the depth limit must not depend on the thread's stack");
        }
    }

    /** The largest n for which depth(n) succeeds (binary search; failures must all be 54001). */
    private static int maxDepth(Connection c) throws SQLException {
        int lo = 1;
        int hi = 1 << 20;
        while (lo + 1 < hi) {
            int mid = (lo + hi) >>> 1;
            try {
                one(c, "SELECT depth(" + mid + ")");
                lo = mid;
            } catch (SQLException e) {
                assertEquals("54001", e.getSQLState(), e.getMessage());
                hi = mid;
            }
        }
        return lo;
    }

    @Test
    void cRecursionInTheTrapModuleBecomes54001() throws SQLException {
        try (Connection c = connect(memUrl())) {
            upload(c, "test-traps", UdfModules.bytes("test-traps"));
            exec(c, "CREATE FUNCTION recurse(depth integer) RETURNS integer LANGUAGE wasm STRICT AS 'test-traps'");
            assertEquals(100, one(c, "SELECT recurse(100)"));
            fails("54001", () -> one(c, "SELECT recurse(100000000)"));
            assertEquals(100, one(c, "SELECT recurse(100)"));
        }
    }

    // ---- memory ----------------------------------------------------------------------------

    @Test
    void memoryGrowStopsAtTheDefaultCap() throws SQLException {
        try (Connection c = limitsDb(memUrl())) {
            assertEquals(1, one(c, "SELECT pages()"));
            assertEquals(-1, one(c, "SELECT grow(1024)"));
            assertEquals(1, one(c, "SELECT grow(1023)"));
            assertEquals(1024, one(c, "SELECT pages()"));
            assertEquals(-1, one(c, "SELECT grow(1)"));
        }
    }

    @Test
    void memoryBombInTheTrapModuleIsContained() throws SQLException {
        try (Connection c = connect(memUrl())) {
            upload(c, "test-traps", UdfModules.bytes("test-traps"));
            // 8 MiB caps keep the test quick: every memory.grow copies the memory
            String cap = " SET wasm.max_memory = '8MB'";
            exec(c, "CREATE FUNCTION grow_forever() RETURNS integer LANGUAGE wasm STRICT AS 'test-traps'" + cap);
            exec(c, "CREATE FUNCTION memory_pages() RETURNS integer LANGUAGE wasm STRICT AS 'test-traps'" + cap);
            exec(c, "CREATE FUNCTION alloc_bomb() RETURNS integer LANGUAGE wasm STRICT AS 'test-traps'" + cap);
            exec(c, "CREATE FUNCTION pages_by_default() RETURNS integer LANGUAGE wasm STRICT AS 'test-traps', 'memory_pages'");
            int initial = (Integer) one(c, "SELECT memory_pages()");
            assertEquals(128 - initial, one(c, "SELECT grow_forever()"));
            assertEquals(128, one(c, "SELECT memory_pages()"));
            assertEquals(initial, one(c, "SELECT pages_by_default()"), "other limits, other instance");
            SQLException e = fails("53200", () -> one(c, "SELECT alloc_bomb()"));
            assertTrue(e.getMessage().startsWith("function alloc_bomb: out of memory: wasm trap: unreachable after memory.grow was refused"
                    + " (wasm.max_memory = 8192 kB"), e.getMessage());
            // the trapped instance was replaced by a fresh one
            assertEquals(initial, one(c, "SELECT memory_pages()"));
        }
    }

    @Test
    void declaredMemoryOverTheCapIsRefusedAtCreate() throws SQLException {
        try (Connection c = connect(memUrl())) {
            SQLException e = fails("53200", () -> exec(c, "CREATE FUNCTION answer() RETURNS integer LANGUAGE wasm STRICT AS X'"
                    + TestSupport.hex(wasm("bigmem")) + "'"));
            assertTrue(e.getMessage().startsWith("function answer: the module declares a minimum memory of 1100 pages (68.75 MiB)"), e.getMessage());
            assertTrue(e.getMessage().contains("limit of 1024 pages (64 MiB"), e.getMessage());
            upload(c, "m32", wasm("mem32m"));
            e = fails("53200", () -> exec(c, "CREATE FUNCTION small() RETURNS integer LANGUAGE wasm STRICT AS 'm32', 'answer' SET wasm.max_memory = '16MB'"));
            assertTrue(e.getMessage().startsWith("function small: module \"m32\" declares a minimum memory of 512 pages (32 MiB)"), e.getMessage());
            exec(c, "CREATE FUNCTION roomy() RETURNS integer LANGUAGE wasm STRICT AS 'm32', 'answer'");
            assertEquals(42, one(c, "SELECT roomy()"));
            assertEquals(0L, TestSupport.count(c, "SELECT COUNT(*) FROM wasm.functions WHERE name IN ('ANSWER', 'SMALL')"));
        }
    }

    @Test
    void perFunctionMemoryOverrideCanRaiseTheCap() throws SQLException {
        try (Connection c = connect(memUrl())) {
            upload(c, "big", wasm("bigmem"));
            exec(c, "CREATE FUNCTION big_answer() RETURNS integer LANGUAGE wasm STRICT AS 'big', 'answer' SET wasm.max_memory TO '80MB'");
            assertEquals(42, one(c, "SELECT big_answer()"));
            assertEquals(80L << 20, ((Number) one(c, "SELECT max_memory FROM wasm.functions WHERE name = 'BIG_ANSWER'")).longValue());
        }
    }

    @Test
    void theDatabaseBudgetBoundsAllSessionsAndClosingGivesMemoryBack() throws SQLException {
        String url = memUrl() + ";WASM_MEMORY_BUDGET=4MB";
        try (Connection a = connect(url)) {
            upload(a, "limits", wasm("limits"));
            exec(a, "CREATE FUNCTION grow(n integer) RETURNS integer LANGUAGE wasm STRICT AS 'limits'");
            assertEquals(1, one(a, "SELECT grow(47)")); // session a: 48 pages = 3 MiB
            try (Connection b = connect(url)) {
                assertEquals(-1, one(b, "SELECT grow(47)")); // 1 + 3 + 3 MiB would exceed 4 MiB
                a.close();
                assertEquals(1, one(b, "SELECT grow(47)")); // a's instance was closed with its connection
            }
        }
    }

    @Test
    void aModuleLargerThanTheWholeBudgetIsRefusedAtCreate() throws SQLException {
        try (Connection c = connect(memUrl() + ";WASM_MEMORY_BUDGET=16MB")) {
            upload(c, "m32", wasm("mem32m"));
            SQLException e = fails("53200", () -> exec(c, "CREATE FUNCTION answer() RETURNS integer LANGUAGE wasm STRICT AS 'm32'"));
            assertTrue(e.getMessage().contains("wasm memory budget of 16 MiB"), e.getMessage());
        }
    }

    @Test
    void invalidLimitSettingsFailClearly() throws SQLException {
        SQLException e = fails("22023", () -> connect(memUrl() + ";WASM_MAX_MEMORY=lots"));
        assertTrue(e.getMessage().contains("wasm.max_memory"), e.getMessage());
        try (Connection c = limitsDb(memUrl())) {
            e = fails("22023", () -> exec(c, "CREATE FUNCTION f() RETURNS integer LANGUAGE wasm STRICT AS 'limits', 'spin' SET wasm.timeout = 'soon'"));
            assertTrue(e.getMessage().contains("wasm.timeout"), e.getMessage());
            e = fails("22023", () -> exec(c, "CREATE FUNCTION f() RETURNS integer LANGUAGE wasm STRICT AS 'limits', 'spin' SET wasm.stack = 1"));
            assertTrue(e.getMessage().contains("unrecognized configuration parameter \"wasm.stack\""), e.getMessage());
            fails("0A000", () -> exec(c, "CREATE FUNCTION f() RETURNS integer LANGUAGE wasm STRICT AS 'limits', 'spin' SET search_path = public"));
        }
    }

    // ---- tables, size, imports ---------------------------------------------------------------

    @Test
    void hugeTableIsRefusedAtCreate() throws SQLException {
        try (Connection c = connect(memUrl())) {
            SQLException e = fails("54000", () -> exec(c, "CREATE FUNCTION answer() RETURNS integer LANGUAGE wasm STRICT AS X'"
                    + TestSupport.hex(wasm("bigtable")) + "'"));
            assertTrue(e.getMessage().startsWith("function answer: "), e.getMessage());
            assertTrue(e.getMessage().contains("table minimum of 20000000"), e.getMessage());
        }
    }

    @Test
    void modulesOverTheFunctionCountCapAreRefusedOnUploadAndAtCreate() throws SQLException {
        byte[] many = manyFunctions(100_001);
        try (Connection c = connect(memUrl())) {
            SQLException e = fails("54000", () -> upload(c, "many", many));
            assertTrue(e.getMessage().startsWith("module \"many\" exceeds a size limit: "), e.getMessage());
            assertTrue(e.getMessage().contains("100000"), e.getMessage());
            e = fails("54000", () -> exec(c, "CREATE FUNCTION f() RETURNS integer LANGUAGE wasm STRICT AS X'" + TestSupport.hex(many) + "'"));
            assertTrue(e.getMessage().startsWith("function f: the module exceeds a size limit: "), e.getMessage());
        }
    }

    /** A module defining {@code n} functions of type () -> (), each an empty body. */
    private static byte[] manyFunctions(int n) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        section(out, 1, new byte[] {1, 0x60, 0, 0});
        java.io.ByteArrayOutputStream funcs = new java.io.ByteArrayOutputStream();
        leb(funcs, n);
        java.io.ByteArrayOutputStream code = new java.io.ByteArrayOutputStream();
        leb(code, n);
        for (int i = 0; i < n; i++) {
            funcs.write(0);
            code.writeBytes(new byte[] {2, 0, 0x0b});
        }
        section(out, 3, funcs.toByteArray());
        section(out, 10, code.toByteArray());
        return out.toByteArray();
    }

    private static void section(java.io.ByteArrayOutputStream out, int id, byte[] body) {
        out.write(id);
        leb(out, body.length);
        out.writeBytes(body);
    }

    private static void leb(java.io.ByteArrayOutputStream out, int v) {
        do {
            int b = v & 0x7f;
            v >>>= 7;
            out.write(v != 0 ? b | 0x80 : b);
        } while (v != 0);
    }

    @Test
    void importsTheHostDoesNotProvideAreRefusedAtCreateNamingTheImport() throws SQLException {
        try (Connection c = connect(memUrl())) {
            upload(c, "test-imports", UdfModules.bytes("test-imports"));
            SQLException e = fails("42P13", () -> exec(c, "CREATE FUNCTION logged(x integer) RETURNS integer LANGUAGE wasm STRICT AS 'test-imports'"));
            assertTrue(e.getMessage().startsWith("function logged: module imports 1 name the host does not provide: env.host_log"
                    + " (unknown import, a function (i32) -> ())"), e.getMessage());
        }
    }

    // ---- fuel --------------------------------------------------------------------------------

    @Test
    void fuelIsAPerCallInstructionBudgetAndDeterministic() throws Exception {
        String url = memUrl();
        try (Connection c = limitsDb(url)) {
            exec(c, "CREATE FUNCTION metered(n bigint) RETURNS bigint LANGUAGE wasm STRICT AS 'limits', 'burn' SET wasm.fuel = 100000");
            assertEquals(one(c, "SELECT burn(1000)"), one(c, "SELECT metered(1000)"));
            SQLException e = fails("54000", () -> one(c, "SELECT metered(10000000)"));
            assertTrue(e.getMessage().startsWith("function metered: fuel exhausted (wasm.fuel = 100000"), e.getMessage());
            // per call: a thousand calls of 1000 iterations each need far more than 100000 in total
            assertEquals(1000L, TestSupport.count(c, "SELECT COUNT(metered(1000)) FROM SYSTEM_RANGE(1, 1000)"));
            int first = maxFueled(c);
            try (Connection other = connect(url)) {
                assertEquals(first, maxFueled(other), "fuel must stop at the same point in every session");
            }
            assertTrue(first > 1000 && first < 100000, "max n " + first);
            try (ResultSet rs = c.createStatement().executeQuery("SELECT fuel, max_memory, timeout_ms FROM wasm.functions WHERE name = 'METERED'")) {
                assertTrue(rs.next());
                assertEquals(100000L, rs.getLong(1));
                assertNull(rs.getObject(2));
                assertNull(rs.getObject(3));
            }
        }
    }

    private static int maxFueled(Connection c) throws SQLException {
        int lo = 0;
        int hi = 100000;
        while (lo + 1 < hi) {
            int mid = (lo + hi) >>> 1;
            try {
                one(c, "SELECT metered(" + mid + ")");
                lo = mid;
            } catch (SQLException e) {
                assertEquals("54000", e.getSQLState(), e.getMessage());
                hi = mid;
            }
        }
        return lo;
    }

    // ---- catalog and bridge encoding ----------------------------------------------------------

    @Test
    void olderCatalogsGainTheLimitColumns() throws SQLException {
        String name = "old" + System.nanoTime();
        try (Connection raw = java.sql.DriverManager.getConnection("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "")) {
            exec(raw, "CREATE SCHEMA wasm");
            exec(raw, "CREATE TABLE wasm.functions (schema_name VARCHAR(256) NOT NULL, name VARCHAR(256) NOT NULL,"
                    + " arguments VARCHAR(4000) NOT NULL, arg_types VARCHAR(4000) NOT NULL, return_type VARCHAR(64) NOT NULL,"
                    + " module_name VARCHAR(256) NOT NULL, export_name VARCHAR(256) NOT NULL, volatility VARCHAR(9) NOT NULL,"
                    + " is_strict BOOLEAN NOT NULL, bridge VARCHAR(1000) NOT NULL,"
                    + " created TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL, PRIMARY KEY (schema_name, name))");
            try (Connection c = limitsDb("jdbc:wasm:mem:" + name)) {
                exec(c, "CREATE FUNCTION capped() RETURNS integer LANGUAGE wasm STRICT AS 'limits', 'pages' SET wasm.max_memory = '1MB'");
                assertEquals(1, one(c, "SELECT capped()"));
                assertEquals(1L << 20, ((Number) one(c, "SELECT max_memory FROM wasm.functions WHERE name = 'CAPPED'")).longValue());
                assertNull(one(c, "SELECT max_memory FROM wasm.functions WHERE name = 'PAGES'"));
            }
        }
    }

    @Test
    void limitsLiveInTheCatalogAndSurviveAReopen() throws SQLException {
        String url = "jdbc:wasm:file:" + TestSupport.fileDb();
        try (Connection c = limitsDb(url)) {
            exec(c, "CREATE FUNCTION capped() RETURNS integer LANGUAGE wasm STRICT AS 'limits', 'pages' SET wasm.max_memory = '1MB'");
            String bridge = (String) one(c, "SELECT bridge FROM wasm.functions WHERE name = 'CAPPED'");
            assertTrue(BridgeNames.parse(BridgeNames.classOfTarget(bridge)) != null, "the bridge is named by ids only: " + bridge);
            assertTrue(!bridge.contains("6d31"), "no limit (nor anything else) is encoded in the name: " + bridge);
        }
        try (Connection c = connect(url)) {
            assertEquals(1, one(c, "SELECT capped()"), "the 1 MB cap still holds after the reopen: the instance starts with 1 page");
            fails("53200", () -> exec(c, "CREATE OR REPLACE FUNCTION capped() RETURNS integer LANGUAGE wasm STRICT AS 'limits', 'pages'"
                    + " SET wasm.max_memory = '0'"));
        }
    }

    // ---- isolation of failures ---------------------------------------------------------------

    @Test
    void trapInTheMiddleOfAMillionRowQueryLeavesTheSessionAndDataIntact() throws SQLException {
        try (Connection c = connect(memUrl())) {
            upload(c, "test-traps", UdfModules.bytes("test-traps"));
            exec(c, "CREATE FUNCTION div_by(a integer, b integer) RETURNS integer LANGUAGE wasm STRICT AS 'test-traps'");
            exec(c, "CREATE TABLE kept(id INT PRIMARY KEY, v VARCHAR)");
            exec(c, "INSERT INTO kept VALUES (1, 'committed before')");
            c.setAutoCommit(false);
            exec(c, "INSERT INTO kept VALUES (2, 'committed in a transaction')");
            c.commit();
            SQLException e = fails("38000", () -> one(c,
                    "SELECT SUM(div_by(X, CASE WHEN X = 500000 THEN 0 ELSE 1 END)) FROM SYSTEM_RANGE(1, 1000000)"));
            assertTrue(e.getMessage().startsWith("function div_by: wasm trap: integer divide by zero"), e.getMessage());
            c.rollback();
            c.setAutoCommit(true);
            assertEquals(500000500000L, ((Number) one(c, "SELECT SUM(div_by(X, 1)) FROM SYSTEM_RANGE(1, 1000000)")).longValue());
            assertEquals(2L, TestSupport.count(c, "SELECT COUNT(*) FROM kept"));
        }
    }
}
