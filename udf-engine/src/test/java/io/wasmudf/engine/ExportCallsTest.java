package io.wasmudf.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WasmFunction#call} through the instance class's generated {@code callExport} switch
 * (internal.compile.ExportCalls): the numeric exports it covers give what their method handles give
 * — values, NaN bits, traps, the call-depth boundary —, the ones it does not cover (several
 * results, references, imports re-exported) and arguments not boxed exactly still take the handle.
 */
class ExportCallsTest {
    private static final String WAT = """
            (module
              (import "env" "twice" (func $twice (param i32) (result i32)))
              (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
              (func (export "mix") (param i64 f32 f64 i32) (result f64)
                local.get 0 f64.convert_i64_s local.get 1 f64.promote_f32 f64.add
                local.get 2 f64.mul local.get 3 f64.convert_i32_u f64.sub)
              (func (export "f32bits") (param f32) (result i32) local.get 0 i32.reinterpret_f32)
              (func (export "f32id") (param f32) (result f32) local.get 0)
              (func (export "wide") (param i64) (result i64) local.get 0 i64.const 1 i64.add)
              (global $g (mut i32) (i32.const 0))
              (func (export "bump") global.get $g i32.const 1 i32.add global.set $g)
              (func (export "get") (result i32) global.get $g)
              (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
              (func $deep (export "deep") (param i32) (result i32)
                local.get 0 i32.eqz if (result i32) i32.const 0
                else local.get 0 i32.const 1 i32.sub call $deep i32.const 1 i32.add end)
              (func (export "two") (param i32) (result i32 i32) local.get 0 local.get 0 i32.const 1 i32.add)
              (func (export "ref") (param externref) (result i32) local.get 0 ref.is_null)
              (export "alias" (func 1))
              (export "twice" (func $twice)))
            """;

    private static Instance instance(Engine engine) {
        CompiledModule m = engine.compile(Wat.toBinary(WAT));
        FuncType t = FuncType.of(java.util.List.of(ValType.I32), java.util.List.of(ValType.I32));
        WasmFunction twice = WasmFunction.host(t, java.lang.invoke.MethodHandles.identity(int.class));
        return m.instantiate(Imports.builder().add("env", "twice", twice).build());
    }

    @Test
    void coversNumericExportsOnly() {
        CompiledModule m = Engine.create().compile(Wat.toBinary(WAT));
        // function 0 is the import; 1 add … 9 deep, 10 two, 11 ref
        for (int f = 1; f <= 9; f++) {
            assertTrue(m.coversExportCall(f), "function " + f);
        }
        assertFalse(m.coversExportCall(0), "an import");
        assertFalse(m.coversExportCall(10), "two results");
        assertFalse(m.coversExportCall(11), "a reference parameter");
    }

    @Test
    void givesWhatTheHandleGives() throws Throwable {
        Instance i = instance(Engine.create());
        assertArrayEquals(new Object[] {7}, i.function("add").call(3, 4));
        assertArrayEquals(new Object[] {7}, i.function("alias").call(3, 4));
        assertEquals(Integer.MIN_VALUE, i.function("add").call(Integer.MAX_VALUE, 1)[0]);
        Object[] args = {-5L, 1.5f, 2.25, -1};
        double viaHandle = (double) i.function("mix").handle().invoke(-5L, 1.5f, 2.25, -1);
        assertEquals(viaHandle, (double) i.function("mix").call(args)[0]);
        assertEquals((-5.0 + 1.5) * 2.25 - 4294967295.0, (double) i.function("mix").call(args)[0]);
        // a signalling NaN's payload survives the boxing both ways
        float nan = Float.intBitsToFloat(0x7fa00001);
        assertEquals(0x7fa00001, i.function("f32bits").call(nan)[0]);
        assertEquals(0x7fa00001, Float.floatToRawIntBits((float) i.function("f32id").call(nan)[0]));
        assertEquals(Long.MIN_VALUE, i.function("wide").call(Long.MAX_VALUE)[0]);
        assertArrayEquals(new Object[0], i.function("bump").call());
        i.function("bump").call();
        assertEquals(2, i.function("get").call()[0]);
        assertEquals(5, i.function("twice").call(5)[0], "an import re-exported: the host's handle");
        assertArrayEquals(new Object[] {4, 5}, i.function("two").call(4));
        assertEquals(1, i.function("ref").call((Object) null)[0]);
    }

    @Test
    void argumentsNotBoxedExactlyKeepTheHandlesConversions() {
        Instance i = instance(Engine.create());
        // invoke widens an Integer to the i64 parameter; the switch would not, so the handle answers
        assertEquals(6L, i.function("wide").call(5)[0]);
        assertEquals(3, i.function("add").call((short) 1, (byte) 2)[0]);
        assertThrows(RuntimeException.class, () -> i.function("add").call(1L, 2));
        assertThrows(RuntimeException.class, () -> i.function("add").call(null, 2));
    }

    @Test
    void trapsAndTheCallDepthBoundary() {
        Instance i = instance(Engine.builder().maxCallDepth(200).build());
        Trap t = assertThrows(Trap.class, () -> i.function("div").call(1, 0));
        assertEquals(TrapKind.INTEGER_DIVIDE_BY_ZERO, t.kind());
        assertEquals(50, i.function("deep").call(50)[0]);
        Trap deep = assertThrows(Trap.class, () -> i.function("deep").call(1_000_000));
        assertEquals(TrapKind.CALL_STACK_EXHAUSTED, deep.kind());
        // the boundary gave the budget back: the same depth still fits, again and again
        for (int k = 0; k < 3; k++) {
            assertEquals(50, i.function("deep").call(50)[0]);
        }
    }

    @Test
    void fromTheCodeCacheToo(@TempDir Path dir) throws Exception {
        Engine.builder().codeCache(dir).build().compile(Wat.toBinary(WAT));
        assertTrue(Files.list(dir).findAny().isPresent());
        CompiledModule again = Engine.builder().codeCache(dir).build().compile(Wat.toBinary(WAT));
        assertTrue(again.fromCodeCache());
        assertTrue(again.coversExportCall(1));
        assertEquals(9, again.instantiate(Imports.builder().add("env", "twice", WasmFunction.host(
                FuncType.of(java.util.List.of(ValType.I32), java.util.List.of(ValType.I32)),
                java.lang.invoke.MethodHandles.identity(int.class))).build()).function("add").call(4, 5)[0]);
    }
}
