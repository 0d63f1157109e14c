package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.connect;
import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.memUrl;
import static io.wasmudf.h2.TestSupport.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * Pins {@link H2Access}, the one class that reaches into H2's internals, to the H2 version it was
 * written for, and checks each of its accesses against the real thing: an H2 upgrade fails here
 * first, not in production.
 */
class H2AccessTest {

    @Test
    void writtenForTheH2OnTheClassPath() {
        assertEquals(H2Access.BUILT_FOR, H2Access.h2Version(),
                "H2 changed: re-check every method of H2Access (private field commandStartOrEnd, SessionLocal's constructor, rights)");
    }

    @Test
    void theStatementMarkerChangesPerStatementAndIsReadWithoutAllocating() throws Exception {
        try (Connection c = connect(memUrl())) {
            Object session = H2Access.session(c.unwrap(org.h2.jdbc.JdbcConnection.class));
            assertNotNull(H2Access.database(session));
            Object before = H2Access.statementOf(session);
            assertSame(before, H2Access.statementOf(session), "a field read, not a new value per call");
            one(c, "SELECT 1");
            assertNotEquals(before, H2Access.statementOf(session), "every statement start or end changes it");
            assertFalse(H2Access.isRunningStatement(session));
            assertEquals(0, H2Access.statementDeadline(session), "no deadline outside a statement");
        }
    }

    @Test
    void rightsAndTheSystemConnection() throws Exception {
        String url = memUrl();
        try (Connection admin = connect(url)) {
            exec(admin, "CREATE USER bob PASSWORD 'pw'");
            exec(admin, "CREATE SCHEMA bobs AUTHORIZATION bob");
            exec(admin, "CREATE USER boss PASSWORD 'pw'");
            exec(admin, "GRANT ALTER ANY SCHEMA TO boss");
            Connection raw = admin.unwrap(org.h2.jdbc.JdbcConnection.class);
            assertTrue(H2Access.isSuperuser(H2Access.session(raw)));
            assertEquals("SA", H2Access.userName(H2Access.session(raw)));
            try (Connection boss = DriverManager.getConnection(TestSupport.withoutSettings(url), "boss", "pw")) {
                Object session = H2Access.session(boss.unwrap(org.h2.jdbc.JdbcConnection.class));
                assertTrue(H2Access.isSuperuser(session), "ALTER ANY SCHEMA makes a superuser without H2's admin flag");
                assertEquals("BOSS", H2Access.userName(session));
            }
            assertTrue(H2Access.mayCreateIn(raw, "PUBLIC"));
            try (Connection bob = DriverManager.getConnection(TestSupport.withoutSettings(url), "bob", "pw")) {
                Connection rawBob = bob.unwrap(org.h2.jdbc.JdbcConnection.class);
                assertFalse(H2Access.isSuperuser(H2Access.session(rawBob)));
                assertFalse(H2Access.mayCreateIn(rawBob, "PUBLIC"));
                assertTrue(H2Access.mayCreateIn(rawBob, "BOBS"));
                assertFalse(H2Access.mayCreateIn(rawBob, "NO_SUCH_SCHEMA"));
                assertFalse(H2Access.schemaExists(rawBob, "NO_SUCH_SCHEMA"));
            }
            Object db = H2Access.database(H2Access.session(raw));
            int sessions = ((Number) one(admin, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")).intValue();
            // never closed: it lives as long as its database (H2's close() expects sessions it registered itself)
            Connection system = H2Access.systemConnection(db);
            try (Statement st = system.createStatement()) {
                st.execute("CREATE ALIAS sys_probe FOR 'java.lang.Math.abs(int)'");
                try (ResultSet rs = st.executeQuery("SELECT sys_probe(-3)")) {
                    assertTrue(rs.next());
                    assertEquals(3, rs.getInt(1));
                }
                assertEquals(sessions, ((Number) one(admin, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")).intValue(),
                        "the system session is not one of H2's user sessions");
            }
            assertFalse(H2Access.isClosing(db));
            assertEquals(3, one(admin, "SELECT sys_probe(-3)"));
        }
    }
}
