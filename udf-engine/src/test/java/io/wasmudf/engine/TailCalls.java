package io.wasmudf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What {@link TailCallTest} and {@link TailCallRefTest} check alike on their even/odd modules: each
 * exports {@code even} (mutual tail recursion, 1 for even n) and {@code spin} (a tail-call loop
 * that never ends, its one parameter given as {@code spinArg}).
 */
final class TailCalls {
    private TailCalls() {}

    static Instance instantiate(Engine engine, String wat) {
        return engine.compile(Wat.toBinary(wat)).instantiate(Imports.empty());
    }

    /** Runs {@code body} on a thread with a 256 KiB stack: about 2,000 ordinary Wasm frames. */
    static Object onSmallStack(Callable<Object> body) throws Throwable {
        AtomicReference<Object> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                result.set(body.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "small-stack", 256 << 10);
        t.start();
        t.join();
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }

    /** {@code spin} stops at the deadline and on an interrupt, and the instance is usable afterwards. */
    static void assertSpinStopsAtTheDeadlineAndOnInterrupt(Instance instance, Object spinArg) throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            long start = System.nanoTime();
            instance.setTimeout(Duration.ofMillis(100));
            Trap trap = assertThrows(Trap.class, () -> instance.function("spin").call(spinArg));
            assertEquals(TrapKind.TIMEOUT, trap.kind());
            assertTrue(System.nanoTime() - start >= 100_000_000L);
            instance.clearDeadline();
        });
        var running = CompletableFuture.supplyAsync(
                () -> assertThrows(Trap.class, () -> instance.function("spin").call(spinArg)));
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            while (!running.isDone()) {
                instance.interrupt();
                Thread.sleep(5);
            }
        });
        assertEquals(TrapKind.INTERRUPTED, running.get().kind());
        assertEquals(1, instance.function("even").call(1000L)[0], "usable after the trap");
    }

    /** {@code spin} runs out of fuel, and fuel is charged per entry: each link of an {@code even} chain costs the same. */
    static void assertSpinRunsOutOfFuel(Instance instance, Object spinArg) {
        instance.setFuel(1_000_000);
        assertEquals(TrapKind.OUT_OF_FUEL, assertThrows(Trap.class, () -> instance.function("spin").call(spinArg)).kind());
        long c1 = fuelFor(instance, 1000);
        long c2 = fuelFor(instance, 2000);
        long c3 = fuelFor(instance, 3000);
        assertTrue(c2 > c1);
        assertEquals(c2 - c1, c3 - c2, "each link of a chain costs the same");
    }

    private static long fuelFor(Instance instance, long n) {
        instance.setFuel(Long.MAX_VALUE);
        instance.function("even").call(n);
        return Long.MAX_VALUE - instance.fuelRemaining();
    }

    /**
     * {@code wat} compiled into the code cache {@code dir} and read back from it, and compiled with
     * every function in its own class (tail entries and bridges call across classes): in each,
     * {@code even} and another export of the same test ({@code cachedEven}, {@code splitEven}) run
     * chains about 1,000,000 long.
     */
    static void assertChainsRunFromTheCodeCacheAndSplit(Path dir, String wat, String cachedEven, String splitEven) {
        byte[] wasm = Wat.toBinary(wat);
        Engine.builder().codeCache(dir).build().compile(wasm);
        CompiledModule cached = Engine.builder().codeCache(dir).build().compile(wasm);
        assertTrue(cached.fromCodeCache());
        Instance fromCache = cached.instantiate(Imports.empty());
        assertEquals(1, fromCache.function("even").call(1_000_000L)[0]);
        assertEquals(0, fromCache.function(cachedEven).call(999_999L)[0]);
        Instance split = Engine.builder().classSizeLimit(1).build().compile(wasm).instantiate(Imports.empty());
        assertEquals(1, split.function("even").call(1_000_000L)[0]);
        assertEquals(0, split.function(splitEven).call(999_999L)[0]);
    }
}
