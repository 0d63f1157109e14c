package io.wasmudf.engine.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The load and store helpers on their own: little-endian, bounded by the memory's size, and never
 * outside the array whatever size a caller passes (the helpers access the array without the JVM's
 * own bounds check where {@code Unsafe} is used, so this is what keeps a wrong size from reaching
 * other heap memory).
 */
class MemTest {

    @Test
    void valuesAreLittleEndian() {
        byte[] m = new byte[16];
        Mem.i64Store(0, 0x0807060504030201L, m, 16, 0);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, java.util.Arrays.copyOf(m, 8));
        assertEquals(0x04030201, Mem.i32Load(0, m, 16, 0));
        assertEquals(0x0605, Mem.i32Load16U(4, m, 16, 0));
        assertEquals(0x0807060504030201L, Mem.i64Load(0, m, 16, 0));
        Mem.i32Store(8, 0xA1B2C3D4, m, 16, 4);
        assertEquals(0xA1B2C3D4L, Mem.i64Load32U(12, m, 16, 0));
        assertEquals((byte) 0xD4, m[12]);
        assertEquals(-0x4D3D, Mem.i32Load16S(0, m, 16, 13));
        Mem.f64Store(0, -2.5, m, 16, 8);
        assertEquals(-2.5, Mem.f64Load(8, m, 16, 0));
    }

    @Test
    void theBoundIsTheSizeForEveryWidth() {
        byte[] m = new byte[16];
        for (int size : new int[] {0, 1, 3, 7, 8, 9, 16}) {
            for (int width : new int[] {1, 2, 4, 8}) {
                int last = size - width; // the last in-bounds address, when the access fits at all
                if (last >= 0) {
                    load(width, last, m, size);
                    store(width, last, m, size);
                }
                int first = Math.max(last + 1, 0);
                assertThrows(IndexOutOfBoundsException.class, () -> load(width, first, m, size), width + "@" + first + "/" + size);
                assertThrows(IndexOutOfBoundsException.class, () -> store(width, first, m, size), width + "@" + first + "/" + size);
                assertThrows(IndexOutOfBoundsException.class, () -> load(width, -1, m, size));
            }
        }
    }

    @Test
    void aSizeBeyondTheArrayNeverReachesPastIt() {
        byte[] m = new byte[16];
        for (int size : new int[] {17, 1 << 20, Integer.MAX_VALUE}) {
            for (int width : new int[] {1, 2, 4, 8}) {
                load(width, 16 - width, m, size);
                assertThrows(IndexOutOfBoundsException.class, () -> load(width, 16 - width + 1, m, size));
                assertThrows(IndexOutOfBoundsException.class, () -> store(width, 16 - width + 1, m, size));
                assertThrows(IndexOutOfBoundsException.class, () -> load(width, 1 << 19, m, size));
            }
        }
        assertThrows(IndexOutOfBoundsException.class, () -> Mem.i32Load(0, m, -5, 0), "a negative size");
    }

    /**
     * The bound is clamped at 0 (so that C2 knows it is not negative, see {@code Mem.at}): a size
     * below the access's width, zero or negative must still reject every address, 0 included.
     */
    @Test
    void aBoundBelowTheWidthRejectsEveryAddress() {
        byte[] m = new byte[16];
        for (int size : new int[] {Integer.MIN_VALUE, -5, -1, 0}) {
            for (int width : new int[] {1, 2, 4, 8}) {
                for (int addr : new int[] {0, 1, -1, Integer.MIN_VALUE}) {
                    assertThrows(IndexOutOfBoundsException.class, () -> load(width, addr, m, size), width + "@" + addr + "/" + size);
                    assertThrows(IndexOutOfBoundsException.class, () -> store(width, addr, m, size), width + "@" + addr + "/" + size);
                }
            }
        }
        for (int width : new int[] {2, 4, 8}) {
            for (int size = 0; size < width; size++) {
                int s = size;
                assertThrows(IndexOutOfBoundsException.class, () -> load(width, 0, m, s), width + "@0/" + s);
            }
        }
    }

    private static long load(int width, int addr, byte[] m, int size) {
        switch (width) {
            case 1: return Mem.i32Load8U(addr, m, size, 0);
            case 2: return Mem.i32Load16U(addr, m, size, 0);
            case 4: return Mem.i32Load(addr, m, size, 0);
            default: return Mem.i64Load(addr, m, size, 0);
        }
    }

    private static void store(int width, int addr, byte[] m, int size) {
        switch (width) {
            case 1: Mem.i32Store8(addr, 1, m, size, 0); break;
            case 2: Mem.i32Store16(addr, 1, m, size, 0); break;
            case 4: Mem.i32Store(addr, 1, m, size, 0); break;
            default: Mem.i64Store(addr, 1L, m, size, 0); break;
        }
    }
}
