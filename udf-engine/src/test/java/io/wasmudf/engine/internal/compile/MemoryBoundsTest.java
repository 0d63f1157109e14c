package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.testsupport.ModuleBytes.writeU32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.Trap;
import io.wasmudf.engine.TrapKind;
import io.wasmudf.engine.testsupport.ModuleBytes;
import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandle;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every load and store traps exactly when the spec says: when address + offset + width, computed
 * without 32-bit wraparound, exceeds the memory size. Covers offset 0 (where the address itself is
 * the array index) and offsets near and past 2^31, addresses of 2^31 and more, and a sum that wraps
 * in 32 bits; each access sits in a loop that is first run long enough for the JIT to compile it.
 */
class MemoryBoundsTest {
    private static final int SIZE = 65536;
    /** Loads 0x28..0x35 then stores 0x36..0x3E, with their access widths. */
    private static final int[] WIDTHS = {4, 8, 4, 8, 1, 1, 2, 2, 1, 1, 2, 2, 4, 4, 4, 8, 4, 8, 1, 2, 1, 2, 4};
    /** The value a store writes, as an instruction: i32/i64/f32/f64 const 0. */
    private static final byte[][] STORE_VALUE = {
        {0x41, 0}, {0x42, 0}, {0x43, 0, 0, 0, 0}, {0x44, 0, 0, 0, 0, 0, 0, 0, 0},
        {0x41, 0}, {0x41, 0}, {0x42, 0}, {0x42, 0}, {0x42, 0},
    };
    private static final long[] OFFSETS = {0, 1, 65535, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL};

    @Test
    void everyAccessTrapsExactlyOutOfBounds() throws Throwable {
        // these small functions call the Mem helpers (see MemoryTableEmitter#inlineAccesses)
        everyAccessTrapsExactlyOutOfBounds(Engine.builder().build());
    }

    @Test
    void everyInlineAccessTrapsExactlyOutOfBounds() throws Throwable {
        // cut into methods, every function accesses memory inline
        everyAccessTrapsExactlyOutOfBounds(Engine.builder().methodSizeLimit(0).build());
    }

    private static void everyAccessTrapsExactlyOutOfBounds(Engine engine) throws Throwable {
        Instance instance = engine.compile(module()).instantiate();
        for (int k = 0; k < WIDTHS.length; k++) {
            int width = WIDTHS[k];
            for (int j = 0; j < OFFSETS.length; j++) {
                long offset = OFFSETS[j];
                MethodHandle scan = instance.function("f" + k + "_" + j).handle();
                String what = "opcode 0x" + Integer.toHexString(0x28 + k) + " offset " + offset;
                long inBounds = SIZE - width - offset + 1; // accesses from address 0 that fit
                if (inBounds > 0) {
                    for (int warm = 0; warm < 4; warm++) {
                        assertEquals(1, (int) scan.invokeExact(0, 1, (int) inBounds), what);
                    }
                    expectTrap(scan, 0, 1, (int) inBounds + 1, what + ": one step past the end");
                    // from the last address that fits, the next step (2^31) lands at 2^31 and more
                    expectTrap(scan, (int) inBounds - 1, Integer.MIN_VALUE, 2, what + ": a step to 2^31 + x");
                }
                long[] addresses = {0, 1, SIZE - width - offset, SIZE - width - offset + 1, SIZE - 1, SIZE,
                    0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL, 0x1_0000_0000L - width, 0x1_0000_0000L - offset};
                for (long a : addresses) {
                    int address = (int) a; // wraps the negative and 2^32 cases into u32 as intended
                    long end = Integer.toUnsignedLong(address) + offset + width;
                    String at = what + " at address " + Integer.toUnsignedString(address);
                    if (end <= SIZE) {
                        assertEquals(1, (int) scan.invokeExact(address, 0, 1), at);
                    } else {
                        expectTrap(scan, address, 0, 1, at);
                    }
                }
            }
        }
    }

    private static void expectTrap(MethodHandle scan, int start, int step, int n, String what) {
        Trap t = assertThrows(Trap.class, () -> {
            int ignored = (int) scan.invokeExact(start, step, n);
        }, what);
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, t.kind(), what);
    }

    /**
     * One page of memory and, per access opcode k and offset j, an export {@code fk_j(start, step,
     * n) -> 1} that performs the access n times at start, start + step, ... (i32 wraparound) in a
     * loop closed by a br_if.
     */
    private static byte[] module() {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        for (int k = 0; k < WIDTHS.length; k++) {
            for (int j = 0; j < OFFSETS.length; j++) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                body.write(0); // no locals: start, step, n are the parameters 0, 1, 2
                // block  br_if 0 (n == 0)  loop
                body.writeBytes(new byte[] {0x02, 0x40, 0x20, 2, 0x45, 0x0D, 0, 0x03, 0x40, 0x20, 0});
                boolean store = k >= 14;
                if (store) {
                    body.writeBytes(STORE_VALUE[k - 14]);
                }
                body.write(0x28 + k);
                body.write(0); // alignment hint 2^0, valid for every width
                writeU32(body, (int) OFFSETS[j]);
                if (!store) {
                    body.write(0x1A); // drop
                }
                // start += step; n -= 1; br_if 0 (n != 0)  end end  i32.const 1
                body.writeBytes(new byte[] {0x20, 0, 0x20, 1, 0x6A, 0x21, 0, 0x20, 2, 0x41, 1, 0x6B, 0x22, 2,
                    0x0D, 0, 0x0B, 0x0B, 0x41, 1, 0x0B});
                bodies.put("f" + k + "_" + j, body.toByteArray());
            }
        }
        return ModuleBytes.functions(new byte[] {3, 0x7F, 0x7F, 0x7F, 1, 0x7F}, bodies, 1);
    }
}
