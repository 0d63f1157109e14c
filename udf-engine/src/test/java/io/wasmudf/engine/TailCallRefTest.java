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
 * {@code return_call_ref} on the tail-call trampoline: unbounded tail recursion through function
 * references runs in constant JVM stack (on a thread with a 256 KiB stack, where the same
 * recursion through {@code call_ref} overflows), every value type crosses, null traps, references
 * to host functions and to other instances work, and the chains obey the deadline, interrupts,
 * fuel and the call-depth limit.
 */
class TailCallRefTest {
    /** Mutual recursion even/odd through return_call_ref (references from globals, a table, and one passed along as a parameter), and a call_ref version. */
    private static final String EVEN_ODD = """
            (module
              (type $t (func (param i64) (result i32)))
              (type $k (func (param i64 (ref null $k)) (result i32)))
              (global $even (ref $t) (ref.func $even))
              (global $odd (ref $t) (ref.func $odd))
              (table $tab 2 (ref null $t))
              (elem (table $tab) (i32.const 0) (ref null $t) (ref.func $even_t) (ref.func $odd_t))
              (elem declare func $spin $even_k $odd_k)
              (func $even (export "even") (param $n i64) (result i32)
                (if (result i32) (i64.eqz (local.get $n)) (then (i32.const 1))
                  (else (return_call_ref $t (i64.sub (local.get $n) (i64.const 1)) (global.get $odd)))))
              (func $odd (export "odd") (param $n i64) (result i32)
                (if (result i32) (i64.eqz (local.get $n)) (then (i32.const 0))
                  (else (return_call_ref $t (i64.sub (local.get $n) (i64.const 1)) (global.get $even)))))
              (func $even_t (export "even_table") (param $n i64) (result i32)
                (if (result i32) (i64.eqz (local.get $n)) (then (i32.const 1))
                  (else (return_call_ref $t (i64.sub (local.get $n) (i64.const 1)) (table.get $tab (i32.const 1))))))
              (func $odd_t (param $n i64) (result i32)
                (if (result i32) (i64.eqz (local.get $n)) (then (i32.const 0))
                  (else (return_call_ref $t (i64.sub (local.get $n) (i64.const 1)) (table.get $tab (i32.const 0))))))
              (func $even_k (param $n i64) (param $other (ref null $k)) (result i32)
                (if (result i32) (i64.eqz (local.get $n)) (then (i32.const 1))
                  (else (return_call_ref $k (i64.sub (local.get $n) (i64.const 1)) (ref.func $even_k) (local.get $other)))))
              (func $odd_k (param $n i64) (param $other (ref null $k)) (result i32)
                (if (result i32) (i64.eqz (local.get $n)) (then (i32.const 0))
                  (else (return_call_ref $k (i64.sub (local.get $n) (i64.const 1)) (ref.func $odd_k) (local.get $other)))))
              (func (export "even_k") (param $n i64) (result i32)
                (return_call_ref $k (local.get $n) (ref.func $odd_k) (ref.func $even_k)))
              (func $even_plain (export "even_plain") (param $n i64) (result i32)
                (if (result i32) (i64.eqz (local.get $n)) (then (i32.const 1))
                  (else (call_ref $t (i64.sub (local.get $n) (i64.const 1)) (global.get $odd_plain)))))
              (func $odd_plain (param $n i64) (result i32)
                (if (result i32) (i64.eqz (local.get $n)) (then (i32.const 0))
                  (else (call_ref $t (i64.sub (local.get $n) (i64.const 1)) (global.get $even_plain_ref)))))
              (global $odd_plain (ref $t) (ref.func $odd_plain))
              (global $even_plain_ref (ref $t) (ref.func $even_plain))
              (func $spin (export "spin") (param $n i64) (result i32)
                (return_call_ref $t (i64.add (local.get $n) (i64.const 1)) (ref.func $spin)))
              (func (export "null") (param $n i64) (result i32)
                (return_call_ref $t (local.get $n) (ref.null $t))))
            """;

    @Test
    void tenMillionDeepMutualTailRecursionThroughReferencesRunsInConstantStack() throws Throwable {
        Instance instance = instantiate(Engine.create(), EVEN_ODD);
        long start = System.nanoTime();
        assertEquals(1, onSmallStack(() -> instance.function("even").call(10_000_000L)[0]));
        long globals = System.nanoTime() - start;
        assertEquals(0, onSmallStack(() -> instance.function("odd").call(10_000_000L)[0]));
        assertEquals(0, onSmallStack(() -> instance.function("even").call(9_999_999L)[0]));
        assertEquals(1, onSmallStack(() -> instance.function("even_table").call(10_000_000L)[0]));
        assertEquals(0, onSmallStack(() -> instance.function("even_k").call(9_999_999L)[0]));
        System.out.printf("10M-deep mutual tail recursion: return_call_ref %d ms%n", globals / 1_000_000);
        // the same recursion through call_ref does overflow this stack: the test can fail
        Trap trap = assertThrows(Trap.class, () -> onSmallStack(() -> instance.function("even_plain").call(1_000_000L)[0]));
        assertEquals(TrapKind.CALL_STACK_EXHAUSTED, trap.kind());
    }

    /** return_call_indirect of a 3.0 type (a subtype-able one, checked by subtyping): it shares return_call_ref's bridge. */
    @Test
    void tailCallsThroughATableWithA30TypeRunInConstantStack() throws Throwable {
        String wat = """
                (module
                  (type $t (sub (func (param i64) (result i32))))
                  (type $u (sub $t (func (param i64) (result i32))))
                  (table funcref (elem $even $odd))
                  (func $even (export "even") (type $u) (param $n i64) (result i32)
                    (if (result i32) (i64.eqz (local.get $n)) (then (i32.const 1))
                      (else (return_call_indirect (type $t) (i64.sub (local.get $n) (i64.const 1)) (i32.const 1)))))
                  (func $odd (type $t) (param $n i64) (result i32)
                    (if (result i32) (i64.eqz (local.get $n)) (then (i32.const 0))
                      (else (return_call_indirect (type $u) (i64.sub (local.get $n) (i64.const 1)) (i32.const 0)))))
                  (func (export "mismatch") (result i32)
                    (return_call_indirect (type $u) (i64.const 1) (i32.const 1)))
                  (func (export "missing") (result i32)
                    (return_call_indirect (type $t) (i64.const 1) (i32.const 2))))
                """;
        for (Engine engine : List.of(Engine.create(), Engine.builder().classSizeLimit(1).build())) {
            Instance instance = instantiate(engine, wat);
            assertEquals(1, onSmallStack(() -> instance.function("even").call(10_000_000L)[0]));
            assertEquals(0, onSmallStack(() -> instance.function("even").call(9_999_999L)[0]));
            // $odd has type $t, not a subtype of $u: the subtype check still traps
            assertEquals(TrapKind.INDIRECT_CALL_TYPE_MISMATCH, assertThrows(Trap.class, () -> instance.function("mismatch").call()).kind());
            assertEquals(TrapKind.UNDEFINED_ELEMENT, assertThrows(Trap.class, () -> instance.function("missing").call()).kind());
        }
    }

    @Test
    void aNullReferenceTraps() {
        Instance instance = instantiate(Engine.create(), EVEN_ODD);
        Trap trap = assertThrows(Trap.class, () -> instance.function("null").call(5L));
        assertEquals(TrapKind.NULL_FUNCTION_REFERENCE, trap.kind());
        assertEquals(1, instance.function("even").call(10L)[0], "usable after the trap");
    }

    @Test
    void everyValueTypeCrossesATailCallThroughAReference() {
        // plain, with every block outlined and all checks compiled in, and every function in its own class
        everyValueTypeCrosses(Engine.create());
        everyValueTypeCrosses(Engine.builder().methodSizeLimit(0).untrusted().fuel(true).build());
        everyValueTypeCrosses(Engine.builder().classSizeLimit(1).build());
    }

    private static void everyValueTypeCrosses(Engine engine) {
        String wat = """
                (module
                  (type $mix_t (func (param i32 i64 f32 f64 externref funcref v128) (result f64 v128 i64 externref f32 i32 funcref)))
                  (type $v_t (func (param i32)))
                  (type $f_t (func (param f32) (result f32)))
                  (elem declare func $mix $v $f)
                  (func $mix (param i32 i64 f32 f64 externref funcref v128) (result f64 v128 i64 externref f32 i32 funcref)
                    (local.get 3) (local.get 6) (local.get 1) (local.get 4) (local.get 2) (local.get 0) (local.get 5))
                  (func (export "mix") (param i32 i64 f32 f64 externref) (result f64 v128 i64 externref f32 i32 funcref)
                    (return_call_ref $mix_t (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (ref.func $f)
                      (v128.const i64x2 0x0102030405060708 -1) (ref.func $mix)))
                  (func $f (param f32) (result f32) (f32.mul (local.get 0) (f32.const 2)))
                  (func (export "f") (param f32) (result f32) (return_call_ref $f_t (local.get 0) (ref.func $f)))
                  (func $v (param i32) (global.set $g (local.get 0)))
                  (global $g (export "g") (mut i32) (i32.const 0))
                  (func (export "v") (param i32) (return_call_ref $v_t (local.get 0) (ref.func $v)))
                  (func $vec (param v128 i32) (result i32 v128) (local.get 1) (local.get 0))
                  (func (export "vec") (param i32) (result i32 v128)
                    (return_call $vec (v128.const i32x4 1 2 3 4) (local.get 0)))
                  (func (export "nested") (param i32) (result f32)
                    (block (result i32)
                      (drop (br_if 0 (i32.const 7) (local.get 0)))
                      (return_call_ref $f_t (f32.const 3) (ref.func $f)))
                    (drop)
                    (f32.const 5)))
                """;
        Instance instance = instantiate(engine, wat);
        Object ref = new Object();
        Object[] r = instance.function("mix").call(-7, Long.MIN_VALUE + 3, -0.0f, Double.longBitsToDouble(0x7FF0_0000_0000_0001L), ref);
        assertEquals(0x7FF0_0000_0000_0001L, Double.doubleToRawLongBits((Double) r[0]), "NaN bits survive");
        assertEquals(new V128(0x0102030405060708L, -1L), r[1]);
        assertEquals(Long.MIN_VALUE + 3, r[2]);
        assertTrue(r[3] == ref);
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits((Float) r[4]));
        assertEquals(-7, r[5]);
        assertEquals(6.0f, ((WasmFunction) r[6]).call(3.0f)[0], "the funcref argument arrives callable");
        assertArrayEquals(new Object[] {3.0f}, instance.function("f").call(1.5f));
        // v128 crosses a plain return_call too (it was stored as a long: the JVM refused the class)
        assertArrayEquals(new Object[] {9, new V128(0x0000_0002_0000_0001L, 0x0000_0004_0000_0003L)}, instance.function("vec").call(9));
        assertArrayEquals(new Object[] {6.0f}, instance.function("nested").call(0));
        assertArrayEquals(new Object[] {5.0f}, instance.function("nested").call(1));
        instance.function("v").call(42);
        assertEquals(42, instance.global("g").value());
    }

    @Test
    void referencesToHostFunctionsAndOtherInstances() throws Throwable {
        var twice = MethodHandles.lookup().findStatic(TailCallRefTest.class, "twice", MethodType.methodType(long.class, long.class));
        FuncType i64ToI64 = new FuncType(List.of(ValType.I64), List.of(ValType.I64));
        // the other instance counts down by return_call_ref itself: its own trampoline, one hop from ours
        Instance other = instantiate(Engine.create(), """
                (module
                  (type $t (func (param i64) (result i64)))
                  (elem declare func $down)
                  (func $down (export "down") (param $n i64) (result i64)
                    (if (result i64) (i64.eqz (local.get $n)) (then (i64.const 21))
                      (else (return_call_ref $t (i64.sub (local.get $n) (i64.const 1)) (ref.func $down))))))
                """);
        Imports imports = Imports.builder()
                .add("env", "twice", WasmFunction.host(i64ToI64, twice))
                .add("env", "down", other.function("down"))
                .build();
        String wat = """
                (module
                  (type $t (func (param i64) (result i64)))
                  (import "env" "twice" (func $twice (type $t)))
                  (import "env" "down" (func $down (type $t)))
                  (elem declare func $twice $down $count)
                  (func $count (export "count") (param $n i64) (result i64)
                    (if (result i64) (i64.eqz (local.get $n))
                      (then (return_call_ref $t (i64.const 1000000) (ref.func $down)))
                      (else (return_call_ref $t (i64.sub (local.get $n) (i64.const 1)) (ref.func $count)))))
                  (func (export "host") (param i64) (result i64)
                    (return_call_ref $t (local.get 0) (ref.func $twice))))
                """;
        for (Engine engine : List.of(Engine.create(), Engine.builder().methodSizeLimit(0).untrusted().fuel(true).build())) {
            Instance instance = engine.compile(Wat.toBinary(wat)).instantiate(imports);
            assertEquals(42L, instance.function("host").call(21L)[0]);
            assertEquals(21L, onSmallStack(() -> instance.function("count").call(1_000_000L)[0]));
        }
    }

    static long twice(long x) {
        return 2 * x;
    }

    @Test
    void tailCallLoopsThroughReferencesStopAtTheDeadlineAndOnInterrupt() throws Exception {
        assertSpinStopsAtTheDeadlineAndOnInterrupt(instantiate(Engine.builder().untrusted().build(), EVEN_ODD), 0L);
    }

    @Test
    void tailCallLoopsThroughReferencesRunOutOfFuel() {
        assertSpinRunsOutOfFuel(instantiate(Engine.builder().fuel(true).build(), EVEN_ODD), 0L);
    }

    @Test
    void tailCallsThroughReferencesDoNotUseUpTheCallDepthLimit() {
        Instance instance = instantiate(Engine.builder().maxCallDepth(1000).build(), EVEN_ODD);
        assertEquals(1, instance.function("even").call(1_000_000L)[0]);
        assertEquals(1, instance.function("even_table").call(1_000_000L)[0]);
        Trap trap = assertThrows(Trap.class, () -> instance.function("even_plain").call(1_000_000L));
        assertEquals(TrapKind.CALL_STACK_EXHAUSTED, trap.kind());
    }

    @Test
    void tailCallsThroughReferencesWorkFromTheCodeCacheAndInSplitModules(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        assertChainsRunFromTheCodeCacheAndSplit(dir, EVEN_ODD, "even_table", "even_k");
    }

    @Test
    void validationFollowsTheSpec() {
        // results that do not match the caller's, a reference of another type, a non-function reference
        for (String body : List.of(
                "(type $t (func (result i64))) (elem declare func $f) (func $f (result i64) (i64.const 1)) (func (result i32) (return_call_ref $t (ref.func $f)))",
                "(type $t (func)) (func (param funcref) (return_call_ref $t (local.get 0)))",
                "(type $t (func)) (func (param externref) (return_call_ref $t (local.get 0)))")) {
            InvalidModuleException e = assertThrows(InvalidModuleException.class, () -> Engine.create().compile(Wat.toBinary("(module " + body + ")")));
            assertEquals("type mismatch", e.reason(), body);
        }
        // 2.0 has no return_call_ref: illegal opcode
        byte[] wasm = Wat.toBinary("(module (type $t (func)) (elem declare func $f) (func $f (return_call_ref $t (ref.func $f))))");
        MalformedModuleException m = assertThrows(MalformedModuleException.class,
                () -> Engine.builder().features(WasmFeatures.V2_0).build().compile(wasm));
        assertEquals("illegal opcode", m.reason());
    }
}
