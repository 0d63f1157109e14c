package io.wasmudf.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * v128 through the engine API: arguments and results of exports, host functions taking and
 * returning v128, v128 globals, locals that start at zero, and values kept across outlined regions
 * and calls. Instruction semantics are the spec suites' business (SpecSuiteTest).
 */
class SimdApiTest {
    private static final FuncType V_TO_V = FuncType.of(List.of(ValType.V128), List.of(ValType.V128));

    /** A host function: adds 1 to each i32 lane, as a host written against the public V128 would. */
    static Object plusOne(Object v) {
        V128 x = (V128) v;
        long lo = (x.lo() + 1 & 0xFFFF_FFFFL) | (x.lo() + (1L << 32)) & 0xFFFF_FFFF_0000_0000L;
        long hi = (x.hi() + 1 & 0xFFFF_FFFFL) | (x.hi() + (1L << 32)) & 0xFFFF_FFFF_0000_0000L;
        return new V128(lo, hi);
    }

    private static Instance instance(Engine engine) throws Exception {
        String wat = "(module\n"
                + " (import \"host\" \"plus1\" (func $plus1 (param v128) (result v128)))\n"
                + " (global (export \"g\") (mut v128) (v128.const i32x4 7 8 9 10))\n"
                + " (memory (export \"mem\") 1)\n"
                + " (func (export \"mul\") (param v128 v128) (result v128) (i32x4.mul (local.get 0) (local.get 1)))\n"
                + " (func (export \"host\") (param v128) (result v128) (call $plus1 (call $plus1 (local.get 0))))\n"
                + " (func (export \"zero\") (result v128) (local v128) (local.get 0))\n"
                + " (func (export \"two\") (param v128) (result v128 i32)\n"
                + "   (local.get 0) (i32x4.extract_lane 3 (local.get 0)))\n"
                + " (func (export \"bump\") (global.set 0 (i32x4.add (global.get 0) (v128.const i32x4 1 1 1 1))))\n"
                // a loop summing 16-byte vectors of memory, with a v128 accumulator across iterations
                + " (func (export \"sum\") (param $n i32) (result i32) (local $acc v128) (local $i i32)\n"
                + "   (block $done (loop $l\n"
                + "     (br_if $done (i32.ge_u (local.get $i) (local.get $n)))\n"
                + "     (local.set $acc (i32x4.add (local.get $acc) (v128.load (i32.shl (local.get $i) (i32.const 4)))))\n"
                + "     (local.set $i (i32.add (local.get $i) (i32.const 1)))\n"
                + "     (br $l)))\n"
                + "   (i32.add (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))\n"
                + "            (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc))))))";
        MethodHandle plus1 = MethodHandles.lookup().findStatic(SimdApiTest.class, "plusOne",
                MethodType.methodType(Object.class, Object.class));
        Imports imports = Imports.builder().add("host", "plus1", WasmFunction.host(V_TO_V, plus1)).build();
        return engine.compile(Wat.toBinary(wat)).instantiate(imports);
    }

    private static V128 i32x4(int a, int b, int c, int d) {
        return new V128((a & 0xFFFF_FFFFL) | (long) b << 32, (c & 0xFFFF_FFFFL) | (long) d << 32);
    }

    private static void checkAll(Engine engine) throws Exception {
        Instance inst = instance(engine);
        assertEquals(i32x4(5, -12, 21, 0), inst.function("mul").call(i32x4(1, 2, 3, 4), i32x4(5, -6, 7, 0))[0]);
        assertEquals(i32x4(3, 4, 5, -1 + 2), inst.function("host").call(i32x4(1, 2, 3, -1))[0]);
        assertEquals(V128.ZERO, inst.function("zero").call()[0]);
        assertArrayEquals(new Object[] {i32x4(1, 2, 3, 44), 44}, inst.function("two").call(i32x4(1, 2, 3, 44)));
        assertEquals(i32x4(7, 8, 9, 10), inst.global("g").value());
        inst.function("bump").call();
        assertEquals(i32x4(8, 9, 10, 11), inst.global("g").value());
        byte[] mem = inst.memory("mem").buffer();
        for (int i = 0; i < 64; i++) {
            mem[4 * i] = (byte) i; // 16 vectors of i32 lanes 0..63
        }
        assertEquals(63 * 64 / 2, inst.function("sum").call(16)[0]);
        Trap t = assertThrows(Trap.class, () -> inst.function("sum").call(4097));
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, t.kind());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> inst.function("mul").call(null, V128.ZERO));
        assertEquals("argument 0 is a v128 and must be a V128, not null", e.getMessage());
    }

    @Test
    void vectorsThroughExportsHostFunctionsGlobalsAndLocals() throws Exception {
        checkAll(Engine.create());
    }

    @Test
    void sameOnTheCheckedEngineWithEveryBlockOutlined() throws Exception {
        checkAll(Engine.builder().interruptible(true).fuel(true).maxCallDepth(Engine.UNTRUSTED_MAX_CALL_DEPTH)
                .methodSizeLimit(0).classSizeLimit(1).build());
    }

    @Test
    void bytesRoundTripLittleEndian() {
        byte[] b = new byte[16];
        for (int i = 0; i < 16; i++) {
            b[i] = (byte) (i * 17);
        }
        V128 v = V128.ofBytes(b);
        assertEquals(0x7766_5544_3322_1100L, v.lo());
        assertEquals(0xFFEE_DDCC_BBAA_9988L, v.hi());
        assertArrayEquals(b, v.toBytes());
        assertEquals(0x3322_1100, v.i32(0));
        assertEquals(0xFFEE_DDCC, v.i32(3));
        assertThrows(IllegalArgumentException.class, () -> V128.ofBytes(new byte[15]));
    }
}
