package io.wasmudf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;

/**
 * Typed function references and GC (3.0) through the public API: values are JVM objects the
 * JVM's collector reclaims, GC allocations are charged against the instance's memory limit, and
 * the traps are the spec's. (The spec suite covers the instructions one by one: SpecSuiteTest.)
 */
class GcTest {
    private static final String WAT = """
            (module
              (type $point (struct (field $x (mut i32)) (field $y f64) (field $next (mut (ref null $point)))))
              (type $bytes (array (mut i8)))
              (type $fn (func (param i32) (result i32)))
              (func $double (type $fn) (i32.mul (local.get 0) (i32.const 2)))
              (elem declare func $double)
              (func (export "point") (param i32 f64) (result anyref)
                (struct.new $point (local.get 0) (local.get 1) (ref.null $point)))
              (func (export "sum_chain") (param $n i32) (result f64)
                (local $p (ref null $point)) (local $acc f64)
                (block $done
                  (loop $build
                    (br_if $done (i32.eqz (local.get $n)))
                    (local.set $p (struct.new $point (local.get $n) (f64.convert_i32_s (local.get $n)) (local.get $p)))
                    (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                    (br $build)))
                (block $end
                  (loop $walk
                    (br_if $end (ref.is_null (local.get $p)))
                    (local.set $acc (f64.add (local.get $acc) (struct.get $point $y (local.get $p))))
                    (local.set $p (struct.get $point $next (ref.as_non_null (local.get $p))))
                    (br $walk)))
                (local.get $acc))
              (func (export "bytes") (param $len i32) (result i32)
                (local $a (ref $bytes))
                (local.set $a (array.new $bytes (i32.const 255) (local.get $len)))
                (array.get_s $bytes (local.get $a) (i32.sub (local.get $len) (i32.const 1))))
              (func (export "call_double") (param i32) (result i32)
                (call_ref $fn (local.get 0) (ref.func $double)))
              (func (export "call_null") (param i32) (result i32)
                (call_ref $fn (local.get 0) (ref.null $fn)))
              (func (export "cast_i31") (param anyref) (result i32)
                (i31.get_s (ref.cast (ref i31) (local.get 0))))
              (func (export "i31_get") (param i31ref) (result i32) (i31.get_u (local.get 0)))
              (func (export "is_null") (param anyref) (result i32)
                (block $null (br_on_null $null (local.get 0)) (drop) (return (i32.const 0)))
                (i32.const 1))
              (func (export "i31") (param i32) (result anyref) (ref.i31 (local.get 0)))
              (func $forever (type $fn) (call_ref $fn (local.get 0) (ref.func $forever)))
              (elem declare func $forever)
              (func (export "recurse") (param i32) (result i32) (call_ref $fn (local.get 0) (ref.func $forever))))
            """;

    private static final byte[] BINARY = Wat.toBinary(WAT);

    private static Instance instance(Engine engine) {
        return engine.compile(BINARY).instantiate(Imports.empty());
    }

    private static Object call(Instance instance, String name, Object... args) {
        return instance.function(name).call(args)[0];
    }

    @Test
    void structsArraysAndFunctionReferencesRun() {
        Instance in = instance(Engine.builder().build());
        assertEquals(5050.0, call(in, "sum_chain", 100));
        assertEquals(-1, call(in, "bytes", 1000)); // 255 stored in an i8, read sign-extended
        assertEquals(42, call(in, "call_double", 21));
        assertEquals("struct", GcRefs.kind(call(in, "point", 1, 2.0)));
        assertEquals(-5, call(in, "cast_i31", call(in, "i31", -5)));
        assertEquals(1, call(in, "is_null", (Object) null));
        assertEquals(0, call(in, "is_null", call(in, "i31", 3)));
    }

    @Test
    void trapsAreTheSpecs() {
        Instance in = instance(Engine.builder().build());
        assertEquals(TrapKind.NULL_FUNCTION_REFERENCE, assertThrows(Trap.class, () -> call(in, "call_null", 1)).kind());
        Object struct = call(in, "point", 1, 2.0);
        assertEquals(TrapKind.CAST_FAILURE, assertThrows(Trap.class, () -> call(in, "cast_i31", struct)).kind());
        // a cast of null to a non-nullable type fails; i31.get of null is the null-reference trap
        assertEquals(TrapKind.CAST_FAILURE, assertThrows(Trap.class, () -> call(in, "cast_i31", (Object) null)).kind());
        assertEquals(TrapKind.NULL_I31_REFERENCE, assertThrows(Trap.class, () -> call(in, "i31_get", (Object) null)).kind());
        // unbounded recursion through call_ref is stopped by the call-depth limit, as through call
        assertEquals(TrapKind.CALL_STACK_EXHAUSTED, assertThrows(Trap.class, () -> call(in, "recurse", 1)).kind());
        // the instance stays usable after its traps
        assertEquals(42, call(in, "call_double", 21));
    }

    @Test
    void anUnknownTypeInAConstantExpressionIsInvalidNotAnEngineBug() {
        // found by GcFuzzCampaignTest: ref.null of a type index past the type section reached the
        // subtyping check unchecked (IndexOutOfBoundsException, reported as an engine bug)
        byte[] wasm = {0, 'a', 's', 'm', 1, 0, 0, 0,
            4, 6, 1, 0x40, 0, 0x70, 0, 1,           // table section: one table [1..] with an initialiser...
            (byte) 0xD0, 0x31, 0x0B};                 // ...whose (ref.null 49) names no type
        wasm[9] = (byte) (wasm.length - 10);
        InvalidModuleException e = assertThrows(InvalidModuleException.class, () -> Engine.builder().build().compile(wasm));
        assertEquals("unknown type 49", e.reason());
    }

    @Test
    void gcAllocationsCountAgainstTheMemoryLimit() {
        // 4 pages (256 KiB): one 100,000-element array fits, 50 of them in turn do not
        Instance in = instance(Engine.builder().maxMemoryPages(4).build());
        assertEquals(-1, call(in, "bytes", 10_000));
        Trap t = assertThrows(Trap.class, () -> {
            for (int i = 0; i < 50; i++) {
                call(in, "bytes", 10_000);
            }
        });
        assertEquals(TrapKind.GC_MEMORY_EXHAUSTED, t.kind());
        // one huge array at once is refused before anything is allocated
        Instance fresh = instance(Engine.builder().maxMemoryPages(4).build());
        assertEquals(TrapKind.GC_MEMORY_EXHAUSTED, assertThrows(Trap.class, () -> call(fresh, "bytes", 1_000_000)).kind());
        // a call that allocates nothing still runs
        assertEquals(42, call(fresh, "call_double", 21));
        // a larger limit admits the same work
        Instance roomy = instance(Engine.builder().maxMemoryPages(1024).build());
        for (int i = 0; i < 50; i++) {
            assertEquals(-1, call(roomy, "bytes", 10_000));
        }
    }

    @Test
    void gcValuesAreCollectedByTheJvm() throws InterruptedException {
        Instance in = instance(Engine.builder().build());
        WeakReference<Object> ref = new WeakReference<>(call(in, "point", 7, 1.5));
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(ref.get(), "a struct no one references is garbage for the JVM");
        assertTrue(in.function("point").call(1, 1.0)[0] != null);
    }
}
