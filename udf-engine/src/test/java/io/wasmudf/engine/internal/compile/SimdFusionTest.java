package io.wasmudf.engine.internal.compile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.V128;
import io.wasmudf.engine.Wat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fused pairs ({@link SimdFusion}) compute what the two instructions compute: each function
 * below exists twice, once with the pair adjacent (fused) and once with a {@code nop} between
 * (two helper calls), and both run on random and edge-case vectors, and against Java's own
 * float arithmetic; a loop carrying f32 lanes in a v128 local checks the fused form in its setting.
 */
class SimdFusionTest {
    private static final String WAT = "(module\n"
            + " (func (export \"eqmask\") (param v128 v128) (result i32) (i8x16.bitmask (i8x16.eq (local.get 0) (local.get 1))))\n"
            + " (func (export \"eqmask_nop\") (param v128 v128) (result i32) (local.get 0) (local.get 1) (i8x16.eq) (nop) (i8x16.bitmask))\n"
            + " (func (export \"madd\") (param v128 v128 v128) (result v128)\n"
            + "   (f32x4.add (local.get 0) (f32x4.mul (local.get 1) (local.get 2))))\n"
            + " (func (export \"madd_nop\") (param v128 v128 v128) (result v128)\n"
            + "   (local.get 0) (local.get 1) (local.get 2) (f32x4.mul) (nop) (f32x4.add))\n"
            // the dot product's shape: a v128 local (two long slots) carrying f32 lanes round a loop
            + " (func (export \"chain\") (param v128 v128 i32) (result v128) (local $acc v128)\n"
            + "   (local.set $acc (local.get 0))\n"
            + "   (block $done (loop $l (br_if $done (i32.eqz (local.get 2)))\n"
            + "     (local.set $acc (f32x4.add (f32x4.mul (local.get $acc) (local.get 1)) (f32x4.sub (local.get 1) (local.get $acc))))\n"
            + "     (local.set 2 (i32.sub (local.get 2) (i32.const 1))) (br $l)))\n"
            + "   (local.get $acc))\n"
            // the dot product kernel's shape: loads straight into f32x4 arithmetic (float-form loads);
            // the nop keeps dot_nop's loads in their bits form
            + " (memory (export \"mem\") 1)\n"
            + " (func (export \"dot\") (param $n i32) (result v128) (local $acc v128) (local $i i32)\n"
            + "   (block $done (loop $l (br_if $done (i32.ge_u (local.get $i) (local.get $n)))\n"
            + "     (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load (local.get $i))\n"
            + "       (v128.load offset=256 (local.get $i)))))\n"
            + "     (local.set $acc (f32x4.sub (local.get $acc) (f32x4.div (v128.load (local.get $i)) (v128.load offset=512 (local.get $i)))))\n"
            + "     (local.set $i (i32.add (local.get $i) (i32.const 16))) (br $l)))\n"
            + "   (local.get $acc))\n"
            + " (func (export \"dot_nop\") (param $n i32) (result v128) (local $acc v128) (local $i i32)\n"
            + "   (block $done (loop $l (br_if $done (i32.ge_u (local.get $i) (local.get $n)))\n"
            + "     (local.get $acc) (v128.load (local.get $i)) (nop) (v128.load offset=256 (local.get $i)) (nop) (f32x4.mul) (f32x4.add) (local.set $acc)\n"
            + "     (local.get $acc) (v128.load (local.get $i)) (nop) (v128.load offset=512 (local.get $i)) (nop) (f32x4.div) (f32x4.sub) (local.set $acc)\n"
            + "     (local.set $i (i32.add (local.get $i) (i32.const 16))) (br $l)))\n"
            + "   (local.get $acc))\n"
            // a local only constants and f32x4 arithmetic write lives in float slots: every bit kept
            + " (func (export \"nans\") (param i32) (result v128) (local $v v128)\n"
            + "   (local.set $v (v128.const i32x4 0x7fa00001 0xffc00000 0x7f800001 0x00000001))\n"
            + "   (if (local.get 0) (then (local.set $v (f32x4.add (local.get $v) (local.get $v)))))\n"
            + "   (local.get $v))\n"
            + " (func (export \"bits\") (param v128 v128) (result i32) (i32x4.extract_lane 1 (f32x4.div (local.get 0) (local.get 1)))))";

    private static final long[] EDGES = {
        0, -1, 0x0101_0101_0101_0101L, 0x8080_8080_8080_8080L, 0x7F7F_7F7F_7F7F_7F7FL, 0x00FF_00FF_00FF_00FFL,
        0x7FC0_0000_7F80_0000L, 0xFF80_0000_8000_0000L, 0x7FA0_0001_3F80_0000L, 0x0000_0001_8000_0001L,
    };

    @Test
    void fusedPairsMatchTheInstructionsApart() throws Exception {
        Instance inst = Engine.create().compile(Wat.toBinary(WAT)).instantiate();
        SplittableRandom random = new SplittableRandom(20);
        for (int i = 0; i < 4000; i++) {
            V128 x = vector(random);
            V128 y = random.nextInt(4) == 0 ? x : mix(x, vector(random), random);
            V128 z = vector(random);
            int mask = (Integer) inst.function("eqmask").call(x, y)[0];
            assertEquals(inst.function("eqmask_nop").call(x, y)[0], mask, x + " " + y);
            assertEquals(eqMask(x, y), mask, x + " " + y);
            V128 m = (V128) inst.function("madd").call(x, y, z)[0];
            V128 apart = (V128) inst.function("madd_nop").call(x, y, z)[0];
            for (int k = 0; k < 4; k++) {
                float want = f32(x, k) + f32(y, k) * f32(z, k);
                // a NaN result may be any quiet NaN (the spec's arithmetic NaN: the JIT may commute
                // an addition, which picks the other operand's payload); every other lane exact
                String context = x + " " + y + " " + z + " lane " + k;
                assertEquals(lane(want), lane(f32(m, k)), context);
                assertEquals(lane(want), lane(f32(apart, k)), context);
            }
        }
    }

    @Test
    void f32LanesRoundALoopInALocal() throws Exception {
        Instance inst = Engine.create().compile(Wat.toBinary(WAT)).instantiate();
        float[] acc = {1.5f, -2f, 0.25f, 3f};
        float[] m = {0.5f, 4f, -1f, 2f};
        V128 a = f32x4(acc);
        V128 b = f32x4(m);
        for (int n = 0; n < 5; n++) {
            for (int k = 0; k < 4; k++) {
                acc[k] = acc[k] * m[k] + (m[k] - acc[k]);
            }
        }
        assertEquals(f32x4(acc), inst.function("chain").call(a, b, 5)[0]);
        assertEquals(Float.floatToRawIntBits(-2f / 4f), inst.function("bits").call(a, b)[0]);
        // a result made by f32x4 arithmetic (held as float lanes inside) is a V128 like any other to the host
        V128 r = (V128) inst.function("madd").call(a, b, b)[0];
        V128 want = f32x4(new float[] {1.5f + 0.25f, -2f + 16f, 0.25f + 1f, 3f + 4f});
        assertEquals(want, r);
        assertEquals(r, want);
        assertEquals(want.hashCode(), r.hashCode());
        assertEquals(want.toString(), r.toString());
        assertArrayEquals(want.toBytes(), r.toBytes());
        assertEquals(want.lo(), r.lo());
        assertEquals(want.hi(), r.hi());
    }

    @Test
    void floatFormLoadsMatchBitsFormLoads() throws Exception {
        Instance inst = Engine.create().compile(Wat.toBinary(WAT)).instantiate();
        SplittableRandom random = new SplittableRandom(21);
        byte[] mem = inst.memory("mem").buffer();
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 768; i += 4) {
                int bits = random.nextInt(8) == 0 ? (int) EDGES[random.nextInt(EDGES.length)] : Float.floatToRawIntBits(random.nextInt(-64, 64) / 8f);
                for (int b = 0; b < 4; b++) {
                    mem[i + b] = (byte) (bits >>> (8 * b));
                }
            }
            V128 fused = (V128) inst.function("dot").call(256)[0];
            V128 apart = (V128) inst.function("dot_nop").call(256)[0];
            for (int k = 0; k < 4; k++) {
                assertEquals(lane(f32(apart, k)), lane(f32(fused, k)), "round " + round + " lane " + k);
            }
        }
    }

    @Test
    void floatSlotsKeepEveryBit() throws Exception {
        Instance inst = Engine.create().compile(Wat.toBinary(WAT)).instantiate();
        V128 v = (V128) inst.function("nans").call(0)[0];
        assertEquals(0x7fa00001, v.i32(0)); // a signalling NaN, not quietened by the float slots
        assertEquals(0xffc00000, v.i32(1));
        assertEquals(0x7f800001, v.i32(2));
        assertEquals(0x00000001, v.i32(3)); // a subnormal
        V128 sum = (V128) inst.function("nans").call(1)[0];
        assertEquals("quiet NaN", lane(f32(sum, 0)));
        assertEquals(Float.floatToRawIntBits(2 * Float.MIN_VALUE), sum.i32(3));
    }

    private static String lane(float f) {
        int bits = Float.floatToRawIntBits(f);
        return Float.isNaN(f) ? ((bits & 0x0040_0000) != 0 ? "quiet NaN" : "signalling NaN") : Integer.toHexString(bits);
    }

    private static float f32(V128 v, int lane) {
        return Float.intBitsToFloat(v.i32(lane));
    }

    private static V128 f32x4(float[] f) {
        return new V128(Float.floatToRawIntBits(f[0]) & 0xFFFF_FFFFL | (long) Float.floatToRawIntBits(f[1]) << 32,
                Float.floatToRawIntBits(f[2]) & 0xFFFF_FFFFL | (long) Float.floatToRawIntBits(f[3]) << 32);
    }

    private static int eqMask(V128 x, V128 y) {
        byte[] a = x.toBytes();
        byte[] b = y.toBytes();
        int m = 0;
        for (int i = 0; i < 16; i++) {
            m |= (a[i] == b[i] ? 1 : 0) << i;
        }
        return m;
    }

    private static V128 vector(SplittableRandom r) {
        long lo = r.nextInt(3) == 0 ? EDGES[r.nextInt(EDGES.length)] : r.nextLong();
        long hi = r.nextInt(3) == 0 ? EDGES[r.nextInt(EDGES.length)] : r.nextLong();
        if (r.nextInt(3) == 0) {
            return f32x4(new float[] {r.nextInt(-50, 50) / 4f, r.nextInt(-50, 50) / 4f, Float.intBitsToFloat((int) lo), r.nextInt(3) - 1});
        }
        return new V128(lo, hi);
    }

    /** y's bytes where a random 16-bit mask says, x's elsewhere: partial matches for i8x16.eq. */
    private static V128 mix(V128 x, V128 y, SplittableRandom r) {
        long m = 0;
        int bits = r.nextInt(1 << 16);
        for (int i = 0; i < 8; i++) {
            m |= ((bits >> i & 1) != 0 ? 0xFFL : 0) << (8 * i);
        }
        long mh = 0;
        for (int i = 0; i < 8; i++) {
            mh |= ((bits >> (8 + i) & 1) != 0 ? 0xFFL : 0) << (8 * i);
        }
        return new V128(x.lo() & ~m | y.lo() & m, x.hi() & ~mh | y.hi() & mh);
    }
}
