package io.wasmudf.engine;

import static io.wasmudf.engine.LimitsModules.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Per-instance memory caps, shared memory budgets, and declared sizes that do not fit. */
class MemoryLimitTest {
    private static final long PAGE = Memory.PAGE_SIZE;

    private static Instance limits(Engine engine, InstanceLimits limits) {
        return engine.compile(LimitsModules.bytes("limits")).instantiate(LimitsModules.imports(x -> x), limits);
    }

    private static int growAll(Instance instance) {
        return (int) instance.function("grow_all").call()[0];
    }

    @Test
    void growthStopsAtTheEngineCap() {
        Instance instance = LimitsModules.limits(Engine.builder().maxMemoryPages(4).build());
        assertEquals(1, call(instance, "grow", 2));
        assertEquals(-1, call(instance, "grow", 2));
        assertEquals(3, call(instance, "grow", 1));
        assertEquals(-1, call(instance, "grow", 1));
        assertEquals(4, growAll(instance));
    }

    @Test
    void aMemoryBombIsCappedPerInstance() {
        Engine engine = Engine.builder().untrusted().build();
        Instance instance = LimitsModules.limits(engine);
        assertEquals(-1, call(instance, "grow", Engine.UNTRUSTED_MAX_MEMORY_PAGES));
        assertEquals(1, call(instance, "grow", Engine.UNTRUSTED_MAX_MEMORY_PAGES - 1));
        assertEquals(-1, call(instance, "grow", 1));
        Instance small = limits(engine, engine.defaultLimits().withMaxMemoryPages(3));
        assertEquals(3, growAll(small));
        assertEquals(-1, call(small, "grow", 0x7FFF_FFFF));
        assertEquals(-1, call(small, "grow", -1));
    }

    @Test
    void aDeclaredMinimumOverTheCapIsRefusedBeforeInstantiation() {
        Engine engine = Engine.builder().untrusted().build();
        CompiledModule huge = engine.compile(LimitsModules.bytes("huge_memory"));
        assertEquals(16384, huge.declaredMemoryMinPages());
        assertEquals(-1, huge.declaredMemoryMaxPages());
        ResourceLimitException e = assertThrows(ResourceLimitException.class, () -> huge.checkFits(engine.defaultLimits()));
        assertTrue(e.getMessage().contains("16384 pages") && e.getMessage().contains("1024 pages"), e.getMessage());
        assertEquals(ResourceLimitException.Resource.MEMORY, e.resource());
        assertEquals(ResourceLimitException.Resource.MEMORY, assertThrows(ResourceLimitException.class, huge::instantiate).resource());
        huge.checkFits(engine.defaultLimits().withMaxMemoryPages(16384)); // a per-function override fits
    }

    @Test
    void aHugeTableIsRefused() {
        CompiledModule module = Engine.create().compile(LimitsModules.bytes("huge_table"));
        ResourceLimitException e = assertThrows(ResourceLimitException.class, module::instantiate);
        assertTrue(e.getMessage().contains("20000000"), e.getMessage());
        assertEquals(ResourceLimitException.Resource.TABLE, e.resource());
        assertThrows(ResourceLimitException.class, () -> module.checkFits(module.engine().defaultLimits()));
    }

    @Test
    void aBudgetBoundsTheTotalAcrossInstancesAndCloseGivesItBack() {
        MemoryBudget budget = new MemoryBudget(4 * PAGE);
        Engine engine = Engine.builder().memoryBudget(budget).build();
        Instance a = LimitsModules.limits(engine);
        Instance b = LimitsModules.limits(engine);
        assertEquals(2 * PAGE, budget.reservedBytes());
        assertEquals(1, call(a, "grow", 2));
        assertEquals(4 * PAGE, budget.reservedBytes());
        assertEquals(-1, call(b, "grow", 1), "growth past the shared budget fails as memory.grow allows");
        ResourceLimitException e = assertThrows(ResourceLimitException.class, () -> LimitsModules.limits(engine));
        assertTrue(e.getMessage().contains("budget"), e.getMessage());
        assertEquals(ResourceLimitException.Resource.MEMORY, e.resource());
        assertEquals(4 * PAGE, budget.reservedBytes(), "a refused instantiation reserves nothing");

        a.close();
        a.close();
        assertEquals(PAGE, budget.reservedBytes());
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS,
                assertThrows(Trap.class, () -> a.function("swap").call(0, 1)).kind(), "a closed instance has no memory");
        assertEquals(1, call(b, "grow", 3));
        assertEquals(4 * PAGE, budget.reservedBytes());
        b.close();
        assertEquals(0, budget.reservedBytes());
    }

    @Test
    void aPerDatabaseBudgetCanBePassedPerInstantiation() {
        Engine engine = Engine.create();
        MemoryBudget db1 = new MemoryBudget(2 * PAGE);
        MemoryBudget db2 = new MemoryBudget(2 * PAGE);
        Instance x = limits(engine, engine.defaultLimits().withMemoryBudget(db1));
        Instance y = limits(engine, engine.defaultLimits().withMemoryBudget(db2));
        assertEquals(1, call(x, "grow", 1));
        assertEquals(-1, call(x, "grow", 1));
        assertEquals(1, call(y, "grow", 1));
        assertEquals(2 * PAGE, db1.reservedBytes());
        assertEquals(2 * PAGE, db2.reservedBytes());
    }

    @Test
    void aFailedStartFunctionGivesItsMemoryBack() {
        MemoryBudget budget = new MemoryBudget(64 * PAGE);
        Engine engine = Engine.builder().fuel(true).memoryBudget(budget).build();
        // limits.wasm has no start function; use a tiny module whose start traps
        byte[] wasm = {0, 'a', 's', 'm', 1, 0, 0, 0,
            1, 4, 1, 0x60, 0, 0, // type () -> ()
            3, 2, 1, 0, // one function
            5, 3, 1, 0, 2, // memory min 2
            8, 1, 0, // start 0
            10, 5, 1, 3, 0, 0x00, 0x0B}; // body: unreachable
        Trap trap = assertThrows(Trap.class, () -> engine.compile(wasm).instantiate());
        assertEquals(TrapKind.UNREACHABLE, trap.kind());
        assertEquals(0, budget.reservedBytes());
    }
}
