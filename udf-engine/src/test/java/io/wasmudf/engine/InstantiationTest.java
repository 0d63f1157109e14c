package io.wasmudf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Instantiation from the per-module template (issue 21): data segments applied as pre-merged runs
 * give what applying them one by one gives, an imported memory keeps its bytes between segments,
 * segments that may not fit still trap in order, and lazily bound function instances behave as
 * eager ones did (identity, indirect calls, start function traps).
 */
class InstantiationTest {
    private static Instance instantiate(String wat, Imports imports) {
        return Engine.create().compile(Wat.toBinary(wat)).instantiate(imports);
    }

    private static final String SEGMENTS = "(data (i32.const 0) \"abcd\") (data (i32.const 2) \"XY\") (data (i32.const 100) \"z\")"
            + " (data (i32.const 6000) \"far\") (data \"passive\")"
            + " (func (export \"init\") (param i32 i32 i32 i32) (memory.init 0 (local.get 0) (local.get 1) (local.get 2))"
            + "   (drop (local.get 3)))"
            + " (func (export \"initPassive\") (param i32) (memory.init 4 (local.get 0) (i32.const 0) (i32.const 7)))";

    @Test
    void overlappingSegmentsInOrderAndGapsZeroInAFreshMemory() {
        Instance i = instantiate("(module (memory (export \"m\") 1) " + SEGMENTS + ")", Imports.empty());
        Memory m = i.memory("m");
        assertEquals("abXY", new String(m.read(0, 4)));
        assertEquals(0, m.readByte(4));
        assertEquals('z', m.readByte(100));
        assertEquals("far", new String(m.read(6000, 3)));
        for (int a = 101; a < 6000; a += 97) {
            assertEquals(0, m.readByte(a), "gap byte " + a);
        }
    }

    @Test
    void anImportedMemoryKeepsItsBytesBetweenSegments() {
        Memory m = Memory.create(1, -1);
        m.write(0, new byte[8000], 0, 8000);
        byte[] ff = new byte[8000];
        java.util.Arrays.fill(ff, (byte) 0xFF);
        m.write(0, ff, 0, ff.length);
        instantiate("(module (import \"env\" \"m\" (memory 1)) " + SEGMENTS + ")", Imports.builder().add("env", "m", m).build());
        assertEquals("abXY", new String(m.read(0, 4)));
        assertEquals((byte) 0xFF, m.readByte(4));
        assertEquals((byte) 0xFF, m.readByte(99));
        assertEquals('z', m.readByte(100));
        assertEquals((byte) 0xFF, m.readByte(101));
        assertEquals((byte) 0xFF, m.readByte(5999));
        assertEquals("far", new String(m.read(6000, 3)));
    }

    @Test
    void activeSegmentsAreDroppedPassiveOnesKept() throws Throwable {
        Instance i = instantiate("(module (memory (export \"m\") 1) " + SEGMENTS + ")", Imports.empty());
        // an applied active segment is dropped: memory.init of it with n > 0 traps, with n = 0 does not
        Trap t = assertThrows(Trap.class, () -> i.function("init").call(10, 0, 1, 0));
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, t.kind());
        i.function("init").call(10, 0, 0, 0);
        i.function("initPassive").call(200);
        assertEquals("passive", new String(i.memory("m").read(200, 7)));
    }

    @Test
    void aSegmentBeyondTheDeclaredMinimumFitsALargerImportedMemory() {
        // the template cannot prove the segment fits (declared minimum 1 page), the memory has 2
        Memory m = Memory.create(2, -1);
        instantiate("(module (import \"env\" \"m\" (memory 1)) (data (i32.const 70000) \"late\") (data (i32.const 1) \"early\"))",
                Imports.builder().add("env", "m", m).build());
        assertEquals("late", new String(m.read(70000, 4)));
        assertEquals("early", new String(m.read(1, 5)));
    }

    @Test
    void aSegmentOutOfBoundsTrapsAfterTheEarlierOnesWereWritten() {
        Memory m = Memory.create(1, -1);
        Trap t = assertThrows(Trap.class, () -> instantiate(
                "(module (import \"env\" \"m\" (memory 1)) (data (i32.const 5) \"first\") (data (i32.const 65535) \"xx\")"
                        + " (data (i32.const 20) \"never\"))", Imports.builder().add("env", "m", m).build()));
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, t.kind());
        assertEquals("first", new String(m.read(5, 5)));
        assertEquals(0, m.readByte(20));
    }

    @Test
    void tableElementsAreTheInstancesFunctionsCalledIndirectly() throws Throwable {
        Instance i = instantiate("(module (type $t (func (result i32)))"
                + " (table (export \"t\") 4 funcref) (elem (i32.const 0) func $a $b $a) (elem (i32.const 3) funcref (ref.null func))"
                + " (func $a (export \"a\") (result i32) (i32.const 7)) (func $b (result i32) (i32.const 9))"
                + " (func (export \"call\") (param i32) (result i32) (call_indirect (type $t) (local.get 0))))", Imports.empty());
        Table t = i.table("t");
        assertSame(i.export("a"), t.get(0));
        assertSame(t.get(0), t.get(2));
        assertNull(t.get(3));
        assertEquals(7, (int) i.function("call").handle().invokeExact(0));
        assertEquals(9, (int) i.function("call").handle().invokeExact(1));
        assertEquals(9, ((WasmFunction) t.get(1)).call()[0]);
        Trap trap = assertThrows(Trap.class, () -> i.function("call").call(3));
        assertEquals(TrapKind.UNINITIALIZED_ELEMENT, trap.kind());
        // another instance of the same module has its own function instances
        Instance j = instantiate("(module (table (export \"t\") 1 funcref) (elem (i32.const 0) $f) (func $f (export \"f\")))", Imports.empty());
        Instance k = Engine.create().compile(Wat.toBinary("(module (table (export \"t\") 1 funcref) (elem (i32.const 0) $f) (func $f (export \"f\")))"))
                .instantiate();
        assertSame(j.export("f"), j.table("t").get(0));
        assertEquals(List.of(), List.of(k.function("f").call()));
    }

    private static final java.util.concurrent.atomic.AtomicInteger STARTS = new java.util.concurrent.atomic.AtomicInteger();

    private static void started() {
        STARTS.incrementAndGet();
    }

    private static WasmFunction startHost() {
        try {
            return WasmFunction.host(FuncType.of(List.of(), List.of()), java.lang.invoke.MethodHandles.lookup().findStatic(
                    InstantiationTest.class, "started", java.lang.invoke.MethodType.methodType(void.class)));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aTrappingStartFunctionFailsInstantiation() {
        Trap t = assertThrows(Trap.class, () -> instantiate("(module (func $s unreachable) (start $s))", Imports.empty()));
        assertEquals(TrapKind.UNREACHABLE, t.kind());
        Trap d = assertThrows(Trap.class, () -> instantiate(
                "(module (func $s (drop (i32.div_s (i32.const 1) (i32.const 0)))) (start $s))", Imports.empty()));
        assertEquals(TrapKind.INTEGER_DIVIDE_BY_ZERO, d.kind());
        // an imported start function runs, through its host handle
        STARTS.set(0);
        instantiate("(module (import \"env\" \"s\" (func $s)) (start $s))", Imports.builder().add("env", "s", startHost()).build());
        assertEquals(1, STARTS.get());
    }
}
