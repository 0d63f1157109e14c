package io.wasmudf.engine;

import static io.wasmudf.engine.LimitsModules.call;
import static io.wasmudf.engine.LimitsModules.limits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Call depth: the compiled budget makes the depth at which recursion traps independent of the
 * thread, and a JVM stack overflow still becomes the same trap where the budget is not reached.
 */
class StackLimitTest {
    /** Runs {@code body} on a new thread with {@code stackBytes} of stack. */
    private static <T> T onThread(long stackBytes, Supplier<T> body) {
        AtomicReference<Object> out = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                out.set(body.get());
            } catch (Throwable e) {
                out.set(e);
            }
        }, "stack-" + stackBytes, stackBytes);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        if (out.get() instanceof RuntimeException e) {
            throw e;
        }
        if (out.get() instanceof Error e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        T result = (T) out.get();
        return result;
    }

    private static TrapKind trapOf(Runnable r) {
        return assertThrows(Trap.class, r::run).kind();
    }

    @Test
    void theDepthLimitIsTheSameOnSmallAndLargeStacks() {
        // "deep" has 2 JVM slots (its i32 and the instance), so each level costs 1 unit;
        // deep(n) runs n + 1 frames
        Instance instance = limits(Engine.builder().untrusted().build());
        int limit = Engine.UNTRUSTED_MAX_CALL_DEPTH;
        for (long stack : new long[] {1 << 20, 16 << 20}) {
            assertEquals(limit - 1, (int) onThread(stack, () -> call(instance, "deep", limit - 1)));
            assertEquals(TrapKind.CALL_STACK_EXHAUSTED, onThread(stack, () -> trapOf(() -> call(instance, "deep", limit))));
        }
    }

    @Test
    void theBudgetCountsFramesAndHandleCalls() {
        Instance instance = limits(Engine.builder().maxCallDepth(300).build());
        assertEquals(299, call(instance, "deep", 299));
        assertEquals(TrapKind.CALL_STACK_EXHAUSTED, trapOf(() -> call(instance, "deep", 300)));
        // each call_indirect level: 7 units for the handle call plus 1 for the frame; 1 for the first frame
        assertEquals(37, call(instance, "deep_indirect", 37));
        assertEquals(TrapKind.CALL_STACK_EXHAUSTED, trapOf(() -> call(instance, "deep_indirect", 38)));
    }

    @Test
    void runawayRecursionTrapsAndTheInstanceRecovers() {
        Instance instance = limits(Engine.builder().untrusted().build());
        assertEquals(TrapKind.CALL_STACK_EXHAUSTED, trapOf(() -> call(instance, "runaway", 0)));
        assertEquals(TrapKind.CALL_STACK_EXHAUSTED, trapOf(() -> call(instance, "runaway_big", 0)));
        assertEquals(1000, call(instance, "deep", 1000), "a trap must not leave the budget used up");
    }

    @Test
    void aTrapCaughtByTheHostInANestedCallRestoresTheOuterBudget() {
        Engine engine = Engine.builder().maxCallDepth(300).build();
        CompiledModule module = engine.compile(LimitsModules.bytes("limits"));
        Instance[] self = new Instance[1];
        self[0] = module.instantiate(LimitsModules.imports(n -> {
            assertEquals(TrapKind.CALL_STACK_EXHAUSTED, trapOf(() -> call(self[0], "deep", 10_000)));
            return call(self[0], "deep", n);
        }));
        // via_host (1) + import call (7) + deep's n + 1 frames share one budget of 300
        assertEquals(291, call(self[0], "via_host", 291));
        assertEquals(TrapKind.CALL_STACK_EXHAUSTED, trapOf(() -> call(self[0], "via_host", 292)));
    }

    @Test
    void stackOverflowStillBecomesATrapWithoutABudget() {
        Instance instance = limits(Engine.create());
        assertEquals(TrapKind.CALL_STACK_EXHAUSTED, onThread(256 << 10, () -> trapOf(() -> call(instance, "runaway", 0))));
        assertEquals(TrapKind.CALL_STACK_EXHAUSTED, onThread(256 << 10, () -> trapOf(() -> call(instance, "runaway_big", 0))));
        assertEquals(10, call(instance, "deep", 10));
    }

    @Test
    void aStackTooSmallForTheBudgetStillTraps() {
        Instance instance = limits(Engine.builder().untrusted().build());
        assertEquals(TrapKind.CALL_STACK_EXHAUSTED, onThread(128 << 10, () -> trapOf(() -> call(instance, "runaway", 0))));
    }
}
