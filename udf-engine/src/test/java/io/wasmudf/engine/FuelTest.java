package io.wasmudf.engine;

import static io.wasmudf.engine.LimitsModules.call;
import static io.wasmudf.engine.LimitsModules.limits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Fuel: the documented unit (each instruction charged once per entry of its innermost enclosing
 * loop or function) and determinism of the stopping point.
 */
class FuelTest {
    private final Engine engine = Engine.builder().fuel(true).build();

    /*
     * limits.wat "count" flattened: outside the loop, block / loop / end(block) / local.get / end
     * = 5 instructions; inside, 13 instructions plus the loop's end = 14, run n + 1 times.
     */
    private static long countCost(int n) {
        return 5 + 14L * (n + 1);
    }

    private static long consumed(Instance instance, int n) {
        instance.setFuel(1_000_000);
        call(instance, "count", n);
        return 1_000_000 - instance.fuelRemaining();
    }

    @Test
    void fuelIsChargedPerInstructionSegment() {
        Instance instance = limits(engine);
        assertEquals(countCost(0), consumed(instance, 0));
        assertEquals(countCost(100), consumed(instance, 100));
        assertEquals(countCost(1000), consumed(instance, 1000));
    }

    @Test
    void theSameFuelStopsAtTheSamePoint() {
        long exact = countCost(500);
        for (int round = 0; round < 3; round++) {
            Instance instance = limits(engine);
            instance.setFuel(exact);
            assertEquals(124750, call(instance, "count", 500));
            assertEquals(0, instance.fuelRemaining());
            instance.setFuel(exact - 1);
            Trap trap = assertThrows(Trap.class, () -> call(instance, "count", 500));
            assertEquals(TrapKind.OUT_OF_FUEL, trap.kind());
            assertEquals("fuel exhausted", trap.getMessage());
            assertEquals(0, instance.fuelRemaining());
        }
    }

    @Test
    void fuelStopsAnInfiniteLoop() {
        Instance instance = limits(engine);
        instance.setFuel(10_000_000);
        Trap trap = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(Trap.class, () -> call(instance, "loop_forever", 0)));
        assertEquals(TrapKind.OUT_OF_FUEL, trap.kind());
        instance.setFuel(1_000);
        assertEquals(45, call(instance, "count", 10), "refuelled instance works again");
    }

    @Test
    void fuelStopsUnboundedRecursionBeforeTheStackDoes() {
        Instance instance = limits(engine);
        instance.setFuel(100);
        assertEquals(TrapKind.OUT_OF_FUEL, assertThrows(Trap.class, () -> call(instance, "runaway", 0)).kind());
    }

    @Test
    void initialFuelAppliesToTheStartFunction() {
        CompiledModule module = engine.compile(LimitsModules.bytes("start_loop"));
        Trap trap = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(Trap.class,
                () -> module.instantiate(Imports.empty(), engine.defaultLimits().withFuel(100_000))));
        assertEquals(TrapKind.OUT_OF_FUEL, trap.kind());
    }

    @Test
    void fuelIsUnlimitedUntilSetAndRefusedWithoutMetering() {
        Instance metered = limits(engine);
        assertEquals(Long.MAX_VALUE - countCost(10), consumedFromUnlimited(metered));
        Instance unmetered = limits(Engine.create());
        assertThrows(IllegalStateException.class, () -> unmetered.setFuel(10));
        assertThrows(IllegalArgumentException.class, () -> metered.setFuel(-1));
    }

    private static long consumedFromUnlimited(Instance instance) {
        call(instance, "count", 10);
        return instance.fuelRemaining();
    }
}
