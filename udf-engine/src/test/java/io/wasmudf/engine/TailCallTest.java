package io.wasmudf.engine;

import static io.wasmudf.engine.TailCalls.assertChainsRunFromTheCodeCacheAndSplit;
import static io.wasmudf.engine.TailCalls.assertSpinRunsOutOfFuel;
import static io.wasmudf.engine.TailCalls.assertSpinStopsAtTheDeadlineAndOnInterrupt;
import static io.wasmudf.engine.TailCalls.instantiate;
import static io.wasmudf.engine.TailCalls.onSmallStack;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tail calls ({@code return_call}, {@code return_call_indirect}): unbounded tail recursion runs in
 * constant JVM stack (checked on a thread with a small stack, where the same recursion without tail
 * calls overflows), every value type crosses a tail call, outlined regions tail-call too, and
 * tail-call loops obey the deadline, interrupts, fuel and the call-depth limit.
 */
class TailCallTest {
    /** Mutual recursion even/odd through return_call and return_call_indirect, and a plain-call version. */
    private static final String EVEN_ODD = """
            (module
              (type $t (func (param i64) (result i32)))
              (table funcref (elem $even_i $odd_i))
              (func $even (export "even") (param $n i64) (result i32)
                (if (result i32) (i64.eqz (local.get $n)) (then (i32.const 1))
                  (else (return_call $odd (i64.sub (local.get $n) (i64.const 1))))))
              (func $odd (export "odd") (param $n i64) (result i32)
                (if (result i32) (i64.eqz (local.get $n)) (then (i32.const 0))
                  (else (return_call $even (i64.sub (local.get $n) (i64.const 1))))))
              (func $even_i (export "even_indirect") (param $n i64) (result i32)
                (if (result i32) (i64.eqz (local.get $n)) (then (i32.const 1))
                  (else (return_call_indirect (type $t) (i64.sub (local.get $n) (i64.const 1)) (i32.const 1)))))
              (func $odd_i (param $n i64) (result i32)
                (if (result i32) (i64.eqz (local.get $n)) (then (i32.const 0))
                  (else (return_call_indirect (type $t) (i64.sub (local.get $n) (i64.const 1)) (i32.const 0)))))
              (func $even_plain (export "even_plain") (param $n i64) (result i32)
                (if (result i32) (i64.eqz (local.get $n)) (then (i32.const 1))
                  (else (call $odd_plain (i64.sub (local.get $n) (i64.const 1))))))
              (func $odd_plain (param $n i64) (result i32)
                (if (result i32) (i64.eqz (local.get $n)) (then (i32.const 0))
                  (else (call $even_plain (i64.sub (local.get $n) (i64.const 1))))))
              (func (export "spin") (param $n i32) (result i32)
                (return_call $spin (local.get $n)))
              (func $spin (param $n i32) (result i32)
                (return_call $spin (i32.add (local.get $n) (i32.const 1)))))
            """;

    @Test
    void tenMillionDeepMutualTailRecursionRunsInConstantStack() throws Throwable {
        Instance instance = instantiate(Engine.create(), EVEN_ODD);
        WasmFunction even = instance.function("even");
        WasmFunction odd = instance.function("odd");
        long start = System.nanoTime();
        assertEquals(1, onSmallStack(() -> even.call(10_000_000L)[0]));
        long direct = System.nanoTime() - start;
        assertEquals(0, onSmallStack(() -> odd.call(10_000_000L)[0]));
        assertEquals(0, onSmallStack(() -> even.call(9_999_999L)[0]));
        start = System.nanoTime();
        assertEquals(1, onSmallStack(() -> instance.function("even_indirect").call(10_000_000L)[0]));
        long indirect = System.nanoTime() - start;
        System.out.printf("10M-deep mutual tail recursion: return_call %d ms, return_call_indirect %d ms%n",
                direct / 1_000_000, indirect / 1_000_000);
        // the same recursion with ordinary calls does overflow this stack: the test can fail
        Trap trap = assertThrows(Trap.class, () -> onSmallStack(() -> instance.function("even_plain").call(1_000_000L)[0]));
        assertEquals(TrapKind.CALL_STACK_EXHAUSTED, trap.kind());
    }

    @Test
    void everyValueTypeCrossesATailCall() {
        // plain, and with every block outlined and all checks compiled in
        everyValueTypeCrossesATailCall(Engine.create());
        everyValueTypeCrossesATailCall(Engine.builder().methodSizeLimit(0).untrusted().fuel(true).build());
    }

    private static void everyValueTypeCrossesATailCall(Engine engine) {
        String wat = """
                (module
                  (func $mix (param i32 i64 f32 f64 externref funcref) (result f64 i64 externref f32 i32 funcref)
                    (local.get 3) (local.get 1) (local.get 4) (local.get 2) (local.get 0) (local.get 5))
                  (func (export "mix") (param i32 i64 f32 f64 externref) (result f64 i64 externref f32 i32 funcref)
                    (return_call $mix (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (ref.null func)))
                  (func $f (param f32) (result f32) (f32.mul (local.get 0) (f32.const 2)))
                  (func (export "f") (param f32) (result f32) (return_call $f (local.get 0)))
                  (func $d (param f64 f64) (result f64) (f64.sub (local.get 0) (local.get 1)))
                  (func (export "d") (param f64) (result f64) (return_call $d (local.get 0) (f64.const 0.5)))
                  (func $v (param i32) (global.set $g (local.get 0)))
                  (global $g (export "g") (mut i32) (i32.const 0))
                  (func (export "v") (param i32) (return_call $v (local.get 0)))
                  (func (export "nested") (param i32) (result f64 i64 externref f32 i32 funcref)
                    (block (result i32)
                      (drop (br_if 0 (i32.const 7) (local.get 0)))
                      (return_call $mix (i32.const 1) (i64.const 2) (f32.const 3) (f64.const 4) (ref.null extern) (ref.null func)))
                    (drop)
                    (f64.const 5) (i64.const 6) (ref.null extern) (f32.const 7) (i32.const 8) (ref.null func)))
                """;
        Instance instance = instantiate(engine, wat);
        Object ref = new Object();
        Object[] r = instance.function("mix").call(-7, Long.MIN_VALUE + 3, -0.0f, Double.longBitsToDouble(0x7FF0_0000_0000_0001L), ref);
        assertEquals(0x7FF0_0000_0000_0001L, Double.doubleToRawLongBits((Double) r[0]), "NaN bits survive");
        assertEquals(Long.MIN_VALUE + 3, r[1]);
        assertTrue(r[2] == ref);
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits((Float) r[3]));
        assertEquals(-7, r[4]);
        assertEquals(null, r[5]);
        assertArrayEquals(new Object[] {3.0f}, instance.function("f").call(1.5f));
        assertArrayEquals(new Object[] {2.0}, instance.function("d").call(2.5));
        assertArrayEquals(new Object[] {4.0, 2L, null, 3.0f, 1, null}, instance.function("nested").call(0));
        assertArrayEquals(new Object[] {5.0, 6L, null, 7.0f, 8, null}, instance.function("nested").call(1));
        instance.function("v").call(42);
        assertEquals(42, instance.global("g").value());
    }

    @Test
    void tailCallsInOutlinedRegionsAndToHostFunctions() throws Throwable {
        String wat = """
                (module
                  (import "env" "twice" (func $twice (param i64) (result i64)))
                  (func $count (export "count") (param $n i64) (param $acc i64) (result i64)
                    (block $out
                      (loop $l
                        (block $b
                          (br_if $out (i64.eqz (local.get $n)))
                          (return_call $count (i64.sub (local.get $n) (i64.const 1))
                                              (i64.add (local.get $acc) (local.get $n))))))
                    (return_call $twice (local.get $acc))))
                """;
        var twice = MethodHandles.lookup().findStatic(TailCallTest.class, "twice", MethodType.methodType(long.class, long.class));
        Imports imports = Imports.builder()
                .add("env", "twice", WasmFunction.host(new FuncType(List.of(ValType.I64), List.of(ValType.I64)), twice))
                .build();
        for (Engine engine : List.of(Engine.create(), Engine.builder().methodSizeLimit(0).untrusted().fuel(true).build())) {
            Instance instance = engine.compile(Wat.toBinary(wat)).instantiate(imports);
            long n = 1_000_000;
            assertEquals(n * (n + 1), onSmallStack(() -> instance.function("count").call(n, 0L)[0]));
        }
    }

    static long twice(long x) {
        return 2 * x;
    }

    @Test
    void tailCallLoopsStopAtTheDeadlineAndOnInterrupt() throws Exception {
        assertSpinStopsAtTheDeadlineAndOnInterrupt(instantiate(Engine.builder().untrusted().build(), EVEN_ODD), 0);
    }

    @Test
    void tailCallLoopsRunOutOfFuel() {
        assertSpinRunsOutOfFuel(instantiate(Engine.builder().fuel(true).build(), EVEN_ODD), 0);
    }

    @Test
    void tailCallsDoNotUseUpTheCallDepthLimit() {
        Instance instance = instantiate(Engine.builder().maxCallDepth(1000).build(), EVEN_ODD);
        assertEquals(1, instance.function("even").call(1_000_000L)[0]);
        assertEquals(1, instance.function("even_indirect").call(1_000_000L)[0]);
        // ordinary calls of the same depth exceed it
        Trap trap = assertThrows(Trap.class, () -> instance.function("even_plain").call(1_000_000L));
        assertEquals(TrapKind.CALL_STACK_EXHAUSTED, trap.kind());
    }

    @Test
    void tailCallsWorkFromTheCodeCacheAndInSplitModules(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        assertChainsRunFromTheCodeCacheAndSplit(dir, EVEN_ODD, "even_indirect", "even_indirect");
    }

    @Test
    void aTailCallWithResultsOtherThanTheCallersIsInvalid() {
        String wat = "(module (func $f (result i64) (i64.const 1)) (func (result i32) (return_call $f)))";
        InvalidModuleException e = assertThrows(InvalidModuleException.class, () -> Engine.create().compile(Wat.toBinary(wat)));
        assertEquals("type mismatch", e.reason());
    }
}
