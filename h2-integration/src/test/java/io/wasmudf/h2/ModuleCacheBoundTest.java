package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.connect;
import static io.wasmudf.h2.TestSupport.memUrl;
import static io.wasmudf.h2.TestSupport.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.Engine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * CREATE OR REPLACE of the benchmark's 444 KB module again and again, each time with other bytes
 * (a salt in a custom section, so every cycle compiles a new module) and a call (so every cycle
 * instantiates it): the replaced modules, their instances, bindings and bridge classes are
 * released, so the heap after a full GC stays within 10 % of the 10th cycle's. The CI slice runs
 * {@value #CI_CYCLES} cycles; {@code -Dwasmudf.cache.cycles=1000} runs the full check.
 */
class ModuleCacheBoundTest {
    private static final int CI_CYCLES = 25;
    private static final Path LARGE = Path.of("../benchmark-queries/src/main/resources/io/wasmudf/bench/large.wasm");

    @Test
    void replacingTheLargeModuleOverAndOverKeepsTheHeapFlat() throws Exception {
        int cycles = Integer.getInteger("wasmudf.cache.cycles", CI_CYCLES);
        byte[] large = Files.readAllBytes(LARGE);
        long baseline = 0;
        long expected;
        try (Connection c = connect(memUrl())) {
            expected = ((Number) create(c, large, 0)).longValue();
            for (int cycle = 1; cycle <= cycles; cycle++) {
                assertEquals(expected, ((Number) create(c, large, cycle)).longValue());
                if (cycle == 10) {
                    baseline = heapAfterGc();
                }
            }
            long end = heapAfterGc();
            System.out.printf("[module-cache] %d CREATE OR REPLACE cycles of the %d KB module: heap after GC %.1f MB at cycle 10,"
                    + " %.1f MB at cycle %d; engine cache %.1f MB%n", cycles, large.length >> 10, baseline / 1e6, end / 1e6, cycles,
                    Engines.engine(false).cachedBytes() / 1e6);
            assertTrue(end <= baseline * 1.10, "heap grew from " + baseline + " to " + end + " bytes over " + (cycles - 10) + " cycles");
            assertTrue(Engines.engine(false).cachedBytes() <= Engine.DEFAULT_MODULE_CACHE_BYTES);
            assertEquals(1L, ((Number) one(c, "SELECT COUNT(*) FROM wasm.modules")).longValue(), "replaced implicit modules are deleted");
        }
    }

    private static Object create(Connection c, byte[] large, long salt) throws SQLException, IOException {
        try (PreparedStatement p = c.prepareStatement("CREATE OR REPLACE FUNCTION run_all(seed integer) RETURNS integer LANGUAGE wasm STRICT AS ?")) {
            p.setBytes(1, salted(large, salt));
            p.execute();
        }
        return one(c, "SELECT run_all(7)");
    }

    /** {@code module} plus a custom section "salt" holding {@code salt}: new bytes, same code. */
    private static byte[] salted(byte[] module, long salt) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(module);
        out.write(0); // custom section
        out.write(1 + 4 + 8);
        out.write(4);
        out.write("salt".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (int i = 0; i < 8; i++) {
            out.write((int) (salt >>> (8 * i)));
        }
        return out.toByteArray();
    }

    private static long heapAfterGc() throws InterruptedException {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            min = Math.min(min, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return min;
    }
}
