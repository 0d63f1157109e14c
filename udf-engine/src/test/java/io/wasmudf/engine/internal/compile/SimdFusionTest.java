package io.wasmudf.engine.internal.compile;

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
 * (two helper calls), and both run on random and edge-case vectors. The v128 results cross the
 * API, so V128's two forms (bits, f32 lanes) are compared by bits too.
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
            assertEquals(inst.function("madd_nop").call(x, y, z)[0], m, x + " " + y + " " + z);
            for (int k = 0; k < 4; k++) {
                float want = x.f32(k) + y.f32(k) * z.f32(k);
                float got = m.f32(k);
                // NaN results are any arithmetic NaN; every other lane exact
                assertEquals(Float.isNaN(want) ? "NaN" : Integer.toHexString(Float.floatToRawIntBits(want)),
                        Float.isNaN(got) ? "NaN" : Integer.toHexString(Float.floatToRawIntBits(got)));
            }
        }
    }

    @Test
    void floatLanesSurviveLocalsLoopsAndBitReads() throws Exception {
        Instance inst = Engine.create().compile(Wat.toBinary(WAT)).instantiate();
        V128 a = V128.ofF32x4(1.5f, -2f, 0.25f, 3f);
        V128 b = V128.ofF32x4(0.5f, 4f, -1f, 2f);
        float[] acc = {1.5f, -2f, 0.25f, 3f};
        float[] m = {0.5f, 4f, -1f, 2f};
        for (int n = 0; n < 5; n++) {
            for (int k = 0; k < 4; k++) {
                acc[k] = acc[k] * m[k] + (m[k] - acc[k]);
            }
        }
        assertEquals(V128.ofF32x4(acc[0], acc[1], acc[2], acc[3]), inst.function("chain").call(a, b, 5)[0]);
        assertEquals(Float.floatToRawIntBits(-2f / 4f), inst.function("bits").call(a, b)[0]);
    }

    @Test
    void theTwoFormsOfAVectorAreOneValue() {
        V128 f = V128.ofF32x4(1f, -0f, Float.intBitsToFloat(0x7FC0_0001), 2.5f);
        V128 b = new V128((long) Float.floatToRawIntBits(-0f) << 32 | Float.floatToRawIntBits(1f),
                (long) Float.floatToRawIntBits(2.5f) << 32 | 0x7FC0_0001L);
        assertEquals(b, f);
        assertEquals(f, b);
        assertEquals(b.hashCode(), f.hashCode());
        assertEquals(b.toString(), f.toString());
        assertEquals(0x7FC0_0001, f.i32(2));
        assertEquals(0x7FC0_0001, Float.floatToRawIntBits(b.f32(2)));
        assertEquals(new V128(f.lo(), f.hi()), V128.ofBytes(f.toBytes()));
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
            return V128.ofF32x4(r.nextInt(-50, 50) / 4f, r.nextInt(-50, 50) / 4f, Float.intBitsToFloat((int) lo), r.nextInt(3) - 1);
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
