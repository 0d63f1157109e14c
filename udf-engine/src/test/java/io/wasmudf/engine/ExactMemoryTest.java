package io.wasmudf.engine;

import static io.wasmudf.engine.GuestCalls.call;
import static io.wasmudf.engine.GuestCalls.trapsOutOfBounds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A module whose code never grows its own memory keeps that memory's array exactly its size, and
 * its accesses are checked against the array's length: growth from the host or from another
 * module importing the memory must keep that exact, and every access must still be out of bounds
 * exactly at the memory's size.
 */
class ExactMemoryTest {
    private static final int PAGE = Memory.PAGE_SIZE;

    /** No memory.grow: the exact form. */
    private static final String NO_GROW = """
            (module
              (memory (export "mem") 1)
              (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
              (func (export "load16") (param i32) (result i32) (i32.load16_u (local.get 0)))
              (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
              (func (export "load64") (param i32) (result i64) (i64.load (local.get 0)))
              (func (export "load_off") (param i32) (result i32) (i32.load offset=65536 (local.get 0)))
              (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
              (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
              (func (export "store64") (param i32 i64) (i64.store (local.get 0) (local.get 1)))
              (func (export "size") (result i32) (memory.size)))
            """;

    /** Imports a memory and grows it. */
    private static final String GROWER = """
            (module
              (import "x" "mem" (memory 0))
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
              (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
              (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1))))
            """;

    /** Has memory.grow: its own memory keeps spare room after growing. */
    private static final String GROWS_OWN = """
            (module
              (memory (export "mem") 1)
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
            """;

    /** Imports a memory and never grows it: not its own memory, so not the exact form. */
    private static final String IMPORTER = """
            (module
              (import "x" "mem" (memory 0))
              (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
              (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1))))
            """;

    private static Instance instance(Engine engine, String wat, Imports imports) {
        return engine.compile(Wat.toBinary(wat.getBytes(StandardCharsets.UTF_8))).instantiate(imports);
    }

    /** Every access form at the last addresses inside {@code size} and the first ones past it. */
    private static void boundsAt(Instance in, int size) {
        call(in, "store8", size - 1, 0x7F);
        assertEquals(0x7F, call(in, "load8", size - 1));
        trapsOutOfBounds(in, "load8", size);
        trapsOutOfBounds(in, "store8", size, 1);
        call(in, "store", size - 4, 0x01020304);
        assertEquals(0x01020304, call(in, "load", size - 4));
        assertEquals(0x0304, call(in, "load16", size - 4), "little-endian");
        if (size > PAGE) {
            assertEquals(0x01020304, call(in, "load_off", size - PAGE - 4), "a static offset reaches the same bytes");
        }
        trapsOutOfBounds(in, "load", size - 3);
        trapsOutOfBounds(in, "load16", size - 1);
        trapsOutOfBounds(in, "store", size - 3, 5);
        call(in, "store64", size - 8, 0x0807060504030201L);
        assertEquals(0x0807060504030201L, call(in, "load64", size - 8));
        trapsOutOfBounds(in, "load64", size - 7);
        trapsOutOfBounds(in, "store64", size - 1, 1L);
        trapsOutOfBounds(in, "load8", -1);
        trapsOutOfBounds(in, "load_off", size - PAGE - 3);
    }

    @Test
    void hostGrowthKeepsTheArrayExactAndTheBoundsAtTheSize() {
        Instance in = instance(Engine.create(), NO_GROW, Imports.empty());
        Memory mem = in.memory("mem");
        assertEquals(PAGE, mem.buffer().length);
        boundsAt(in, PAGE);
        // bytes past the size that the host can see in no other way must read as zero once grown
        assertEquals(1, mem.grow(2));
        assertEquals(3, call(in, "size"));
        assertEquals(3 * PAGE, mem.byteSize());
        assertEquals(mem.byteSize(), mem.buffer().length, "an exact memory has no spare room");
        assertEquals(0, call(in, "load8", PAGE));
        assertEquals(0x08, call(in, "load8", PAGE - 1), "the old bytes (boundsAt's last i64 store) survive growth");
        boundsAt(in, 3 * PAGE);
    }

    @Test
    void growthByAnImporterKeepsTheExporterExact() {
        Engine engine = Engine.create();
        Instance exporter = instance(engine, NO_GROW, Imports.empty());
        Instance grower = instance(engine, GROWER, Imports.builder().addAll("x", exporter).build());
        for (int i = 1; i <= 5; i++) {
            assertEquals(i, call(grower, "grow", 1));
            Memory mem = exporter.memory("mem");
            assertEquals((i + 1) * PAGE, mem.byteSize());
            assertEquals(mem.byteSize(), mem.buffer().length, "an exact memory has no spare room");
            boundsAt(exporter, (i + 1) * PAGE);
            call(grower, "store8", (i + 1) * PAGE - 2, 9);
            assertEquals(9, call(exporter, "load8", (i + 1) * PAGE - 2));
            trapsOutOfBounds(grower, "load8", (i + 1) * PAGE);
        }
    }

    @Test
    void aModuleThatGrowsOrImportsItsMemoryIsNotExact() {
        Engine engine = Engine.create();
        Instance owner = instance(engine, GROWS_OWN, Imports.empty());
        assertEquals(1, call(owner, "grow", 1));
        Memory mem = owner.memory("mem");
        assertTrue(mem.buffer().length > mem.byteSize(), "a growing module's memory keeps spare room");
        // an importer that never grows must still stop at the size, not at the longer array
        Instance importer = instance(engine, IMPORTER, Imports.builder().addAll("x", owner).build());
        call(importer, "store8", 2 * PAGE - 1, 3);
        assertEquals(3, call(importer, "load8", 2 * PAGE - 1));
        trapsOutOfBounds(importer, "load8", 2 * PAGE);
        trapsOutOfBounds(importer, "store8", 2 * PAGE, 1);
    }

    @Test
    void anEmptyExactMemoryRejectsEveryAccess() {
        String wat = """
                (module
                  (memory (export "mem") 0)
                  (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
                  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
                  (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1))))
                """;
        Instance in = instance(Engine.create(), wat, Imports.empty());
        trapsOutOfBounds(in, "load8", 0);
        trapsOutOfBounds(in, "load", 0);
        trapsOutOfBounds(in, "store8", 0, 1);
        assertEquals(0, in.memory("mem").grow(1));
        call(in, "store8", PAGE - 1, 4);
        assertEquals(4, call(in, "load8", PAGE - 1));
        trapsOutOfBounds(in, "load", PAGE - 3);
    }
}
