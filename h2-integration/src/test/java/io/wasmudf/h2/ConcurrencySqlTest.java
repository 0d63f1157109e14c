package io.wasmudf.h2;

import static io.wasmudf.h2.LimitsSqlTest.limitsDb;
import static io.wasmudf.h2.TestSupport.connect;
import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.memUrl;
import static io.wasmudf.h2.TestSupport.one;
import static io.wasmudf.h2.TestSupport.upload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.udfs.UdfModules;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * 32 sessions on 32 threads call the same and different functions at once, while some of them
 * trap and time out: every result must be right, and no session may ever see another's marker.
 */
class ConcurrencySqlTest {
    private static final int THREADS = 32;
    private static final int ROUNDS = 100;

    @Test
    void thirtyTwoSessionsCallTheSameAndDifferentFunctionsConcurrently() throws Exception {
        String url = memUrl();
        long burned;
        try (Connection setup = limitsDb(url)) {
            upload(setup, "math", UdfModules.bytes("math"));
            upload(setup, "strings", UdfModules.bytes("strings"));
            exec(setup, "CREATE FUNCTION add_i32(a integer, b integer) RETURNS integer LANGUAGE wasm STRICT AS 'math'");
            exec(setup, "CREATE FUNCTION reverse_text(s text) RETURNS text LANGUAGE wasm STRICT AS 'strings'");
            exec(setup, "CREATE FUNCTION spin_short() RETURNS integer LANGUAGE wasm STRICT AS 'limits', 'spin' SET wasm.timeout = '50ms'");
            burned = ((Number) one(setup, "SELECT burn(5000)")).longValue();
            AtomicInteger traps = new AtomicInteger();
            AtomicInteger timeouts = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int id = t + 1;
                    done.add(pool.submit(() -> {
                        start.await();
                        try (Connection c = connect(url)) {
                            session(c, id, burned, traps, timeouts);
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : done) {
                    f.get(5, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            assertTrue(traps.get() > 0 && timeouts.get() > 0, traps + " traps, " + timeouts + " timeouts");
            // the setup session's own instance was never touched by the others
            assertEquals(0, one(setup, "SELECT get_marker()"));
        }
    }

    private static void session(Connection c, int id, long burned, AtomicInteger traps, AtomicInteger timeouts) throws SQLException {
        int expectedMarker = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            int k = round;
            int marker = id * 100_000 + k;
            assertEquals(expectedMarker, one(c, "SELECT put_marker(?)", marker), "session " + id + " round " + k);
            expectedMarker = marker;
            assertEquals(id + k, one(c, "SELECT add_i32(?, ?)", id, k));
            String s = "session-" + id + "-round-" + k + "-\u00e9\u4e16";
            assertEquals(new StringBuilder(s).reverse().toString(), one(c, "SELECT reverse_text(?)", s));
            assertEquals(burned, ((Number) one(c, "SELECT burn(5000)")).longValue());
            if (id % 4 == 0 && k % 20 == 0) {
                SQLException e = TestSupport.fails("38000", () -> one(c, "SELECT div_by(?, 0)", k));
                assertTrue(e.getMessage().startsWith("function div_by: wasm trap: integer divide by zero"), e.getMessage());
                traps.incrementAndGet();
                expectedMarker = 0; // the trap discarded this session's instance
            }
            if (id % 8 == 1 && k == ROUNDS / 2) {
                TestSupport.fails("57014", () -> one(c, "SELECT spin_short()"));
                timeouts.incrementAndGet();
                // spin_short has its own limits, hence its own instance: the marker survives
            }
            assertEquals(expectedMarker, one(c, "SELECT get_marker()"), "session " + id + " round " + k);
        }
    }
}
