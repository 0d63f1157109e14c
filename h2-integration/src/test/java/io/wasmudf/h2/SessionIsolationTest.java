package io.wasmudf.h2;

import static io.wasmudf.h2.LimitsSqlTest.limitsDb;
import static io.wasmudf.h2.TestSupport.connect;
import static io.wasmudf.h2.TestSupport.fails;
import static io.wasmudf.h2.TestSupport.memUrl;
import static io.wasmudf.h2.TestSupport.one;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** No state leaks between sessions through linear memory, and a trap only resets the session that hit it. */
class SessionIsolationTest {

    @Test
    void aNewSessionNeverSeesAnotherSessionsMemory() throws SQLException {
        String url = memUrl();
        try (Connection a = limitsDb(url); Connection b = connect(url)) {
            assertEquals(0, one(a, "SELECT put_marker(51966)"));
            assertEquals(51966, one(a, "SELECT get_marker()"));
            assertEquals(0, one(b, "SELECT get_marker()"));
            assertEquals(0, one(b, "SELECT put_marker(4660)"));
            assertEquals(51966, one(a, "SELECT get_marker()"));
            assertEquals(4660, one(b, "SELECT get_marker()"));
            a.close();
            try (Connection c = connect(url)) {
                assertEquals(0, one(c, "SELECT get_marker()"));
            }
        }
    }

    @Test
    void memoryPersistsWithinASessionAcrossStatementsAndFunctions() throws SQLException {
        try (Connection a = limitsDb(memUrl())) {
            assertEquals(0, one(a, "SELECT put_marker(7)"));
            assertEquals(7, one(a, "SELECT put_marker(8)"));
            assertEquals(8, one(a, "SELECT get_marker()"));
        }
    }

    @Test
    void aTrapResetsOnlyTheTrappingSessionsInstance() throws SQLException {
        String url = memUrl();
        try (Connection a = limitsDb(url); Connection b = connect(url)) {
            assertEquals(0, one(a, "SELECT put_marker(11)"));
            assertEquals(0, one(b, "SELECT put_marker(22)"));
            fails("38000", () -> one(a, "SELECT div_by(1, 0)"));
            assertEquals(0, one(a, "SELECT get_marker()"), "a trapped: its instance is fresh");
            assertEquals(22, one(b, "SELECT get_marker()"), "b is untouched");
            fails("57014", () -> {
                try (var st = b.createStatement()) {
                    st.setQueryTimeout(1);
                    st.executeQuery("SELECT spin()");
                }
            });
            assertEquals(0, one(b, "SELECT get_marker()"), "a timed-out instance is discarded too");
        }
    }
}
