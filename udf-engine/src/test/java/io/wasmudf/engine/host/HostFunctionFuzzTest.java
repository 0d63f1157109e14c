package io.wasmudf.engine.host;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.Grants;
import io.wasmudf.engine.GuestRaisedException;
import io.wasmudf.engine.HostedInstance;
import io.wasmudf.engine.ProcExitException;
import io.wasmudf.engine.Trap;
import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.host.HostModules;
import io.wasmudf.engine.testsupport.FuzzSeed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every host function (WASI, AssemblyScript's env, wasmudf) called with random arguments, biased
 * to what hostile guests pass: pointers at and past the end of memory, lengths of 4 GiB - 1,
 * negative descriptors, u64 timeouts, memory filled with random bytes (so iovecs and
 * subscriptions point anywhere). The only acceptable ends of a call are a result, a {@link Trap},
 * {@link ProcExitException} and {@link GuestRaisedException}: never a host exception, and never a
 * hang (clock sleeps are bounded by a deadline). Scales with {@code -Dwasmudf.fuzz.iterations}.
 */
class HostFunctionFuzzTest {
    private static final int[] EDGES = {0, 1, 3, 4, 8, 24, 48, 64, 65535, 65536, 131064, 131068, 131072, -1, -4, -8,
        Integer.MAX_VALUE, Integer.MIN_VALUE, 0x7FFF_FFF0};

    @Test
    void randomArgumentsNeverEscapeAsHostExceptions() {
        long seed = FuzzSeed.of(0xF022_57L);
        Random r = new Random(seed);
        int iterations = Integer.getInteger("wasmudf.fuzz.iterations", 3000) * (Boolean.getBoolean("wasmudf.fuzz.long") ? 20 : 1);
        List<Map.Entry<String, FuncType>> functions = new ArrayList<>();
        for (String module : List.of(HostModules.WASI, HostModules.ENV, HostModules.WASMUDF)) {
            functions.addAll(HostModules.functions(module).entrySet());
        }
        Grants[] grants = {Grants.NONE, Grants.DETERMINISTIC, Grants.ALL};
        HostedInstance h = null;
        int calls = 0;
        int ended = 0;
        for (int i = 0; i < iterations * 4; i++) {
            if (h == null || !h.usable() || r.nextInt(500) == 0) {
                h = HostTestSupport.probe(grants[r.nextInt(3)], (kind, line) -> { });
                byte[] noise = new byte[4096];
                r.nextBytes(noise);
                h.instance().memory("memory").write(r.nextInt(2) * 65536 + r.nextInt(60000), noise, 0, noise.length);
            }
            var f = functions.get(r.nextInt(functions.size()));
            Object[] args = new Object[f.getValue().params().size()];
            for (int a = 0; a < args.length; a++) {
                ValType t = f.getValue().params().get(a);
                int v = r.nextBoolean() ? EDGES[r.nextInt(EDGES.length)] : r.nextInt(r.nextBoolean() ? 4 : 140_000);
                args[a] = t == ValType.I64 ? (Object) (r.nextBoolean() ? (long) v : r.nextLong() % 50_000_000L)
                        : t == ValType.F64 ? (Object) r.nextDouble() : (Object) v;
            }
            h.instance().setTimeout(Duration.ofMillis(20)); // bounds real-clock sleeps
            try {
                h.call(f.getKey(), args);
                calls++;
            } catch (Trap | ProcExitException | GuestRaisedException e) {
                ended++;
                h.instance().clearDeadline();
                if (e instanceof Trap && r.nextBoolean()) {
                    h = null; // as the SQL layer does after a trap
                }
            }
        }
        assertTrue(calls > iterations, calls + " calls returned, " + ended + " ended by a trap, exit or error (seed " + seed + ")");
    }
}
