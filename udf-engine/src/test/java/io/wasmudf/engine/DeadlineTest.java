package io.wasmudf.engine;

import static io.wasmudf.engine.LimitsModules.call;
import static io.wasmudf.engine.LimitsModules.limits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandle;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Deadlines and cancellation: runaway guest code stops, and stale requests do not hit later calls. */
class DeadlineTest {
    private final Engine engine = Engine.builder().untrusted().build();

    @Test
    void infiniteLoopStopsAtTheDeadline() {
        Instance instance = limits(engine);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            long start = System.nanoTime();
            instance.setTimeout(Duration.ofMillis(100));
            Trap trap = assertThrows(Trap.class, () -> call(instance, "loop_forever", 0));
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(TrapKind.TIMEOUT, trap.kind());
            assertEquals("execution deadline exceeded", trap.getMessage());
            assertTrue(elapsedMs >= 100, "stopped before the deadline: " + elapsedMs + " ms");
            // generous bound: only proves the loop was stopped rather than running on
            assertTrue(elapsedMs < 2_000, "took " + elapsedMs + " ms to stop");
        });
    }

    /**
     * Exponential recursion whose calls all sit in a loop, so its entry has no interrupt check
     * (CheckEmitter#callsOnlyInLoops) and its depth budget lives in a parameter (SelfRecursion):
     * the loop header's check still stops it; fib(60) would otherwise run for hours.
     */
    @Test
    void recursionWithItsCallsInALoopStopsAtTheDeadline() {
        byte[] fib = Wat.toBinary("""
                (module (func $fib (export "fib") (param $n i32) (result i32) (local $sum i32)
                  (if (i32.lt_s (local.get $n) (i32.const 2)) (then (return (local.get $n))))
                  (loop $again
                    (local.set $sum (i32.add (local.get $sum) (call $fib (i32.sub (local.get $n) (i32.const 1)))))
                    (local.set $n (i32.sub (local.get $n) (i32.const 2)))
                    (br_if $again (i32.ge_s (local.get $n) (i32.const 2))))
                  (i32.add (local.get $sum) (local.get $n))))""");
        Instance instance = engine.compile(fib).instantiate();
        assertEquals(6765, instance.function("fib").call(20)[0], "fib(20) under the untrusted settings");
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            instance.setTimeout(Duration.ofMillis(100));
            Trap trap = assertThrows(Trap.class, () -> instance.function("fib").call(60));
            assertEquals(TrapKind.TIMEOUT, trap.kind());
        });
        instance.setTimeout(Duration.ofHours(1));
        assertEquals(6765, instance.function("fib").call(20)[0], "the budget was given back after the trap");
    }

    /**
     * Exponential recursion through {@code call_ref} outside any loop: with no loop header to
     * check, the entry must poll (a {@code call_ref} is a call to CheckEmitter#callsOnlyInLoops).
     */
    @Test
    void recursionThroughCallRefStopsAtTheDeadline() {
        byte[] fib = Wat.toBinary("""
                (module (type $t (func (param i32) (result i32)))
                  (elem declare func $fib)
                  (func $fib (export "fib") (type $t)
                    (if (result i32) (i32.lt_s (local.get 0) (i32.const 2)) (then (local.get 0))
                      (else (i32.add (call_ref $t (i32.sub (local.get 0) (i32.const 1)) (ref.func $fib))
                                     (call_ref $t (i32.sub (local.get 0) (i32.const 2)) (ref.func $fib)))))))""");
        Instance instance = engine.compile(fib).instantiate();
        assertEquals(6765, instance.function("fib").call(20)[0]);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            instance.setTimeout(Duration.ofMillis(100));
            Trap trap = assertThrows(Trap.class, () -> instance.function("fib").call(60));
            assertEquals(TrapKind.TIMEOUT, trap.kind());
        });
    }

    @Test
    void aPassedDeadlineStopsEveryLaterCallUntilCleared() {
        Instance instance = limits(engine);
        instance.setDeadline(System.nanoTime() - 1);
        assertEquals(TrapKind.TIMEOUT, assertThrows(Trap.class, () -> call(instance, "count", 10)).kind());
        assertEquals(TrapKind.TIMEOUT, assertThrows(Trap.class, () -> call(instance, "deep", 3)).kind());
        instance.clearDeadline();
        assertEquals(45, call(instance, "count", 10));
        instance.setTimeout(Duration.ofMillis(1));
        assertEquals(TrapKind.TIMEOUT, assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(Trap.class, () -> call(instance, "loop_forever", 0))).kind());
        instance.setTimeout(Duration.ofHours(1)); // a new deadline replaces the passed one
        assertEquals(4950, call(instance, "count", 100));
    }

    @Test
    void aReplacedDeadlineDoesNotFire() throws InterruptedException {
        Instance instance = limits(engine);
        instance.setTimeout(Duration.ofMillis(20));
        instance.setTimeout(Duration.ofHours(1));
        Thread.sleep(100);
        assertEquals(45, call(instance, "count", 10));
    }

    @Test
    void interruptFromAnotherThreadStopsARunningCall() throws Exception {
        Instance instance = limits(engine);
        CompletableFuture<Trap> result = CompletableFuture.supplyAsync(
                () -> assertThrows(Trap.class, () -> call(instance, "loop_forever", 0)));
        // an interrupt that arrives before the call starts is discarded by design, so repeat it
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            while (!result.isDone()) {
                instance.interrupt();
                Thread.sleep(5);
            }
        });
        Trap trap = result.get();
        assertEquals(TrapKind.INTERRUPTED, trap.kind());
        assertEquals("interrupted", trap.getMessage());
        assertEquals(45, call(instance, "count", 10), "the interrupt was consumed by its trap");
    }

    @Test
    void anInterruptWhileIdleDoesNotStopTheNextCall() {
        Instance instance = limits(engine);
        instance.interrupt();
        assertEquals(45, call(instance, "count", 10));
        assertEquals(12, call(instance, "deep", 12));
    }

    @Test
    void interruptStopsCallsMadeThroughTheInstanceIndependentExportHandle() throws Exception {
        CompiledModule module = engine.compile(LimitsModules.bytes("limits"));
        Instance instance = module.instantiate(LimitsModules.imports(x -> x));
        var handle = module.exportHandle("loop_forever");
        CompletableFuture<Trap> result = CompletableFuture.supplyAsync(() -> assertThrows(Trap.class,
                () -> {
                    int ignored = (int) handle.invokeExact(0, instance);
                }));
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            while (!result.isDone()) {
                instance.interrupt();
                Thread.sleep(5);
            }
        });
        assertEquals(TrapKind.INTERRUPTED, result.get().kind());
    }

    @Test
    void handlesForCallsTreatTheCallsBetweenTwoBeginCallsAsOne() throws Throwable {
        CompiledModule module = engine.compile(LimitsModules.bytes("limits"));
        Instance instance = module.instantiate(LimitsModules.imports(x -> x));
        MethodHandle count = module.exportHandleForCalls("count");
        instance.interrupt(); // made before the unit begins: stale
        instance.beginCalls();
        assertEquals(45, (int) count.invokeExact(10, instance));
        assertEquals(45, (int) count.invokeExact(10, instance));
        instance.interrupt(); // between two calls of the unit: stops the next one
        assertEquals(TrapKind.INTERRUPTED, assertThrows(Trap.class, () -> {
            int ignored = (int) count.invokeExact(10, instance);
        }).kind());
        instance.beginCalls();
        assertEquals(4950, (int) count.invokeExact(100, instance));
    }

    @Test
    void beginCallsGivesBackTheCallStackBudgetATrapLeftShort() throws Throwable {
        CompiledModule module = engine.compile(LimitsModules.bytes("limits"));
        Instance instance = module.instantiate(LimitsModules.imports(x -> x));
        MethodHandle deep = module.exportHandleForCalls("deep");
        // recursion through call_indirect takes its budget from the instance's field (direct
        // self-recursion keeps it in a parameter and leaves the field alone: see SelfRecursion)
        MethodHandle deepIndirect = module.exportHandleForCalls("deep_indirect");
        instance.beginCalls();
        assertEquals(TrapKind.CALL_STACK_EXHAUSTED, assertThrows(Trap.class, () -> {
            int ignored = (int) deepIndirect.invokeExact(1_000_000, instance);
        }).kind());
        // no per-call entry on these handles: the unwound frames' budget stays spent ...
        assertEquals(TrapKind.CALL_STACK_EXHAUSTED, assertThrows(Trap.class, () -> {
            int ignored = (int) deep.invokeExact(12, instance);
        }).kind());
        // ... until the next unit begins
        instance.beginCalls();
        assertEquals(12, (int) deep.invokeExact(12, instance));
        assertEquals(12, call(instance, "deep", 12), "an ordinary call still does its own entry");
    }

    @Test
    void otherInstancesCarryOnWhileOneIsStopped() throws ExecutionException, InterruptedException {
        Instance runaway = limits(engine);
        Instance healthy = limits(engine);
        runaway.setTimeout(Duration.ofMillis(50));
        CompletableFuture<Trap> stopped = CompletableFuture.supplyAsync(
                () -> assertThrows(Trap.class, () -> call(runaway, "loop_forever", 0)));
        assertEquals(499500, call(healthy, "count", 1000));
        assertEquals(TrapKind.TIMEOUT, stopped.get().kind());
        assertEquals(499500, call(healthy, "count", 1000));
    }

    @Test
    void aLoopingStartFunctionIsStoppedByTheInstantiationTimeout() {
        CompiledModule module = engine.compile(LimitsModules.bytes("start_loop"));
        InstanceLimits limits = engine.defaultLimits().withInstantiationTimeout(Duration.ofMillis(100));
        Trap trap = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(Trap.class, () -> module.instantiate(Imports.empty(), limits)));
        assertEquals(TrapKind.TIMEOUT, trap.kind());
    }

    @Test
    void engineWithoutChecksRefusesToPromiseInterruption() {
        Instance instance = limits(Engine.create());
        assertThrows(IllegalStateException.class, instance::interrupt);
        assertThrows(IllegalStateException.class, () -> instance.setTimeout(Duration.ofSeconds(1)));
    }
}
