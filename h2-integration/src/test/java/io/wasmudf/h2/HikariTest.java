package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.fails;
import static io.wasmudf.h2.TestSupport.hex;
import static io.wasmudf.h2.TestSupport.memUrl;
import static io.wasmudf.h2.TestSupport.one;
import static io.wasmudf.h2.TestSupport.wasm;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A real HikariCP pool over the driver and over the DataSource: many threads, many borrow/return cycles. */
class HikariTest {

    private static void hammer(HikariDataSource pool) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int seed = t;
            results.add(threads.submit(() -> {
                int checked = 0;
                for (int i = 0; i < 150; i++) {
                    try (Connection c = pool.getConnection()) {
                        if (i % 25 == 7) {
                            // a trap must not poison the pooled connection
                            fails("38000", () -> one(c, "SELECT div_i32(1, 0)"));
                        }
                        try (PreparedStatement ps = c.prepareStatement("SELECT plus(?, x), shout(?) FROM SYSTEM_RANGE(1, 3) ORDER BY x")) {
                            ps.setInt(1, seed * 1000 + i);
                            ps.setString(2, "t" + seed + "-" + i);
                            try (ResultSet rs = ps.executeQuery()) {
                                for (int x = 1; x <= 3; x++) {
                                    rs.next();
                                    assertEquals(seed * 1000 + i + x, rs.getInt(1));
                                    assertEquals(("T" + seed + "-" + i), rs.getString(2));
                                    checked++;
                                }
                            }
                        }
                    }
                }
                return checked;
            }));
        }
        int total = 0;
        for (Future<Integer> f : results) {
            total += f.get(120, TimeUnit.SECONDS);
        }
        threads.shutdown();
        assertEquals(8 * 150 * 3, total);
    }

    @Test
    void poolOverTheDriverUrl() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(memUrl());
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(4);
        config.setDriverClassName(WasmDriver.class.getName());
        try (HikariDataSource pool = new HikariDataSource(config)) {
            setUpFunctions(pool);
            hammer(pool);
        }
    }

    @Test
    void poolOverTheDataSource() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setDataSourceClassName(WasmDataSource.class.getName());
        config.addDataSourceProperty("URL", memUrl());
        config.addDataSourceProperty("user", "sa");
        config.setMaximumPoolSize(3);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            setUpFunctions(pool);
            hammer(pool);
        }
    }

    private static void setUpFunctions(HikariDataSource pool) throws Exception {
        try (Connection c = pool.getConnection()) {
            TestSupport.upload(c, "abi", wasm("abi"));
            exec(c, "CREATE FUNCTION shout(text) RETURNS text LANGUAGE wasm STRICT AS 'abi', 'upper'");
            exec(c, "CREATE FUNCTION plus(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS 'abi', 'add_i32'");
            exec(c, "CREATE FUNCTION div_i32(integer, integer) RETURNS integer LANGUAGE wasm STRICT AS X'" + hex(wasm("abi")) + "'");
        }
    }
}
