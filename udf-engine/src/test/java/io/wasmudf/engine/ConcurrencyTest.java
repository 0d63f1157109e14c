package io.wasmudf.engine;

import static io.wasmudf.engine.LimitsModules.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many threads, each with its own instances of shared compiled modules, call the same and
 * different functions at once. Each instance's memory must only ever hold what its own thread
 * wrote, and one thread's traps, timeouts and limit hits must not disturb the others.
 */
class ConcurrencyTest {
    private static final int THREADS = 32;
    private static final int ROUNDS = 40;

    @Test
    void separateInstancesNeverSeeEachOthersData() throws Exception {
        Engine engine = Engine.builder().untrusted().fuel(true).build();
        CompiledModule shared = engine.compile(LimitsModules.bytes("limits"));
        MethodHandle swapForAny = shared.exportHandle("swap");
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t + 1;
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        return worker(engine, shared, swapForAny, id);
                    } catch (Throwable e) {
                        return "thread " + id + ": " + e;
                    }
                }));
            }
            for (Future<String> f : results) {
                assertEquals("ok", f.get(120, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Returns "ok" or a description of the first wrong value seen. */
    private static String worker(Engine engine, CompiledModule shared, MethodHandle swapForAny, int id) throws Throwable {
        // every thread instantiates concurrently, half of them compile the module themselves
        CompiledModule module = id % 2 == 0 ? shared : engine.compile(LimitsModules.bytes("limits"));
        Instance mine = module.instantiate(LimitsModules.imports(x -> x * id));
        InstanceLimits small = engine.defaultLimits().withMaxMemoryPages(16);
        Instance victim = module.instantiate(LimitsModules.imports(x -> x), small);
        int expectedCounter = 0;
        int lastStored = 0;
        for (int round = 0; round < ROUNDS; round++) {
            int stored = id * 1_000_000 + round;
            int before = (int) swapForAny.invokeExact(64, stored, mine);
            if (before != lastStored) {
                return "thread " + id + " round " + round + ": found " + before + " at address 64, stored " + lastStored;
            }
            lastStored = stored;
            expectedCounter += id * 3;
            int counter = (int) mine.function("accumulate").call(id, 3)[0];
            if (counter != expectedCounter) {
                return "thread " + id + " round " + round + ": counter " + counter + ", expected " + expectedCounter;
            }
            if (call(mine, "via_host", round) != round * id) {
                return "thread " + id + ": host callback crossed instances";
            }
            if (call(mine, "deep", 50 + id) != 50 + id || call(mine, "count", id) != id * (id - 1) / 2) {
                return "thread " + id + ": wrong result from deep/count";
            }
            switch (round % 4) {
                case 0: // a trap in another instance of the same module
                    expectTrap(victim, "runaway", TrapKind.CALL_STACK_EXHAUSTED);
                    break;
                case 1:
                    victim.setFuel(1_000);
                    expectTrap(victim, "loop_forever", TrapKind.OUT_OF_FUEL);
                    victim.setFuel(Long.MAX_VALUE);
                    break;
                case 2:
                    victim.setTimeout(Duration.ofMillis(1));
                    expectTrap(victim, "loop_forever", TrapKind.TIMEOUT);
                    victim.clearDeadline();
                    break;
                default: // a memory bomb, then a fresh instance as after any trap
                    victim.function("grow_all").call();
                    victim.close();
                    victim = module.instantiate(LimitsModules.imports(x -> x), small);
            }
        }
        int counter = (int) mine.function("accumulate").call(0, 1)[0];
        return counter == expectedCounter ? "ok" : "thread " + id + ": final counter " + counter;
    }

    private static void expectTrap(Instance instance, String name, TrapKind kind) {
        try {
            call(instance, name, 0);
        } catch (Trap t) {
            assertEquals(kind, t.kind(), name);
            return;
        }
        throw new AssertionError(name + " did not trap");
    }

    @Test
    void aSharedBudgetHoldsUnderConcurrentGrowth() throws Exception {
        long page = Memory.PAGE_SIZE;
        MemoryBudget budget = new MemoryBudget(100 * page);
        Engine engine = Engine.builder().memoryBudget(budget).build();
        CompiledModule module = engine.compile(LimitsModules.bytes("limits"));
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Instance> instances = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                instances.add(module.instantiate(LimitsModules.imports(x -> x)));
            }
            List<Future<Integer>> pages = new ArrayList<>();
            for (Instance i : instances) {
                pages.add(pool.submit(() -> (int) i.function("grow_all").call()[0]));
            }
            int total = 0;
            for (Future<Integer> f : pages) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            assertEquals(100, total, "all instances together grew exactly to the budget");
            assertEquals(100 * page, budget.reservedBytes());
            instances.forEach(Instance::close);
            assertEquals(0, budget.reservedBytes());
            assertTrue(budget.toString().contains("0 of " + 100 * page));
        } finally {
            pool.shutdownNow();
        }
    }
}
