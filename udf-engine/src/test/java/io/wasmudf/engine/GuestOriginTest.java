package io.wasmudf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wasmudf.engine.internal.runtime.Mem;
import io.wasmudf.engine.internal.runtime.Ops;
import org.junit.jupiter.api.Test;

/**
 * Only exceptions raised by guest code or by the runtime helpers acting for it become traps; the
 * same exception types raised anywhere else in the engine are reported as engine bugs.
 */
class GuestOriginTest {

    @Test
    void memoryHelperOutOfBoundsIsAGuestTrap() {
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> Mem.i32Load(100, new byte[16], 16, 0));
        Trap t = assertInstanceOf(Trap.class, WasmFunction.translateGuest(e));
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, t.kind());
        // inside the array but past the memory's size (spare room after a grow): the size check's exception
        e = assertThrows(IndexOutOfBoundsException.class, () -> Mem.i32Load(6, new byte[16], 8, 0));
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, assertInstanceOf(Trap.class, WasmFunction.translateGuest(e)).kind());
    }

    @Test
    void arithmeticHelperIsAGuestTrap() {
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> Ops.i32DivS(1, 0));
        assertEquals(TrapKind.INTEGER_DIVIDE_BY_ZERO, assertInstanceOf(Trap.class, WasmFunction.translateGuest(e)).kind());
    }

    @Test
    void generatedCodeFrameIsAGuestTrap() {
        ArrayIndexOutOfBoundsException e = new ArrayIndexOutOfBoundsException(7);
        e.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("io.wasmudf.gen.WasmModule12_p3", "f5", null, -1),
            new StackTraceElement("io.wasmudf.engine.Instance", "call", null, 1),
        });
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, assertInstanceOf(Trap.class, WasmFunction.translateGuest(e)).kind());
    }

    @Test
    void aTraceDroppedByTheJitCountsAsTheGuests() {
        ArithmeticException e = new ArithmeticException("/ by zero");
        e.setStackTrace(new StackTraceElement[0]);
        assertEquals(TrapKind.INTEGER_DIVIDE_BY_ZERO, assertInstanceOf(Trap.class, WasmFunction.translateGuest(e)).kind());
    }

    @Test
    void engineCodeFailuresAreEngineBugsNotTraps() {
        // raised here, i.e. by code that is neither generated nor a guest helper
        IndexOutOfBoundsException ioobe = assertThrows(IndexOutOfBoundsException.class, () -> java.util.List.of().get(0));
        EngineBugException bug = assertInstanceOf(EngineBugException.class, WasmFunction.translateGuest(ioobe));
        assertSame(ioobe, bug.getCause());
        ArithmeticException div = assertThrows(ArithmeticException.class, () -> Math.floorDiv(1, zero()));
        assertInstanceOf(EngineBugException.class, WasmFunction.translateGuest(div));
        NullPointerException npe = new NullPointerException("x");
        assertInstanceOf(EngineBugException.class, WasmFunction.translateGuest(npe));
    }

    @Test
    void trapsAndErrorsPassThrough() {
        Trap trap = new Trap(TrapKind.UNREACHABLE);
        assertSame(trap, WasmFunction.translateGuest(trap));
        OutOfMemoryError oom = new OutOfMemoryError();
        assertSame(oom, WasmFunction.translateGuest(oom));
        assertEquals(TrapKind.CALL_STACK_EXHAUSTED, ((Trap) WasmFunction.translateGuest(new StackOverflowError())).kind());
    }

    private static int zero() {
        return 0;
    }
}
