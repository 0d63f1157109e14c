package io.wasmudf.engine.internal.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.Trap;
import io.wasmudf.engine.TrapKind;
import io.wasmudf.engine.V128;
import io.wasmudf.engine.Wat;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * The byte-scan sequences ({@link SimdScans}) compute what their instructions compute: each
 * function exists fused and with a {@code nop} inside the sequence (separate helper calls), both
 * run on random memory with planted matches, at addresses up to and past the memory's end (the
 * same trap), and the memchr/strlen/ASCII-skip loops the benchmark kernels compile to are checked
 * against Java.
 */
class SimdScansTest {
    private static final String WAT = "(module (memory (export \"mem\") 1)\n"
            // constant needle (strlen's zero vector, and one with distinct bytes)
            + " (func (export \"zero\") (param i32) (result i32) (i8x16.bitmask (i8x16.eq (v128.load (local.get 0)) (v128.const i64x2 0 0))))\n"
            + " (func (export \"zero_nop\") (param i32) (result i32) (local.get 0) (v128.load) (v128.const i64x2 0 0) (nop) (i8x16.eq) (i8x16.bitmask))\n"
            + " (func (export \"pattern\") (param i32) (result i32)\n"
            + "   (i8x16.bitmask (i8x16.eq (v128.load offset=3 (local.get 0)) (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 255))))\n"
            + " (func (export \"pattern_nop\") (param i32) (result i32) (local.get 0) (v128.load offset=3)\n"
            + "   (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 255) (i8x16.eq) (nop) (i8x16.bitmask))\n"
            // needle in a declared v128 local (two long slots): memchr's splat
            + " (func (export \"chr\") (param i32 i32) (result i32) (local $n v128) (local.set $n (i8x16.splat (local.get 1)))\n"
            + "   (i8x16.bitmask (i8x16.eq (v128.load offset=7 (local.get 0)) (local.get $n))))\n"
            + " (func (export \"chr_nop\") (param i32 i32) (result i32) (local $n v128) (local.set $n (i8x16.splat (local.get 1)))\n"
            + "   (local.get 0) (v128.load offset=7) (nop) (local.get $n) (i8x16.eq) (i8x16.bitmask))\n"
            // a v128 parameter is an object, not long slots: the sequence is not fused, same answer
            + " (func (export \"param\") (param i32 v128) (result i32) (i8x16.bitmask (i8x16.eq (v128.load (local.get 0)) (local.get 1))))\n"
            // the ASCII skip
            + " (func (export \"ascii\") (param i32) (result i32) (i32.eqz (i8x16.bitmask (v128.load (local.get 0)))))\n"
            + " (func (export \"ascii_nop\") (param i32) (result i32) (local.get 0) (v128.load) (i8x16.bitmask) (nop) (i32.eqz))\n"
            // a scan that only asks whether some byte matched, and all_true (SWAR in both)
            + " (func (export \"anyeq\") (param v128 v128) (result i32) (v128.any_true (i8x16.eq (local.get 0) (local.get 1))))\n"
            + " (func (export \"anyeq_nop\") (param v128 v128) (result i32) (local.get 0) (local.get 1) (i8x16.eq) (nop) (v128.any_true))\n"
            + " (func (export \"alltrue\") (param v128) (result i32) (i8x16.all_true (local.get 0)))\n"
            // the kernels' loops: first index of byte c in [p, p + len) (len a multiple of 16) or len
            + " (func (export \"memchr\") (param $p i32) (param $c i32) (param $len i32) (result i32) (local $n v128) (local $i i32) (local $m i32)\n"
            + "   (local.set $n (i8x16.splat (local.get $c)))\n"
            + "   (block $none (loop $l (br_if $none (i32.ge_u (local.get $i) (local.get $len)))\n"
            + "     (local.set $m (i8x16.bitmask (i8x16.eq (v128.load (i32.add (local.get $p) (local.get $i))) (local.get $n))))\n"
            + "     (if (local.get $m) (then (return (i32.add (local.get $i) (i32.ctz (local.get $m))))))\n"
            + "     (local.set $i (i32.add (local.get $i) (i32.const 16))) (br $l)))\n"
            + "   (local.get $len))\n"
            + " (func (export \"strlen\") (param $p i32) (result i32) (local $i i32) (local $m i32)\n"
            + "   (loop $l (local.set $m (i8x16.bitmask (i8x16.eq (v128.load (i32.add (local.get $p) (local.get $i))) (v128.const i64x2 0 0))))\n"
            + "     (local.set $i (i32.add (local.get $i) (i32.const 16))) (br_if $l (i32.eqz (local.get $m))))\n"
            + "   (i32.add (i32.sub (local.get $i) (i32.const 16)) (i32.ctz (local.get $m))))\n"
            // first non-ASCII byte at or after p, skipping 16 bytes at a time (UTF-8 validation's skip)
            + " (func (export \"skip\") (param $p i32) (result i32)\n"
            + "   (loop $l (if (i32.eqz (i8x16.bitmask (v128.load (local.get $p)))) (then (local.set $p (i32.add (local.get $p) (i32.const 16))) (br $l))))\n"
            + "   (loop $b (if (i32.lt_s (i32.load8_s (local.get $p)) (i32.const 0)) (then) (else (local.set $p (i32.add (local.get $p) (i32.const 1))) (br $b))))\n"
            + "   (local.get $p)))";

    private static final int PAGE = 65536;

    @Test
    void fusedSequencesMatchTheInstructionsApart() throws Exception {
        Instance inst = Engine.create().compile(Wat.toBinary(WAT)).instantiate();
        byte[] mem = inst.memory("mem").buffer();
        SplittableRandom random = new SplittableRandom(20);
        for (int round = 0; round < 40; round++) {
            fill(mem, random);
            for (int k = 0; k < 300; k++) {
                int a = k < 20 ? PAGE - 16 - 7 - k : random.nextInt(PAGE - 16 - 7);
                int c = random.nextInt(4) == 0 ? random.nextInt(256) : mem[a + 7 + random.nextInt(16)] & 0xFF;
                assertEquals(expected(mem, a, 0, 0), call(inst, "zero", a));
                assertEquals(call(inst, "zero_nop", a), call(inst, "zero", a));
                assertEquals(expected(mem, a + 3, 0x0706050403020100L, 0xFF0E0D0C0B0A0908L), call(inst, "pattern", a));
                assertEquals(call(inst, "pattern_nop", a), call(inst, "pattern", a));
                long splat = (c & 0xFFL) * 0x0101_0101_0101_0101L;
                assertEquals(expected(mem, a + 7, splat, splat), call(inst, "chr", a, c));
                assertEquals(call(inst, "chr_nop", a, c), call(inst, "chr", a, c));
                assertEquals(call(inst, "chr", a, c), (int) (Integer) inst.function("param").call(a + 7,
                        new V128(splat, splat))[0]);
                assertEquals(topBits(mem, a) == 0 ? 1 : 0, call(inst, "ascii", a));
                assertEquals(call(inst, "ascii_nop", a), call(inst, "ascii", a));
            }
        }
    }

    @Test
    void anyTrueAndAllTrueOnBytes() throws Exception {
        Instance inst = Engine.create().compile(Wat.toBinary(WAT)).instantiate();
        SplittableRandom random = new SplittableRandom(22);
        byte[] x = new byte[16];
        byte[] y = new byte[16];
        for (int i = 0; i < 20000; i++) {
            for (int k = 0; k < 16; k++) {
                // mostly different bytes, a few equal ones (and zeros, 0x80s, 0x01s: the SWAR edges)
                x[k] = (byte) new int[] {0, 1, 0x80, 0xFF, 0x7F, random.nextInt(256)}[random.nextInt(6)];
                y[k] = random.nextInt(24) == 0 ? x[k] : (byte) (x[k] ^ (1 + random.nextInt(255)));
            }
            V128 a = V128.ofBytes(x);
            V128 b = V128.ofBytes(y);
            boolean equal = false;
            boolean allNonZero = true;
            for (int k = 0; k < 16; k++) {
                equal |= x[k] == y[k];
                allNonZero &= x[k] != 0;
            }
            assertEquals(equal ? 1 : 0, (int) (Integer) inst.function("anyeq").call(a, b)[0], a + " " + b);
            assertEquals(equal ? 1 : 0, (int) (Integer) inst.function("anyeq_nop").call(a, b)[0], a + " " + b);
            assertEquals(allNonZero ? 1 : 0, (int) (Integer) inst.function("alltrue").call(a)[0], a.toString());
        }
    }

    @Test
    void fusedLoadsTrapAsTheLoadDoes() throws Exception {
        Instance inst = Engine.create().compile(Wat.toBinary(WAT)).instantiate();
        // the last in-bounds address of each form, then every address past it and the wrapping ones
        assertInBounds(() -> call(inst, "zero", PAGE - 16));
        assertInBounds(() -> call(inst, "pattern", PAGE - 19));
        assertInBounds(() -> call(inst, "chr", PAGE - 23, 0));
        assertInBounds(() -> call(inst, "ascii", PAGE - 16));
        for (int a : new int[] {PAGE - 15, PAGE - 1, PAGE, -1, -16, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertOutOfBounds(() -> call(inst, "zero", a));
            assertOutOfBounds(() -> call(inst, "zero_nop", a));
            assertOutOfBounds(() -> call(inst, "pattern", a + 13 - 16));
            assertOutOfBounds(() -> call(inst, "chr", a - 7, 1));
            assertOutOfBounds(() -> call(inst, "ascii", a));
        }
        // strlen with no zero byte before the end of memory traps at the first vector past it
        byte[] mem = inst.memory("mem").buffer();
        java.util.Arrays.fill(mem, (byte) 'x');
        assertOutOfBounds(() -> call(inst, "strlen", 5));
    }

    @Test
    void kernelLoopsMatchJava() throws Exception {
        Instance inst = Engine.create().compile(Wat.toBinary(WAT)).instantiate();
        byte[] mem = inst.memory("mem").buffer();
        SplittableRandom random = new SplittableRandom(21);
        for (int round = 0; round < 100; round++) {
            for (int i = 0; i < PAGE; i++) {
                mem[i] = (byte) (1 + random.nextInt(random.nextBoolean() ? 127 : 255)); // no zero byte
            }
            int p = random.nextInt(1024);
            int len = 16 * random.nextInt(1, 1024);
            int c = random.nextInt(1, 256);
            int z = p + random.nextInt(len);
            mem[z] = 0;
            assertEquals(z - p, call(inst, "strlen", p), "round " + round);
            int want = len;
            for (int i = 0; i < len; i++) {
                if ((mem[p + i] & 0xFF) == c) {
                    want = i;
                    break;
                }
            }
            assertEquals(want, call(inst, "memchr", p, c, len), "round " + round);
            int start = random.nextInt(PAGE / 2);
            int high = start + random.nextInt(1024);
            mem[high] = (byte) (0x80 | random.nextInt(128));
            int first = start;
            while (mem[first] >= 0) {
                first++;
            }
            assertEquals(first, call(inst, "skip", start), "round " + round);
        }
    }

    private static int call(Instance inst, String name, Object... args) {
        return (Integer) inst.function(name).call(args)[0];
    }

    private static void assertInBounds(IntSupplier f) {
        f.getAsInt();
    }

    private static void assertOutOfBounds(IntSupplier f) {
        Trap t = assertThrows(Trap.class, f::getAsInt);
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, t.kind());
    }

    /** Random bytes with runs of zeros, 0x80s and repeats, so that every mask bit is exercised. */
    private static void fill(byte[] mem, SplittableRandom r) {
        for (int i = 0; i < PAGE; i++) {
            switch (r.nextInt(6)) {
                case 0: mem[i] = 0; break;
                case 1: mem[i] = (byte) 0x80; break;
                case 2: mem[i] = (byte) (i % 16); break;
                case 3: mem[i] = (byte) r.nextInt(128); break;
                default: mem[i] = (byte) r.nextInt(256); break;
            }
        }
    }

    /** i8x16.bitmask of i8x16.eq of mem[a..a+16) and the vector lo:hi, byte by byte. */
    private static int expected(byte[] mem, int a, long lo, long hi) {
        int m = 0;
        for (int k = 0; k < 16; k++) {
            byte needle = (byte) ((k < 8 ? lo : hi) >>> (8 * (k & 7)));
            m |= (mem[a + k] == needle ? 1 : 0) << k;
        }
        return m;
    }

    private static int topBits(byte[] mem, int a) {
        int m = 0;
        for (int k = 0; k < 16; k++) {
            m |= (mem[a + k] < 0 ? 1 : 0) << k;
        }
        return m;
    }
}
