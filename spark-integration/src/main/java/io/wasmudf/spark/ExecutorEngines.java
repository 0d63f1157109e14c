package io.wasmudf.spark;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.Engine;
import io.wasmudf.engine.MemoryBudget;
import io.wasmudf.sql.FunctionLimits;
import java.sql.SQLException;

/**
 * The engines of one JVM (driver or executor), built for untrusted guests as the H2 side's are:
 * interruptible (wasm.timeout), bounded call depth; functions with {@code wasm.fuel} run on the
 * second, which also compiles metering. Their caches are content-addressed, so a module is
 * compiled once per JVM however many tasks and functions use it; nothing here is per database.
 */
final class ExecutorEngines {
    private static final Engine PLAIN = Engine.builder().untrusted().build();
    private static final Engine FUEL = Engine.builder().untrusted().fuel(true).build();
    /** All wasm memory of this JVM's instances ({@code -Dwasm.memory_budget}, default 1 GiB), so guests cannot exhaust the executor's heap. */
    static final MemoryBudget BUDGET = new MemoryBudget(budgetBytes());

    private ExecutorEngines() {}

    /** Compiles (or finds in the cache) {@code bytes}; engine exceptions propagate. */
    static CompiledModule compile(byte[] bytes, boolean fuel) {
        return (fuel ? FUEL : PLAIN).compile(bytes);
    }

    private static long budgetBytes() {
        String v = System.getProperty("wasm.memory_budget");
        if (v == null) {
            return 1L << 30;
        }
        try {
            return FunctionLimits.parseBytes("wasm.memory_budget", v, Long.MAX_VALUE, "8 EiB");
        } catch (SQLException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
