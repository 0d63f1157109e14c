package io.wasmudf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code call_indirect} through the bridge's two paths: a defined function of the calling
 * instance is called directly, anything else (a host function, another instance's function in a
 * shared table, a function no element segment names) through its handle; and the traps before
 * either. JIT-compiled too, so C2's code for the switch is what runs.
 */
class IndirectCallTest {
    private static final FuncType I32_TO_I32 = new FuncType(List.of(ValType.I32), List.of(ValType.I32));

    /**
     * Table 0 (imported, shared): [0] = $inc, [1] = $dbl (own), [2] = host, [3] = null, [4] by
     * table.set ($unnamed, named by a declarative segment only), [5] by the host (an export no
     * segment names: not among the bridge's direct calls).
     */
    private static final String WAT = """
            (module
              (import "env" "tab" (table 6 funcref))
              (import "env" "host" (func $host (param i32) (result i32)))
              (global $bias (mut i32) (i32.const 0))
              (func $inc (param i32) (result i32) (i32.add (i32.add (local.get 0) (i32.const 1)) (global.get $bias)))
              (func $dbl (param i32) (result i32) (i32.add (i32.mul (local.get 0) (i32.const 2)) (global.get $bias)))
              (func $unnamed (param i32) (result i32) (i32.sub (local.get 0) (global.get $bias)))
              (func $other (param i64) (result i64) (local.get 0))
              (func (export "viaExport") (param i32) (result i32) (i32.add (local.get 0) (i32.const 5000)))
              (func (export "setBias") (param i32) (global.set $bias (local.get 0)))
              (func (export "install") (param i32)
                ;; a function named only by a declarative segment: through the handle
                (table.set 0 (local.get 0) (ref.func $unnamed)))
              (func (export "installOther") (param i32) (table.set 0 (local.get 0) (ref.func $other)))
              (func (export "call") (param i32 i32) (result i32)
                (call_indirect (param i32) (result i32) (local.get 1) (local.get 0)))
              (elem declare func $unnamed $other)
              (elem (i32.const 0) func $inc $dbl $host))
            """;

    private static int host(int x) {
        return x * 100;
    }

    @Test
    void ownFunctionsDirectlyOthersThroughTheirHandle() throws Exception {
        Table table = new Table(ValType.FUNCREF, 6, 6);
        WasmFunction host = WasmFunction.host(I32_TO_I32, MethodHandles.lookup().findStatic(IndirectCallTest.class, "host",
                MethodType.methodType(int.class, int.class)));
        Imports imports = Imports.builder().add("env", "tab", table).add("env", "host", host).build();
        CompiledModule module = Engine.create().compile(Wat.toBinary(WAT));
        Instance a = module.instantiate(imports);
        a.function("install").call(4);
        table.set(5, a.function("viaExport"));
        // a second instance of the same module writes its own $inc, $dbl into the shared table
        Instance b = module.instantiate(imports);
        a.function("setBias").call(1000);
        WasmFunction call = a.function("call");
        for (int round = 0; round < 20_000; round++) { // long enough for C2 to compile the bridge
            int x = round & 0xFF;
            // slots 0 and 1 now hold b's functions: b's bias (0), not a's
            assertEquals(x + 1, (int) call.call(0, x)[0]);
            assertEquals(2 * x, (int) call.call(1, x)[0]);
            assertEquals(100 * x, (int) call.call(2, x)[0]);
            assertEquals(x - 1000, (int) call.call(4, x)[0], "a's $unnamed, named by a declarative segment");
            assertEquals(x + 5000, (int) call.call(5, x)[0], "a's own function outside every segment");
        }
        // b calls its own functions directly, with its own bias
        b.function("setBias").call(7);
        assertEquals(11, (int) b.function("call").call(0, 3)[0]);
        assertEquals(13, (int) b.function("call").call(1, 3)[0]);
        assertEquals(300, (int) b.function("call").call(2, 3)[0]);
        assertEquals(3 - 1000, (int) b.function("call").call(4, 3)[0], "a's function in b's call: a's bias");
    }

    @Test
    void trapsBeforeEitherPath() throws Exception {
        Table table = new Table(ValType.FUNCREF, 6, 6);
        WasmFunction host = WasmFunction.host(I32_TO_I32, MethodHandles.lookup().findStatic(IndirectCallTest.class, "host",
                MethodType.methodType(int.class, int.class)));
        Imports imports = Imports.builder().add("env", "tab", table).add("env", "host", host).build();
        Instance a = Engine.create().compile(Wat.toBinary(WAT)).instantiate(imports);
        WasmFunction call = a.function("call");
        for (int round = 0; round < 5_000; round++) {
            call.call(0, round);
        }
        assertEquals(TrapKind.UNINITIALIZED_ELEMENT, assertThrows(Trap.class, () -> call.call(3, 1)).kind());
        assertEquals(TrapKind.UNDEFINED_ELEMENT, assertThrows(Trap.class, () -> call.call(6, 1)).kind());
        assertEquals(TrapKind.UNDEFINED_ELEMENT, assertThrows(Trap.class, () -> call.call(-1, 1)).kind());
        a.function("installOther").call(5);
        assertEquals(TrapKind.INDIRECT_CALL_TYPE_MISMATCH, assertThrows(Trap.class, () -> call.call(5, 1)).kind());
    }
}
