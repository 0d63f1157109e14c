package io.wasmudf.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Multi-memory, memory64 and table64 through the public API, on the plain engine and on one that
 * outlines every block with all checks on (the wide forms must work inside region methods too).
 * The spec suite (3.0: memory64*, memory-multi, *64.wast) is the outside oracle for the semantics;
 * these pin what the suite does not: exports, the byte[] size refusal, linking by address type.
 */
class MultiMemoryTest {
    static Stream<Engine> engines() {
        return Stream.of(Engine.create(),
                Engine.builder().interruptible(true).fuel(true).maxCallDepth(10_000).methodSizeLimit(0).build());
    }

    private static Instance instantiate(Engine engine, String wat) {
        return engine.compile(Wat.toBinary(wat)).instantiate(Imports.empty());
    }

    private static Object call(Instance instance, String name, Object... args) {
        return instance.function(name).call(args)[0];
    }

    private static final String TWO_MEMORIES = "(module\n"
            + " (memory $a (export \"a\") 1)\n"
            + " (memory $b (export \"b\") 1 3)\n"
            + " (data (memory $a) (i32.const 0) \"\\01\\02\\03\\04\")\n"
            + " (data (memory $b) (i32.const 8) \"\\aa\\bb\\cc\\dd\")\n"
            + " (func (export \"loadA\") (param i32) (result i32) (i32.load $a (local.get 0)))\n"
            + " (func (export \"loadB\") (param i32) (result i32) (i32.load $b offset=8 (local.get 0)))\n"
            + " (func (export \"storeB\") (param i32 i64) (i64.store $b (local.get 0) (local.get 1)))\n"
            + " (func (export \"copyAB\") (param i32 i32 i32) (memory.copy $b $a (local.get 0) (local.get 1) (local.get 2)))\n"
            + " (func (export \"fillB\") (param i32 i32 i32) (memory.fill $b (local.get 0) (local.get 1) (local.get 2)))\n"
            + " (func (export \"growB\") (param i32) (result i32) (memory.grow $b (local.get 0)))\n"
            + " (func (export \"sizeB\") (result i32) (memory.size $b))\n"
            + " (func (export \"sizeA\") (result i32) (memory.size $a)))";

    @ParameterizedTest
    @MethodSource("engines")
    void twoMemoriesKeepTheirOwnBytes(Engine engine) {
        Instance in = instantiate(engine, TWO_MEMORIES);
        Memory a = in.memory("a");
        Memory b = in.memory("b");
        assertNotSame(a, b);
        assertEquals(0x04030201, call(in, "loadA", 0));
        assertEquals(0xDDCCBBAA, call(in, "loadB", 0));
        assertEquals(0, call(in, "loadA", 8), "memory a has no segment at 8");
        in.function("storeB").call(16, 0x1122334455667788L);
        assertEquals(0x1122334455667788L, b.readLong(16));
        assertEquals(0, a.readLong(16));
        in.function("copyAB").call(100, 0, 4); // memory.copy $b $a: into b from a
        assertArrayEquals(new byte[] {1, 2, 3, 4}, b.read(100, 4));
        in.function("fillB").call(200, 0x7F, 3);
        assertArrayEquals(new byte[] {0x7F, 0x7F, 0x7F, 0}, b.read(200, 4));
        assertEquals(1, call(in, "growB", 2));
        assertEquals(3, call(in, "sizeB"));
        assertEquals(1, call(in, "sizeA"));
        assertEquals(-1, call(in, "growB", 1), "past memory b's maximum");
        // the bound is memory b's size, not a's
        Trap t = assertThrows(Trap.class, () -> call(in, "loadB", 3 * Memory.PAGE_SIZE - 8 - 3));
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, t.kind());
        assertEquals(0, call(in, "loadB", 3 * Memory.PAGE_SIZE - 8 - 4));
        Trap copy = assertThrows(Trap.class, () -> in.function("copyAB").call(0, Memory.PAGE_SIZE - 2, 4));
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, copy.kind());
        in.close();
        assertEquals(0, a.byteSize(), "close releases every memory the instance defined");
        assertEquals(0, b.byteSize());
    }

    private static final String MEMORY64 = "(module\n"
            + " (memory (export \"m\") i64 1 4)\n"
            + " (data (i64.const 65532) \"\\01\\02\\03\\04\")\n"
            + " (func (export \"load\") (param i64) (result i32) (i32.load (local.get 0)))\n"
            + " (func (export \"loadFar\") (param i64) (result i32) (i32.load offset=0x100000000 (local.get 0)))\n"
            + " (func (export \"loadMax\") (param i64) (result i32) (i32.load8_u offset=0xFFFFFFFFFFFFFFFF (local.get 0)))\n"
            + " (func (export \"store\") (param i64 i32) (i32.store16 offset=2 (local.get 0) (local.get 1)))\n"
            + " (func (export \"grow\") (param i64) (result i64) (memory.grow (local.get 0)))\n"
            + " (func (export \"size\") (result i64) (memory.size))\n"
            + " (func (export \"fill\") (param i64 i32 i64) (memory.fill (local.get 0) (local.get 1) (local.get 2))))";

    @ParameterizedTest
    @MethodSource("engines")
    void memory64AddressesAreCheckedExactly(Engine engine) {
        Instance in = instantiate(engine, MEMORY64);
        assertTrue(in.memory("m").is64());
        assertEquals(0x04030201, call(in, "load", 65532L));
        for (long bad : List.of(65533L, 65536L, 1L << 32, (1L << 32) + 65532, -1L, Long.MIN_VALUE)) {
            Trap t = assertThrows(Trap.class, () -> call(in, "load", bad), "address " + Long.toUnsignedString(bad));
            assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, t.kind());
        }
        // an offset past 2^32 and the largest u64 offset: no wraparound brings them back into bounds
        assertThrows(Trap.class, () -> call(in, "loadFar", 0L));
        assertThrows(Trap.class, () -> call(in, "loadFar", -(1L << 32)));
        assertThrows(Trap.class, () -> call(in, "loadMax", 1L));
        assertThrows(Trap.class, () -> call(in, "loadMax", 0L));
        in.function("store").call(10L, 0xBEEF);
        assertEquals((short) 0xBEEF, in.memory("m").readShort(12));
        assertEquals(1L, call(in, "size"));
        assertEquals(1L, call(in, "grow", 2L));
        assertEquals(3L, call(in, "size"));
        assertEquals(-1L, call(in, "grow", 2L), "past the maximum of 4");
        assertEquals(-1L, call(in, "grow", 1L << 40));
        assertEquals(-1L, call(in, "grow", -1L));
        in.function("fill").call(3L * Memory.PAGE_SIZE - 2, 9, 2L);
        assertThrows(Trap.class, () -> in.function("fill").call(3L * Memory.PAGE_SIZE - 2, 9, 3L));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void memory64LargerThanAByteArrayIsRefusedAtInstantiation(Engine engine) {
        // valid (up to 2^48 pages), compiles, but one byte[] holds at most 32,767 pages
        CompiledModule m = engine.compile(Wat.toBinary("(module (memory i64 40000) (func (export \"f\") (result i64) (memory.size)))"));
        ResourceLimitException e = assertThrows(ResourceLimitException.class, () -> m.instantiate(Imports.empty()));
        assertTrue(e.getMessage().contains("byte[]"), e.getMessage());
        // a large maximum is fine: growth just stops at the cap
        Instance in = instantiate(engine, "(module (memory i64 1 0x1000000000000) (func (export \"g\") (param i64) (result i64) "
                + "(memory.grow (local.get 0))))");
        assertEquals(-1L, call(in, "g", (long) Memory.MAX_PAGES));
        assertEquals(1L, call(in, "g", 1L));
    }

    @ParameterizedTest
    @MethodSource("engines")
    void memoriesLinkByAddressType(Engine engine) {
        Instance exporter = instantiate(engine, "(module (memory (export \"m64\") i64 1) (memory (export \"m32\") 1))");
        Imports imports = Imports.builder().addAll("x", exporter).build();
        CompiledModule wants32 = engine.compile(Wat.toBinary("(module (import \"x\" \"m64\" (memory 1)))"));
        LinkException e = assertThrows(LinkException.class, () -> wants32.instantiate(imports));
        assertTrue(e.getMessage().contains("incompatible import type"), e.getMessage());
        CompiledModule wants64 = engine.compile(Wat.toBinary("(module (import \"x\" \"m32\" (memory i64 1)))"));
        assertThrows(LinkException.class, () -> wants64.instantiate(imports));
        // imported memories beside an own one: writes land in the exporter's
        Instance importer = engine.compile(Wat.toBinary("(module (import \"x\" \"m64\" (memory $i i64 1))"
                + " (import \"x\" \"m32\" (memory $j 1)) (memory $own (export \"own\") 1)"
                + " (func (export \"put\") (param i64 i32) (i32.store8 $i (local.get 0) (local.get 1))"
                + "  (i32.store8 $j (i32.wrap_i64 (local.get 0)) (i32.add (local.get 1) (i32.const 1)))"
                + "  (i32.store8 $own (i32.wrap_i64 (local.get 0)) (i32.add (local.get 1) (i32.const 2)))))")).instantiate(imports);
        importer.function("put").call(5L, 42);
        assertEquals(42, exporter.memory("m64").readByte(5));
        assertEquals(43, exporter.memory("m32").readByte(5));
        assertEquals(44, importer.memory("own").readByte(5));
        importer.close();
        assertEquals(Memory.PAGE_SIZE, exporter.memory("m64").byteSize(), "close releases only the memories an instance defined");
    }

    @ParameterizedTest
    @MethodSource("engines")
    void table64IndexesAndIndirectCalls(Engine engine) {
        Instance in = instantiate(engine, "(module\n"
                + " (type $t (func (result i32)))\n"
                + " (table $tab i64 2 10 funcref)\n"
                + " (elem (table $tab) (i64.const 0) func $seven $eight)\n"
                + " (func $seven (result i32) (i32.const 7))\n"
                + " (func $eight (result i32) (i32.const 8))\n"
                + " (func (export \"call\") (param i64) (result i32) (call_indirect $tab (type $t) (local.get 0)))\n"
                + " (func (export \"size\") (result i64) (table.size $tab))\n"
                + " (func (export \"grow\") (param i64) (result i64) (table.grow $tab (ref.null func) (local.get 0)))\n"
                + " (func (export \"isNull\") (param i64) (result i32) (ref.is_null (table.get $tab (local.get 0)))))");
        assertEquals(7, call(in, "call", 0L));
        assertEquals(8, call(in, "call", 1L));
        Trap t = assertThrows(Trap.class, () -> call(in, "call", 1L << 32));
        assertEquals(TrapKind.UNDEFINED_ELEMENT, t.kind());
        assertEquals(2L, call(in, "size"));
        assertEquals(2L, call(in, "grow", 3L));
        assertEquals(-1L, call(in, "grow", 6L));
        assertEquals(-1L, call(in, "grow", 1L << 33));
        assertEquals(1, call(in, "isNull", 4L));
        Trap get = assertThrows(Trap.class, () -> call(in, "isNull", -1L));
        assertEquals(TrapKind.OUT_OF_BOUNDS_TABLE_ACCESS, get.kind());
    }
}
