package io.wasmudf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Extended constant expressions (Wasm 3.0): i32/i64 add, sub and mul and reads of earlier
 * immutable globals in global initializers, data and element offsets, also feeding a GC allocation.
 */
class ExtendedConstTest {
    private static Instance instantiate(String wat) {
        return Engine.create().compile(Wat.toBinary(wat)).instantiate(Imports.empty());
    }

    @Test
    void globalsOffsetsAndAllocationsUseArithmetic() {
        Instance instance = instantiate("""
                (module
                  (global $base i32 (i32.const 100))
                  (global $off (export "off") i32 (i32.sub (i32.mul (global.get $base) (i32.const 3)) (i32.const 7)))
                  (global $big (export "big") i64 (i64.mul (i64.const 0x100000000) (i64.add (i64.const 1) (i64.const 2))))
                  (memory (export "mem") 1)
                  (data (i32.add (global.get $off) (i32.const 1)) "\\2a")
                  (table 10 funcref)
                  (elem (i32.sub (i32.const 9) (i32.const 4)) $f)
                  (func $f (result i32) (i32.const 77))
                  (type $s (struct (field i32)))
                  (global $obj (ref $s) (struct.new $s (i32.add (global.get $base) (i32.const 5))))
                  (func (export "at") (param i32) (result i32) (call_indirect (result i32) (local.get 0)))
                  (func (export "field") (result i32) (struct.get $s 0 (global.get $obj))))
                """);
        assertEquals(293, instance.global("off").value());
        assertEquals(3L << 32, instance.global("big").value());
        assertEquals(42, instance.memory("mem").buffer()[294]);
        assertEquals(77, instance.function("at").call(5)[0]);
        assertEquals(105, instance.function("field").call()[0]);
    }

    @Test
    void arithmeticIsTypedAndGlobalsMustBeEarlierAndImmutable() {
        InvalidModuleException e = assertThrows(InvalidModuleException.class, () -> Engine.create().compile(
                Wat.toBinary("(module (global i32 (i32.add (i32.const 1) (i64.const 2))))")));
        assertEquals("type mismatch", e.reason());
        e = assertThrows(InvalidModuleException.class, () -> Engine.create().compile(
                Wat.toBinary("(module (global i32 (global.get 1)) (global i32 (i32.const 0)))")));
        assertEquals("unknown global 1", e.reason());
        e = assertThrows(InvalidModuleException.class, () -> Engine.create().compile(
                Wat.toBinary("(module (global (mut i32) (i32.const 0)) (global i32 (global.get 0)))")));
        assertEquals("constant expression required", e.reason());
        e = assertThrows(InvalidModuleException.class, () -> Engine.create().compile(
                Wat.toBinary("(module (global i32 (i32.div_s (i32.const 1) (i32.const 1))))")));
        assertEquals("constant expression required", e.reason());
    }
}
