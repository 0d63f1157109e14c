package io.wasmudf.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code SET wasm.… = value} clauses of CREATE FUNCTION and the value syntax of limits. */
class FunctionLimitsTest {
    private static final String HEAD = "CREATE FUNCTION f(n bigint) RETURNS bigint LANGUAGE wasm STRICT AS 'm', 'burn'";

    private static FunctionLimits limits(String clauses) throws SQLException {
        return assertInstanceOf(CreateFunction.class, FunctionDdlParser.parse(HEAD + " " + clauses)).limits();
    }

    private static SQLException error(String clauses) {
        return assertThrows(SQLException.class, () -> FunctionDdlParser.parse(HEAD + " " + clauses));
    }

    @Test
    void setClausesInAnyPositionWithToOrEquals() throws SQLException {
        FunctionLimits l = limits("SET wasm.max_memory = '16MB' SET wasm.fuel TO 1000000 SET wasm.timeout = '2s'");
        assertEquals(new FunctionLimits(256, 1_000_000L, Duration.ofSeconds(2)), l);
        CreateFunction c = assertInstanceOf(CreateFunction.class, FunctionDdlParser.parse(
                "CREATE FUNCTION g() RETURNS integer SET WASM.TIMEOUT = 500 LANGUAGE wasm AS 'm' IMMUTABLE"));
        assertEquals(new FunctionLimits(null, null, Duration.ofMillis(500)), c.limits());
        assertEquals(Volatility.IMMUTABLE, c.volatility());
        assertEquals(FunctionLimits.NONE, limits(""));
    }

    @Test
    void sizesAndDurationsUsePostgresUnits() throws SQLException {
        assertEquals(1024, FunctionLimits.parseMemoryPages("x", "64MB"));
        assertEquals(1024, FunctionLimits.parseMemoryPages("x", "64 MiB"));
        assertEquals(16, FunctionLimits.parseMemoryPages("x", "1024kB"));
        assertEquals(1, FunctionLimits.parseMemoryPages("x", "131071")); // rounded down to whole pages
        assertEquals(32767, FunctionLimits.parseMemoryPages("x", String.valueOf(32767L * 65536)));
        assertEquals(Duration.ofMillis(250), FunctionLimits.parseDuration("x", "250"));
        assertEquals(Duration.ofMinutes(3), FunctionLimits.parseDuration("x", "3min"));
        assertEquals(Duration.ofNanos(500_000), FunctionLimits.parseDuration("x", "500us"));
        assertEquals(0L, FunctionLimits.parseFuel("x", "0"));
    }

    @Test
    void badValuesAndParametersAreClearErrors() {
        SQLException e = error("SET wasm.max_memory = '3GB'");
        assertEquals(SqlStates.INVALID_PARAMETER_VALUE, e.getSQLState());
        assertTrue(e.getMessage().contains("invalid value for parameter \"wasm.max_memory\": \"3GB\""), e.getMessage());
        assertEquals(SqlStates.INVALID_PARAMETER_VALUE, error("SET wasm.fuel = '10MB'").getSQLState());
        assertEquals(SqlStates.INVALID_PARAMETER_VALUE, error("SET wasm.timeout = '2 fortnights'").getSQLState());
        e = error("SET wasm.stack = 10");
        assertEquals(SqlStates.INVALID_PARAMETER_VALUE, e.getSQLState());
        assertTrue(e.getMessage().contains("unrecognized configuration parameter \"wasm.stack\""), e.getMessage());
        assertEquals(SqlStates.FEATURE_NOT_SUPPORTED, error("SET search_path = public").getSQLState());
        assertEquals(SqlStates.FEATURE_NOT_SUPPORTED, error("SET wasm.fuel FROM CURRENT").getSQLState());
        assertEquals(SqlStates.SYNTAX_ERROR, error("SET wasm.fuel = 1 SET wasm.fuel = 2").getSQLState());
        assertEquals(SqlStates.SYNTAX_ERROR, error("SET wasm.fuel 1").getSQLState());
    }

    @Test
    void unsetLimitsInheritAndToSqlRoundTrips() throws SQLException {
        FunctionLimits defaults = new FunctionLimits(1024, 0L, Duration.ZERO);
        assertEquals(new FunctionLimits(128, 0L, Duration.ofSeconds(1)), new FunctionLimits(128, null, Duration.ofSeconds(1)).orElse(defaults));
        FunctionLimits l = new FunctionLimits(256, 5000L, Duration.ofMillis(1500));
        assertEquals(l, limits(l.toSql()));
    }

    /** One size parser for function limits and database settings: PostgreSQL's units, any case, the IEC spellings too. */
    @Test
    void oneSizeNotationEverywhere() throws SQLException {
        assertEquals(1L << 40, FunctionLimits.parseBytes("wasm.memory_budget", "1TB", Long.MAX_VALUE, "8 EiB"));
        assertEquals(16L << 20, FunctionLimits.parseBytes("wasm.memory_budget", " 16 MiB ", Long.MAX_VALUE, "8 EiB"));
        assertEquals(512, FunctionLimits.parseBytes("wasm.memory_budget", "512", Long.MAX_VALUE, "8 EiB"));
        assertEquals(16, FunctionLimits.parseMemoryPages("wasm.max_memory", "1mb"));
        SQLException unit = assertThrows(SQLException.class, () -> FunctionLimits.parseBytes("wasm.memory_budget", "1 XB", Long.MAX_VALUE, "8 EiB"));
        assertEquals(SqlStates.INVALID_PARAMETER_VALUE, unit.getSQLState());
        assertTrue(unit.getMessage().contains("B, kB, MB, GB or TB"), unit.getMessage());
        assertThrows(SQLException.class, () -> FunctionLimits.parseMemoryPages("wasm.max_memory", "3GB"));
    }
}
