package io.wasmudf.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * v128 struct fields and array elements (3.0 GC with SIMD): each GC instruction on a v128 field or
 * element, the zero-vector defaults, 16 bytes a vector from data segments, 16 bytes charged each.
 * (A v128 crossed the JVM stack as a {@code V128} object while the fields were handled as longs:
 * the JVM rejected the generated code with a VerifyError.)
 */
class GcSimdTest {
    private static final String WAT = """
            (module
              (type $s (struct (field (mut v128))))
              (type $mixed (struct (field i32) (field (mut v128)) (field (mut anyref)) (field f64) (field (mut v128))))
              (type $vs (array (mut v128)))
              (type $longs (array (mut i64)))
              (data $d "\\01\\00\\00\\00\\02\\00\\00\\00\\03\\00\\00\\00\\04\\00\\00\\00"
                       "\\05\\00\\00\\00\\06\\00\\00\\00\\07\\00\\00\\00\\08\\00\\00\\00"
                       "\\09\\00\\00\\00\\0a\\00\\00\\00\\0b\\00\\00\\00\\0c\\00\\00\\00")
              (global $g (ref $s) (struct.new $s (v128.const i32x4 7 8 9 10)))
              (global $ga (ref $vs) (array.new_fixed $vs 2 (v128.const i64x2 -1 5) (v128.const i32x4 1 2 3 4)))
              (func (export "repro") (result i32) (local $r (ref $s))
                (local.set $r (struct.new $s (v128.const i32x4 1 2 3 4)))
                (struct.set $s 0 (local.get $r) (i32x4.add (struct.get $s 0 (local.get $r)) (v128.const i32x4 10 20 30 40)))
                (i32x4.extract_lane 2 (struct.get $s 0 (local.get $r))))
              (func (export "struct_default") (result v128)
                (struct.get $s 0 (struct.new_default $s)))
              (func (export "struct_default_zero") (result i32)
                (v128.any_true (struct.get $s 0 (struct.new_default $s))))
              (func (export "mixed") (param i32 f64) (result v128) (local $m (ref $mixed))
                (local.set $m (struct.new $mixed (local.get 0) (v128.const i32x4 1 1 1 1) (ref.i31 (i32.const 9))
                                                 (local.get 1) (v128.const i32x4 2 2 2 2)))
                (struct.set $mixed 4 (local.get $m)
                  (i32x4.add (struct.get $mixed 1 (local.get $m)) (i32x4.splat (struct.get $mixed 0 (local.get $m)))))
                (struct.set $mixed 1 (local.get $m) (f64x2.splat (struct.get $mixed 3 (local.get $m))))
                (i32x4.replace_lane 3
                  (i32x4.add (struct.get $mixed 4 (local.get $m))
                             (i32x4.splat (i31.get_s (ref.cast (ref i31) (struct.get $mixed 2 (local.get $m))))))
                  (i32x4.extract_lane 1 (struct.get $mixed 1 (local.get $m)))))
              (func (export "global_field") (result i32)
                (i32x4.extract_lane 3 (struct.get $s 0 (global.get $g))))
              (func (export "global_array") (param i32) (result v128)
                (array.get $vs (global.get $ga) (local.get 0)))
              (func (export "array_new") (param $n i32) (param $i i32) (result v128)
                (array.get $vs (array.new $vs (v128.const i32x4 5 6 7 8) (local.get $n)) (local.get $i)))
              (func (export "array_default") (param $i i32) (result v128)
                (array.get $vs (array.new_default $vs (i32.const 4)) (local.get $i)))
              (func (export "array_fixed_set") (result v128) (local $a (ref $vs))
                (local.set $a (array.new_fixed $vs 3 (v128.const i32x4 1 0 0 0) (v128.const i32x4 0 2 0 0) (v128.const i32x4 0 0 3 0)))
                (array.set $vs (local.get $a) (i32.const 1)
                  (i32x4.mul (array.get $vs (local.get $a) (i32.const 1)) (v128.const i32x4 9 9 9 9)))
                (v128.or (v128.or (array.get $vs (local.get $a) (i32.const 0)) (array.get $vs (local.get $a) (i32.const 1)))
                         (array.get $vs (local.get $a) (i32.const 2))))
              (func (export "array_fill") (param $i i32) (result v128) (local $a (ref $vs))
                (local.set $a (array.new_default $vs (i32.const 5)))
                (array.fill $vs (local.get $a) (i32.const 1) (v128.const i64x2 11 -12) (i32.const 3))
                (array.get $vs (local.get $a) (local.get $i)))
              (func (export "array_copy") (param $i i32) (result v128) (local $a (ref $vs)) (local $b (ref $vs))
                (local.set $a (array.new_fixed $vs 3 (v128.const i32x4 1 1 1 1) (v128.const i32x4 2 2 2 2) (v128.const i32x4 3 3 3 3)))
                (local.set $b (array.new_default $vs (i32.const 4)))
                (array.copy $vs $vs (local.get $b) (i32.const 1) (local.get $a) (i32.const 0) (i32.const 3))
                (array.copy $vs $vs (local.get $b) (i32.const 0) (local.get $b) (i32.const 2) (i32.const 1))
                (array.get $vs (local.get $b) (local.get $i)))
              (func (export "array_len") (param $n i32) (result i32)
                (array.len (array.new_default $vs (local.get $n))))
              (func (export "new_data") (param $off i32) (param $n i32) (param $i i32) (result v128)
                (array.get $vs (array.new_data $vs $d (local.get $off) (local.get $n)) (local.get $i)))
              (func (export "init_data") (param $d i32) (param $s i32) (param $n i32) (param $i i32) (result v128)
                (local $a (ref $vs))
                (local.set $a (array.new_default $vs (i32.const 3)))
                (array.init_data $vs $d (local.get $a) (local.get $d) (local.get $s) (local.get $n))
                (array.get $vs (local.get $a) (local.get $i)))
              (func (export "vectors") (param $n i32) (result i32)
                (array.len (array.new_default $vs (local.get $n))))
              (func (export "longs") (param $n i32) (result i32)
                (array.len (array.new_default $longs (local.get $n))))
              (func (export "through_locals") (param $v v128) (result v128) (local $t v128) (local $r (ref $s))
                (local.set $r (struct.new $s (local.get $v)))
                (local.set $t (struct.get $s 0 (local.get $r)))
                (struct.set $s 0 (local.get $r) (i8x16.add (local.get $t) (local.get $t)))
                (local.set $t (struct.get $s 0 (local.get $r)))
                (i64x2.add (local.get $t) (local.get $v)))
              (func (export "null_get") (result v128)
                (struct.get $s 0 (ref.null $s))))
            """;

    private static final byte[] BINARY = Wat.toBinary(WAT);

    private static Instance instance(Engine engine) {
        return engine.compile(BINARY).instantiate(Imports.empty());
    }

    private static Object call(Instance instance, String name, Object... args) {
        return instance.function(name).call(args)[0];
    }

    private static V128 i32x4(int a, int b, int c, int d) {
        return new V128(Integer.toUnsignedLong(a) | (long) b << 32, Integer.toUnsignedLong(c) | (long) d << 32);
    }

    @Test
    void reproducerCompilesAndAddsTheVectors() {
        assertEquals(33, call(instance(Engine.builder().build()), "repro"));
    }

    @Test
    void structFields() {
        Instance in = instance(Engine.builder().build());
        assertEquals(V128.ZERO, call(in, "struct_default"));
        assertEquals(0, call(in, "struct_default_zero"));
        // field 4 = 1 + 5 per lane, plus the i31 9; lane 3 = lane 1 of f64x2.splat(2.5) (high word of 2.5's bits)
        int high = (int) (Double.doubleToRawLongBits(2.5) >>> 32);
        assertEquals(i32x4(15, 15, 15, high), call(in, "mixed", 5, 2.5));
        assertEquals(10, call(in, "global_field"));
        assertEquals(new V128(-1, 5), call(in, "global_array", 0));
        assertEquals(i32x4(1, 2, 3, 4), call(in, "global_array", 1));
        // v128 params and locals (held as two longs in declared locals) in and out of a field: 3v per byte lane
        assertEquals(i32x4(0x03030303, 0x06060606, 0x09090909, 0x0C0C0C0C), call(in, "through_locals", i32x4(0x01010101, 0x02020202, 0x03030303, 0x04040404)));
        assertEquals(TrapKind.NULL_STRUCTURE_REFERENCE, assertThrows(Trap.class, () -> call(in, "null_get")).kind());
    }

    @Test
    void arrayElements() {
        Instance in = instance(Engine.builder().build());
        assertEquals(i32x4(5, 6, 7, 8), call(in, "array_new", 3, 2));
        assertEquals(TrapKind.OUT_OF_BOUNDS_ARRAY_ACCESS, assertThrows(Trap.class, () -> call(in, "array_new", 3, 3)).kind());
        for (int i = 0; i < 4; i++) {
            assertEquals(V128.ZERO, call(in, "array_default", i));
        }
        assertEquals(i32x4(1, 18, 3, 0), call(in, "array_fixed_set"));
        assertEquals(V128.ZERO, call(in, "array_fill", 0));
        assertEquals(new V128(11, -12), call(in, "array_fill", 1));
        assertEquals(new V128(11, -12), call(in, "array_fill", 3));
        assertEquals(V128.ZERO, call(in, "array_fill", 4));
        // b = [0, v1, v2, v3], then b[0] = b[2]
        assertEquals(i32x4(2, 2, 2, 2), call(in, "array_copy", 0));
        assertEquals(i32x4(1, 1, 1, 1), call(in, "array_copy", 1));
        assertEquals(i32x4(3, 3, 3, 3), call(in, "array_copy", 3));
        assertEquals(7, call(in, "array_len", 7));
    }

    @Test
    void dataSegmentsGiveSixteenBytesAnElement() {
        Instance in = instance(Engine.builder().build());
        assertEquals(i32x4(1, 2, 3, 4), call(in, "new_data", 0, 3, 0));
        assertEquals(i32x4(9, 10, 11, 12), call(in, "new_data", 0, 3, 2));
        // from byte 4: the vector straddles two groups of four
        assertEquals(i32x4(6, 7, 8, 9), call(in, "new_data", 4, 2, 1));
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS,
                assertThrows(Trap.class, () -> call(in, "new_data", 4, 3, 0)).kind());
        assertEquals(i32x4(5, 6, 7, 8), call(in, "init_data", 1, 16, 2, 1));
        assertEquals(i32x4(9, 10, 11, 12), call(in, "init_data", 1, 16, 2, 2));
        assertEquals(V128.ZERO, call(in, "init_data", 1, 16, 2, 0));
        assertEquals(TrapKind.OUT_OF_BOUNDS_ARRAY_ACCESS,
                assertThrows(Trap.class, () -> call(in, "init_data", 2, 0, 2, 0)).kind());
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS,
                assertThrows(Trap.class, () -> call(in, "init_data", 0, 20, 2, 0)).kind());
        assertArrayEquals(new byte[] {5, 0, 0, 0, 6, 0, 0, 0, 7, 0, 0, 0, 8, 0, 0, 0},
                ((V128) call(in, "new_data", 16, 1, 0)).toBytes());
    }

    @Test
    void vectorElementsAreChargedSixteenBytes() {
        // 4 pages = 262,144 bytes: 12,000 vectors (192,032 bytes) fit, 12,000 i64s twice over;
        // 20,000 i64s (160,032 bytes) fit but 20,000 vectors (320,032 bytes) do not
        assertEquals(12_000, call(instance(Engine.builder().maxMemoryPages(4).build()), "vectors", 12_000));
        assertEquals(20_000, call(instance(Engine.builder().maxMemoryPages(4).build()), "longs", 20_000));
        Instance in = instance(Engine.builder().maxMemoryPages(4).build());
        assertEquals(TrapKind.GC_MEMORY_EXHAUSTED, assertThrows(Trap.class, () -> call(in, "vectors", 20_000)).kind());
    }
}
