package io.wasmudf.engine;

import static io.wasmudf.engine.GuestCalls.call;
import static io.wasmudf.engine.GuestCalls.trapsOutOfBounds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * memory.grow takes time in proportion to the growth, not to the size (the backing array keeps
 * spare room), while every access, from guest code, bulk instructions or the host API, is still
 * out of bounds exactly at the memory's size.
 */
class MemoryGrowthTest {
    private static final int PAGE = Memory.PAGE_SIZE;

    private static final String WAT = """
            (module
              (memory (export "mem") 1)
              (func (export "grow_forever") (result i32) (local $n i32)
                (block $done
                  (loop $again
                    (br_if $done (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
                    (local.set $n (i32.add (local.get $n) (i32.const 1)))
                    (br $again)))
                (local.get $n))
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
              (func (export "size") (result i32) (memory.size))
              (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
              (func (export "load8") (param i32) (result i32) (i32.load8_u (local.get 0)))
              (func (export "load64_at_page") (param i32) (result i64) (i64.load offset=65536 (local.get 0)))
              (func (export "store8") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
              (func (export "fill") (param i32 i32) (memory.fill (local.get 0) (i32.const 1) (local.get 1)))
              (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2))))
            """;

    private static Instance instance(Engine engine) {
        return engine.compile(Wat.toBinary(WAT.getBytes(StandardCharsets.UTF_8))).instantiate(Imports.empty());
    }

    @Test
    void growingPageByPageToTheCapIsLinear() {
        Engine engine = Engine.builder().maxMemoryPages(Engine.UNTRUSTED_MAX_MEMORY_PAGES).build();
        // the first instance warms the code paths up; the second is timed
        assertEquals(Engine.UNTRUSTED_MAX_MEMORY_PAGES - 1, call(instance(engine), "grow_forever"));
        Instance instance = instance(engine);
        long start = System.nanoTime();
        Object grown = call(instance, "grow_forever");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Engine.UNTRUSTED_MAX_MEMORY_PAGES - 1, grown, "the cap is enforced at the same page");
        assertEquals(Engine.UNTRUSTED_MAX_MEMORY_PAGES, call(instance, "size"));
        assertEquals(-1, call(instance, "grow", 0x7FFF_FFFF));
        assertEquals(Engine.UNTRUSTED_MAX_MEMORY_PAGES, call(instance, "grow", 0), "grow(0) still answers the size at the cap");
        trapsOutOfBounds(instance, "load8", Engine.UNTRUSTED_MAX_MEMORY_PAGES * PAGE);
        assertEquals(0, call(instance, "load8", Engine.UNTRUSTED_MAX_MEMORY_PAGES * PAGE - 1));
        System.out.println("grow_forever to " + Engine.UNTRUSTED_MAX_MEMORY_PAGES + " pages: " + millis + " ms");
        // 64 MiB one page at a time copied ~32 GiB before (18 s); now ~100 MiB are allocated in all.
        // The bound is generous for a loaded CI machine, still far below any O(size) growth
        assertTrue(millis < 2_000, "grow_forever took " + millis + " ms");
    }

    @Test
    void everyAccessIsOutOfBoundsExactlyAtTheSizeAfterEachGrow() {
        // these small functions call the Mem helpers (see the compiler's MemoryTableEmitter)
        everyAccessIsOutOfBoundsExactlyAtTheSizeAfterEachGrow(Engine.create());
    }

    @Test
    void everyInlineAccessIsOutOfBoundsExactlyAtTheSizeAfterEachGrow() {
        // cut into methods, the functions access memory inline, against min(size, array length)
        everyAccessIsOutOfBoundsExactlyAtTheSizeAfterEachGrow(Engine.builder().methodSizeLimit(0).build());
    }

    private static void everyAccessIsOutOfBoundsExactlyAtTheSizeAfterEachGrow(Engine engine) {
        Instance instance = instance(engine);
        Memory memory = instance.memory("mem");
        boolean spareRoomSeen = false;
        for (int pages = 1; pages <= 40; pages++) {
            int size = pages * PAGE;
            assertEquals(pages, call(instance, "size"));
            assertEquals(pages, memory.pages());
            assertEquals(size, memory.byteSize());
            spareRoomSeen |= memory.buffer().length > size;
            // guest loads and stores: the last byte is in, the next one and any access across the end are out
            assertEquals(0, call(instance, "load8", size - 1), "a new page reads as zero");
            call(instance, "store8", size - 1, pages);
            trapsOutOfBounds(instance, "load8", size);
            trapsOutOfBounds(instance, "store8", size, 1);
            assertEquals(pages << 24, call(instance, "load", size - 4));
            trapsOutOfBounds(instance, "load", size - 3);
            trapsOutOfBounds(instance, "load", -1);
            // a static offset: the effective address is 33 bits wide, without wraparound
            if (pages > 1) {
                assertEquals((long) pages << 56, call(instance, "load64_at_page", size - PAGE - 8));
            } else {
                trapsOutOfBounds(instance, "load64_at_page", size - PAGE - 8);
            }
            trapsOutOfBounds(instance, "load64_at_page", size - PAGE - 7);
            // bulk instructions
            call(instance, "fill", size - 2, 0);
            trapsOutOfBounds(instance, "fill", size - 2, 3);
            trapsOutOfBounds(instance, "copy", 0, size - 1, 2);
            trapsOutOfBounds(instance, "copy", size - 1, 0, 2);
            // the host API
            assertEquals(pages, memory.readByte(size - 1));
            assertThrows(Trap.class, () -> memory.readByte(size));
            assertThrows(Trap.class, () -> memory.read(size - 1, 2));
            assertThrows(Trap.class, () -> memory.writeInt(size - 2, 1));
            if (memory.buffer().length > size) {
                // a host that wrongly wrote past the size into the array: the grown page still reads as zero
                memory.buffer()[size] = 99;
            }
            assertEquals(pages, call(instance, "grow", 1));
            assertEquals(0, call(instance, "load8", size), "page " + pages + " is zero after the grow");
            assertEquals(pages, call(instance, "load8", size - 1), "the grow kept the memory's bytes");
        }
        assertTrue(spareRoomSeen, "growth page by page leaves spare room in the array");
    }

    @Test
    void theBudgetCountsTheGrantedPagesNotTheSpareRoom() {
        MemoryBudget budget = new MemoryBudget(10L * PAGE);
        Engine engine = Engine.builder().memoryBudget(budget).build();
        Instance a = instance(engine);
        Instance b = instance(engine);
        assertEquals(2L * PAGE, budget.reservedBytes());
        assertEquals(1, call(a, "grow", 1));
        assertEquals(2, call(a, "grow", 1));
        assertEquals(4L * PAGE, budget.reservedBytes());
        assertEquals(6, call(b, "grow_forever"), "the other instance gets exactly the rest");
        assertEquals(10L * PAGE, budget.reservedBytes());
        assertEquals(-1, call(a, "grow", 1));
        a.close();
        b.close();
        assertEquals(0, budget.reservedBytes());
    }
}
