package io.wasmudf.h2;

import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** For tests that each run on a fresh in-memory {@code jdbc:wasm:} database, open as {@link #c} while the test runs. */
abstract class PerTestDatabase {
    /** The connection to this test's database. */
    Connection c;

    @BeforeEach
    void open() throws SQLException {
        c = TestSupport.connect(TestSupport.memUrl());
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }
}
