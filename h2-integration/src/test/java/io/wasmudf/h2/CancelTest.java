package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.connect;
import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.fails;
import static io.wasmudf.h2.TestSupport.memUrl;
import static io.wasmudf.h2.TestSupport.one;
import static io.wasmudf.h2.TestSupport.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.udfs.UdfModules;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Query timeouts and Statement.cancel stop a guest that never returns; the connection survives. */
class CancelTest {

    private static Connection withSpin() throws SQLException {
        Connection c = connect(memUrl());
        upload(c, "test-traps", UdfModules.bytes("test-traps"));
        exec(c, "CREATE FUNCTION spin() RETURNS integer LANGUAGE wasm VOLATILE STRICT AS 'test-traps'");
        exec(c, "CREATE FUNCTION div_by(a integer, b integer) RETURNS integer LANGUAGE wasm STRICT AS 'test-traps'");
        return c;
    }

    @Test
    void queryTimeoutStopsAnEndlessLoop() throws SQLException {
        try (Connection c = withSpin(); Statement st = c.createStatement()) {
            st.setQueryTimeout(1);
            SQLException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> fails("57014", () -> st.executeQuery("SELECT spin()")));
            assertTrue(e.getMessage().contains("function spin"), e.getMessage());
            assertEquals(4, one(c, "SELECT div_by(8, 2)"));
        }
    }

    @Test
    void cancelFromAnotherThreadStopsAnEndlessLoop() throws Exception {
        try (Connection c = withSpin(); Statement st = c.createStatement()) {
            CompletableFuture<SQLException> running = BackgroundQuery.failureOf(st, "SELECT spin()");
            BackgroundQuery.awaitGuest(c);
            st.cancel();
            SQLException e = running.get(30, TimeUnit.SECONDS);
            assertEquals("57014", e.getSQLState(), e.getMessage());
            assertEquals(4, one(c, "SELECT div_by(8, 2)"));
        }
    }
}
