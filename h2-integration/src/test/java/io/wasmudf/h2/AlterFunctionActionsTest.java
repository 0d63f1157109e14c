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
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.udfs.UdfModules;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * ALTER FUNCTION's actions as in PostgreSQL: SET/RESET of the wasm.* limits, volatility, null-input
 * behaviour; in force from the next statement in every session, re-checked against the module,
 * owner-only, persisted.
 */
class AlterFunctionActionsTest {

    @Test
    void setAndResetFuelTakeEffectInTheNextStatement() throws SQLException {
        String url = "jdbc:wasm:file:" + TestSupport.fileDb();
        try (Connection c = connect(url); Connection other = connect(url)) {
            upload(c, "limits", wasm("limits"));
            exec(c, "CREATE FUNCTION metered(n bigint) RETURNS bigint LANGUAGE wasm STRICT AS 'limits', 'burn'");
            Object unmetered = one(other, "SELECT metered(1000000)");
            exec(c, "ALTER FUNCTION metered(bigint) SET wasm.fuel = 100000");
            SQLException e = fails("54000", () -> one(other, "SELECT metered(1000000)"));
            assertTrue(e.getMessage().startsWith("function metered: fuel exhausted (wasm.fuel = 100000"), e.getMessage());
            assertEquals(100000L, one(c, "SELECT fuel FROM wasm.functions WHERE name = 'METERED'"));
            exec(c, "ALTER FUNCTION metered RESET wasm.fuel");
            assertEquals(unmetered, one(other, "SELECT metered(1000000)"));
            assertNull(one(c, "SELECT fuel FROM wasm.functions WHERE name = 'METERED'"));
            exec(c, "ALTER FUNCTION metered SET wasm.fuel TO 100000 SET wasm.timeout = '5s'");
            exec(c, "ALTER FUNCTION metered SET wasm.fuel TO DEFAULT");
            assertNull(one(c, "SELECT fuel FROM wasm.functions WHERE name = 'METERED'"));
            assertEquals(5000L, one(c, "SELECT timeout_ms FROM wasm.functions WHERE name = 'METERED'"));
            exec(c, "ALTER FUNCTION metered SET wasm.fuel = 100000");
        }
        try (Connection c = connect(url)) {
            fails("54000", () -> one(c, "SELECT metered(1000000)"));
            exec(c, "ALTER FUNCTION metered RESET ALL");
            assertEquals(1L, TestSupport.count(c, "SELECT COUNT(*) FROM wasm.functions WHERE name = 'METERED' AND fuel IS NULL"
                    + " AND timeout_ms IS NULL AND max_memory IS NULL"));
            one(c, "SELECT metered(1000000)");
        }
    }

    @Test
    void memoryLimitIsCheckedAgainstTheModule() throws SQLException {
        try (Connection c = connect(memUrl())) {
            upload(c, "m32", wasm("mem32m"));
            exec(c, "CREATE FUNCTION roomy() RETURNS integer LANGUAGE wasm STRICT AS 'm32', 'answer'");
            SQLException e = fails("53200", () -> exec(c, "ALTER FUNCTION roomy SET wasm.max_memory = '16MB'"));
            assertTrue(e.getMessage().startsWith("function roomy: its module \"m32\" declares a minimum memory of 512 pages (32 MiB)"),
                    e.getMessage());
            assertNull(one(c, "SELECT max_memory FROM wasm.functions WHERE name = 'ROOMY'"), "a refused ALTER changes nothing");
            exec(c, "ALTER FUNCTION roomy SET wasm.max_memory = '40MB'");
            assertEquals(40L << 20, one(c, "SELECT max_memory FROM wasm.functions WHERE name = 'ROOMY'"));
            assertEquals(42, one(c, "SELECT roomy()"));
            fails("22023", () -> exec(c, "ALTER FUNCTION roomy SET wasm.max_memory = 'lots'"));
            fails("22023", () -> exec(c, "ALTER FUNCTION roomy RESET wasm.nope"));
            fails("42883", () -> exec(c, "ALTER FUNCTION roomy(integer) STABLE"));
            fails("42883", () -> exec(c, "ALTER FUNCTION nosuch() STABLE"));
        }
    }

    @Test
    void volatilityChangesAndDefaultGrantsFollowIt() throws SQLException {
        try (Connection c = connect(memUrl())) {
            upload(c, "abi", wasm("abi"));
            exec(c, "CREATE FUNCTION plus(a integer, b integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'add_i32'");
            assertEquals("VOLATILE", one(c, "SELECT volatility FROM wasm.functions WHERE name = 'PLUS'"));
            assertEquals("clock=real,random=real", one(c, "SELECT grants FROM wasm.functions WHERE name = 'PLUS'"));
            exec(c, "ALTER FUNCTION plus(integer, integer) IMMUTABLE");
            assertEquals("IMMUTABLE", one(c, "SELECT volatility FROM wasm.functions WHERE name = 'PLUS'"));
            assertEquals("clock=fixed,random=seeded", one(c, "SELECT grants FROM wasm.functions WHERE name = 'PLUS'"),
                    "an IMMUTABLE function sees no real clock unless granted one");
            assertEquals(3, one(c, "SELECT plus(1, 2)"));
            exec(c, "ALTER FUNCTION plus SET wasm.grants = 'none'");
            exec(c, "ALTER FUNCTION plus VOLATILE");
            assertEquals("clock=denied,random=denied", one(c, "SELECT grants FROM wasm.functions WHERE name = 'PLUS'"), "explicit grants stay");
            exec(c, "ALTER FUNCTION plus STABLE RESET wasm.grants");
            assertEquals("clock=fixed,random=seeded", one(c, "SELECT grants FROM wasm.functions WHERE name = 'PLUS'"));
            assertEquals(7, one(c, "SELECT plus(3, 4)"));
            // H2's DETERMINISTIC flag of the alias follows the volatility
            assertEquals("NO", one(c, "SELECT IS_DETERMINISTIC FROM INFORMATION_SCHEMA.ROUTINES WHERE ROUTINE_NAME = 'PLUS'"));
            exec(c, "ALTER FUNCTION plus IMMUTABLE");
            assertEquals("YES", one(c, "SELECT IS_DETERMINISTIC FROM INFORMATION_SCHEMA.ROUTINES WHERE ROUTINE_NAME = 'PLUS'"));
        }
    }

    @Test
    void nullInputBehaviourIsRecheckedAgainstTheExport() throws SQLException {
        try (Connection c = TestSupport.withFunctions("options", UdfModules.bytes("test-options"),
                "opt_int(x integer) RETURNS integer CALLED ON NULL INPUT")) {
            upload(c, "abi", wasm("abi"));
            exec(c, "CREATE FUNCTION plus(a integer, b integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'add_i32'");
            SQLException e = fails("42P13", () -> exec(c, "ALTER FUNCTION plus CALLED ON NULL INPUT"));
            assertTrue(e.getMessage().startsWith("function plus: export \"add_i32\" has signature"), e.getMessage());
            e = fails("42P13", () -> exec(c, "ALTER FUNCTION opt_int STRICT"));
            assertTrue(e.getMessage().startsWith("function opt_int: export \"opt_int\" has signature"), e.getMessage());
            exec(c, "ALTER FUNCTION opt_int CALLED ON NULL INPUT IMMUTABLE");
            assertNull(one(c, "SELECT opt_int(CAST(NULL AS INTEGER))"));
            assertEquals(42, one(c, "SELECT opt_int(21)"), "the packed result form is kept");
            exec(c, "ALTER FUNCTION plus RETURNS NULL ON NULL INPUT");
            assertNull(one(c, "SELECT plus(1, NULL)"));
        }
    }

    @Test
    void onlyTheOwnerAlters() throws SQLException {
        String url = memUrl();
        try (Connection admin = connect(url)) {
            exec(admin, "CREATE USER bob PASSWORD 'pw'");
            upload(admin, "abi", wasm("abi"));
            exec(admin, "CREATE FUNCTION plus(a integer, b integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'add_i32'");
            try (Connection bob = DriverManager.getConnection(TestSupport.withoutSettings(url), "bob", "pw")) {
                SQLException e = fails("42501", () -> exec(bob, "ALTER FUNCTION plus SET wasm.fuel = 0"));
                assertEquals("must be owner of function plus", e.getMessage());
                fails("42501", () -> exec(bob, "ALTER FUNCTION plus IMMUTABLE"));
            }
            assertEquals("VOLATILE", one(admin, "SELECT volatility FROM wasm.functions WHERE name = 'PLUS'"));
        }
    }
}
