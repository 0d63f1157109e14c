package io.wasmudf.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every vector load and store form on a second memory (multi-memory) and on memories with i64
 * addresses (memory64, as memory 1 and as memory 0): the same access on memory 0 with i32
 * addresses (the fast path, which the SIMD spec scripts check) is the reference for the value
 * read or the bytes written, and the bounds are checked against the spec's rule itself: an access
 * of {@code w} bytes at {@code addr + offset} (unsigned, no wraparound) traps exactly when it
 * ends past the memory's size.
 */
class SimdWideMemoryTest {
    /** Vector memory instructions: name, bytes touched, kind (l = load, s = store, ll = lane load, sl = lane store). */
    private static final String[][] FORMS = {
        {"v128.load", "16", "l"}, {"v128.load8x8_s", "8", "l"}, {"v128.load8x8_u", "8", "l"},
        {"v128.load16x4_s", "8", "l"}, {"v128.load16x4_u", "8", "l"}, {"v128.load32x2_s", "8", "l"},
        {"v128.load32x2_u", "8", "l"}, {"v128.load8_splat", "1", "l"}, {"v128.load16_splat", "2", "l"},
        {"v128.load32_splat", "4", "l"}, {"v128.load64_splat", "8", "l"}, {"v128.load32_zero", "4", "l"},
        {"v128.load64_zero", "8", "l"}, {"v128.store", "16", "s"},
        {"v128.load8_lane", "1", "ll"}, {"v128.load16_lane", "2", "ll"}, {"v128.load32_lane", "4", "ll"},
        {"v128.load64_lane", "8", "ll"}, {"v128.store8_lane", "1", "sl"}, {"v128.store16_lane", "2", "sl"},
        {"v128.store32_lane", "4", "sl"}, {"v128.store64_lane", "8", "sl"},
    };
    private static final int[] OFFSETS = {0, 5};
    private static final int SIZE = Memory.PAGE_SIZE;
    private static final V128 VECTOR = new V128(0x8877_6655_4433_2211L, 0xFFEE_DDCC_BBAA_0099L);

    static Stream<Engine> engines() {
        return Stream.of(Engine.create(),
                Engine.builder().interruptible(true).fuel(true).maxCallDepth(10_000).methodSizeLimit(0).build());
    }

    /** The functions of every form and offset on memory {@code memory} ({@code $m<memory>}), named {@code form@memory@offset}. */
    private static String functions(int memory, boolean is64) {
        String at = is64 ? "i64" : "i32";
        StringBuilder sb = new StringBuilder();
        for (String[] f : FORMS) {
            for (int offset : OFFSETS) {
                String name = f[0] + "@" + memory + "@" + offset;
                String memarg = "$m" + memory + " offset=" + offset;
                String lane = String.valueOf(16 / Integer.parseInt(f[1]) - 1); // the last lane
                switch (f[2]) {
                    case "l" -> sb.append(String.format("(func (export \"%s\") (param %s) (result v128) (%s %s (local.get 0)))%n",
                            name, at, f[0], memarg));
                    case "s" -> sb.append(String.format("(func (export \"%s\") (param %s v128) (%s %s (local.get 0) (local.get 1)))%n",
                            name, at, f[0], memarg));
                    case "ll" -> sb.append(String.format("(func (export \"%s\") (param %s v128) (result v128) (%s %s %s (local.get 0) (local.get 1)))%n",
                            name, at, f[0], memarg, lane));
                    default -> sb.append(String.format("(func (export \"%s\") (param %s v128) (%s %s %s (local.get 0) (local.get 1)))%n",
                            name, at, f[0], memarg, lane));
                }
            }
        }
        return sb.toString();
    }

    /** Memory 0 (fast), memory 1 with i32 addresses and memory 2 with i64 addresses. */
    private static final String THREE = "(module (memory $m0 (export \"m0\") 1) (memory $m1 (export \"m1\") 1 2) (memory $m2 (export \"m2\") i64 1 2)\n"
            + functions(0, false) + functions(1, false) + functions(2, true) + ")";
    /** A single memory with i64 addresses: memory 0, not the fast one. */
    private static final String MEMORY64_ZERO = "(module (memory $m0 (export \"m0\") i64 1)\n" + functions(0, true) + ")";

    /** The outcome of a call: its result, or the trap's kind. */
    private static Object outcome(Instance instance, String name, Object... args) {
        try {
            Object[] r = instance.function(name).call(args);
            return r.length == 0 ? "ok" : r[0];
        } catch (Trap t) {
            return t.kind();
        }
    }

    /** Addresses around the bounds of an access of {@code width} bytes at {@code offset}, and far beyond. */
    private static long[] addresses(int width, int offset) {
        long last = SIZE - width - offset; // the last address at which the access fits
        return new long[] {0, 1, 77, last - 1, last, last + 1, last + width, SIZE - offset, SIZE, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL};
    }

    private static boolean inBounds(long addr, int width, int offset, long size) {
        // unsigned addr + offset + width <= size, without wraparound
        return Long.compareUnsigned(addr, size) <= 0 && addr + offset + width <= size;
    }

    @ParameterizedTest
    @MethodSource("engines")
    void everyFormOnASecondMemoryAndOnMemory64MatchesMemoryZeroWithExactBounds(Engine engine) {
        Instance three = engine.compile(Wat.toBinary(THREE)).instantiate(Imports.empty());
        Instance wide0 = engine.compile(Wat.toBinary(MEMORY64_ZERO)).instantiate(Imports.empty());
        byte[] content = new byte[SIZE];
        new Random(20).nextBytes(content);
        List<Memory> memories = List.of(three.memory("m0"), three.memory("m1"), three.memory("m2"), wide0.memory("m0"));
        for (Memory m : memories) {
            m.write(0, content, 0, SIZE);
        }
        int checked = 0;
        for (String[] f : FORMS) {
            int width = Integer.parseInt(f[1]);
            boolean takesVector = !f[2].equals("l");
            for (int offset : OFFSETS) {
                for (long addr : addresses(width, offset)) {
                    Object reference = call(three, f[0] + "@0@" + offset, (int) addr, takesVector);
                    boolean fits = inBounds(addr, width, offset, SIZE);
                    assertEquals(fits, !(reference instanceof TrapKind), f[0] + " on memory 0 at " + addr + "+" + offset + ": " + reference);
                    if (!fits) {
                        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, reference);
                    }
                    String where = f[0] + " offset=" + offset + " at " + addr;
                    assertEquals(reference, call(three, f[0] + "@1@" + offset, (int) addr, takesVector), "memory 1 (i32), " + where);
                    assertEquals(reference, call(three, f[0] + "@2@" + offset, addr, takesVector), "memory 2 (i64), " + where);
                    assertEquals(reference, call(wide0, f[0] + "@0@" + offset, addr, takesVector), "memory 0 (i64), " + where);
                    for (Memory m : memories.subList(1, memories.size())) {
                        // stores wrote the same bytes everywhere (or, trapping, none at all)
                        assertArrayEquals(java.util.Arrays.copyOf(memories.get(0).buffer(), SIZE), java.util.Arrays.copyOf(m.buffer(), SIZE), where);
                    }
                    checked++;
                }
                // i64 addresses past 2^32 (and past 2^63: negative as a long) never fit a byte[] memory
                for (long addr : new long[] {1L << 32, (1L << 32) + 1, Long.MAX_VALUE, Long.MIN_VALUE, -1L, -offset - width}) {
                    assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, call(three, f[0] + "@2@" + offset, addr, takesVector), f[0] + " at " + addr);
                    assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, call(wide0, f[0] + "@0@" + offset, addr, takesVector), f[0] + " at " + addr);
                }
            }
        }
        assertEquals(22 * 2 * 12, checked);
    }

    private static Object call(Instance instance, String name, Object addr, boolean takesVector) {
        return takesVector ? outcome(instance, name, addr, VECTOR) : outcome(instance, name, addr);
    }

    @ParameterizedTest
    @MethodSource("engines")
    void theBoundFollowsGrowthOfTheOtherMemories(Engine engine) {
        Instance three = engine.compile(Wat.toBinary(THREE)).instantiate(Imports.empty());
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, call(three, "v128.store@1@0", SIZE, true));
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, call(three, "v128.store@2@0", (long) SIZE, true));
        assertEquals(1, three.memory("m1").grow(1));
        assertEquals(1, three.memory("m2").grow(1));
        assertEquals("ok", call(three, "v128.store@1@0", SIZE, true));
        assertEquals("ok", call(three, "v128.store@2@0", (long) SIZE, true));
        assertEquals(VECTOR, call(three, "v128.load@1@0", SIZE, false));
        assertEquals(VECTOR, call(three, "v128.load@2@0", (long) SIZE, false));
        assertEquals(new V128(0, 0), call(three, "v128.load@2@5", (long) 2 * SIZE - 21, false), "the new page's last 16 bytes");
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, call(three, "v128.load@2@5", (long) 2 * SIZE - 20, false));
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, call(three, "v128.load@0@0", SIZE, false), "memory 0 did not grow");
    }

    @org.junit.jupiter.api.Test
    void validationTypesTheAddressByTheMemory() {
        List<String> invalid = new ArrayList<>();
        // an i32 address for a memory64, an i64 one for an i32 memory, an unknown memory, an offset past u32 on an i32 memory
        invalid.add("(memory i64 1) (func (drop (v128.load (i32.const 0))))");
        invalid.add("(memory 1) (memory $b 1) (func (drop (v128.load $b (i64.const 0))))");
        invalid.add("(memory 1) (func (v128.store8_lane 1 0 (i32.const 0) (v128.const i64x2 0 0)))");
        invalid.add("(memory 1) (memory $b 1) (func (drop (v128.load $b offset=4294967296 (i32.const 0))))");
        List<String> reasons = List.of("type mismatch", "type mismatch", "unknown memory 1", "offset out of range");
        for (int i = 0; i < invalid.size(); i++) {
            String wat = "(module " + invalid.get(i) + ")";
            InvalidModuleException e = assertThrows(InvalidModuleException.class, () -> Engine.create().compile(Wat.toBinary(wat)), wat);
            assertEquals(reasons.get(i), e.reason(), wat);
        }
        // a memory64 takes offsets past 2^32 (and the access then traps: no byte[] memory is that large)
        Instance i = Engine.create().compile(Wat.toBinary("(module (memory i64 1) (func (export \"f\") (result v128) (v128.load offset=4294967296 (i64.const 0))))"))
                .instantiate(Imports.empty());
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, assertThrows(Trap.class, () -> i.function("f").call()).kind());
    }
}
