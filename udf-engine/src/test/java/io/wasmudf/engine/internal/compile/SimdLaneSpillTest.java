package io.wasmudf.engine.internal.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.V128;
import io.wasmudf.engine.Wat;
import io.wasmudf.engine.internal.decode.ModuleDecoder;
import io.wasmudf.engine.internal.model.WasmModule;
import io.wasmudf.engine.internal.runtime.SimdLaneArray;
import io.wasmudf.engine.internal.validate.Validator;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * v128 locals read lane by lane live in a 16-byte array ({@link SimdLaneSpill}): every lane
 * shape reads what the long form reads (each function exists twice, the second with a {@code nop}
 * between {@code local.get} and the extract, which keeps its local in long slots), on random and
 * edge-case vectors and against the lanes computed here; a recursive call between a write and the
 * reads does not disturb the caller's array; a histogram loop like the benchmark kernel's counts as
 * the long form does; a local written with computed vectors keeps the long form.
 */
class SimdLaneSpillTest {
    // sum of every lane of every integer shape, each weighted by its position so no two lanes can
    // swap unnoticed; the local is written with a loaded vector (a computed one keeps the long form)
    private static String lanes(String name, String sep) {
        StringBuilder b = new StringBuilder(" (func (export \"" + name + "\") (param v128) (result i64) (local $v v128) (local $s i64)\n"
                + "   (v128.store (i32.const 0) (local.get 0)) (local.set $v (v128.load (i32.const 0)))\n");
        int w = 1;
        String[][] shapes = {{"i8x16.extract_lane_s", "16", "i32"}, {"i8x16.extract_lane_u", "16", "i32"},
            {"i16x8.extract_lane_s", "8", "i32"}, {"i16x8.extract_lane_u", "8", "i32"}, {"i32x4.extract_lane", "4", "i32"},
            {"i64x2.extract_lane", "2", "i64"}};
        for (String[] s : shapes) {
            for (int k = 0; k < Integer.parseInt(s[1]); k++) {
                String lane = "(local.get $v)" + sep + " (" + s[0] + " " + k + ")";
                String wide = s[2].equals("i64") ? lane : "(i64.extend_i32_s " + lane + ")";
                b.append("   (local.set $s (i64.add (local.get $s) (i64.mul (i64.const ").append(w++).append(") ").append(wide).append(")))\n");
            }
        }
        return b.append("   (local.get $s))\n").toString();
    }

    private static final String WAT = "(module\n"
            + lanes("lanes", "") + lanes("lanes_nop", " (nop)")
            // sets its local, recurses with another vector (whose activation writes its own local, loaded
            // from another address), then reads
            + " (func $rec (export \"rec\") (param v128 i32) (result i32) (local $v v128)\n"
            + "   (v128.store (i32.shl (local.get 1) (i32.const 4)) (local.get 0))\n"
            + "   (local.set $v (v128.load (i32.shl (local.get 1) (i32.const 4))))\n"
            + "   (if (local.get 1) (then (drop (call $rec (v128.not (local.get 0)) (i32.sub (local.get 1) (i32.const 1))))))\n"
            + "   (i32.add (i32.add (i8x16.extract_lane_u 0 (local.get $v)) (i8x16.extract_lane_u 5 (local.get $v)))\n"
            + "     (i32.add (i8x16.extract_lane_u 10 (local.get $v)) (i8x16.extract_lane_u 15 (local.get $v)))))\n"
            + " (memory (export \"mem\") 1)\n"
            // the benchmark's histogram: 16 byte lanes of each loaded vector count into 256 i32 counters at 4096
            + " (func (export \"hist\") (param $n i32) (local $v v128) (local $i i32) (local $a i32)\n"
            + "   (block $done (loop $l (br_if $done (i32.ge_u (local.get $i) (local.get $n)))\n"
            + "     (local.set $v (v128.load (local.get $i)))\n"
            + counts("")
            + "     (local.set $i (i32.add (local.get $i) (i32.const 16))) (br $l))))\n"
            + " (func (export \"hist_nop\") (param $n i32) (local $v v128) (local $i i32) (local $a i32)\n"
            + "   (block $done (loop $l (br_if $done (i32.ge_u (local.get $i) (local.get $n)))\n"
            + "     (local.set $v (v128.load (local.get $i)))\n"
            + counts(" (nop)")
            + "     (local.set $i (i32.add (local.get $i) (i32.const 16))) (br $l))))\n"
            // an accumulator computed round the loop and read lane by lane after it keeps the long form
            + " (func (export \"acc\") (param v128 i32) (result i32) (local $a v128)\n"
            + "   (block $done (loop $l (br_if $done (i32.eqz (local.get 1)))\n"
            + "     (local.set $a (i32x4.add (local.get $a) (local.get 0)))\n"
            + "     (local.set 1 (i32.sub (local.get 1) (i32.const 1))) (br $l)))\n"
            + "   (i32.add (i32.add (i32x4.extract_lane 0 (local.get $a)) (i32x4.extract_lane 1 (local.get $a)))\n"
            + "     (i32.add (i32x4.extract_lane 2 (local.get $a)) (i32x4.extract_lane 3 (local.get $a))))))";

    private static String counts(String sep) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < 16; k++) {
            b.append("     (local.set $a (i32.add (i32.const 4096) (i32.shl (local.get $v)").append(sep)
                    .append(" (i8x16.extract_lane_u ").append(k).append(") (i32.const 2))))\n")
                    .append("     (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))\n");
        }
        return b.toString();
    }

    private static final long[] EDGES = {0, -1, 0x8080_8080_8080_8080L, 0x7F7F_7F7F_7F7F_7F7FL, 0x0123_4567_89AB_CDEFL, 0xFF00_FF00_8000_7FFFL};

    @Test
    void arrayFormReadsEveryLaneAsTheLongFormDoes() throws Exception {
        Instance inst = Engine.create().compile(Wat.toBinary(WAT)).instantiate();
        SplittableRandom random = new SplittableRandom(22);
        for (int i = 0; i < 3000; i++) {
            V128 v = i < EDGES.length * EDGES.length ? new V128(EDGES[i % EDGES.length], EDGES[i / EDGES.length])
                    : new V128(random.nextLong(), random.nextLong());
            long got = (Long) inst.function("lanes").call(v)[0];
            assertEquals(expected(v), got, v.toString());
            assertEquals(inst.function("lanes_nop").call(v)[0], got, v.toString());
        }
    }

    @Test
    void eachCallHasItsOwnArray() throws Exception {
        Instance inst = Engine.create().compile(Wat.toBinary(WAT)).instantiate();
        SplittableRandom random = new SplittableRandom(23);
        for (int i = 0; i < 200; i++) {
            V128 v = new V128(random.nextLong(), random.nextLong());
            byte[] b = v.toBytes();
            int want = (b[0] & 0xFF) + (b[5] & 0xFF) + (b[10] & 0xFF) + (b[15] & 0xFF);
            assertEquals(want, inst.function("rec").call(v, i % 4)[0], v + " depth " + (i % 4));
            assertEquals(7 * (v.i32(0) + v.i32(1) + v.i32(2) + v.i32(3)), inst.function("acc").call(v, 7)[0], v.toString());
        }
    }

    @Test
    void histogramLoopCountsAsTheLongForm() throws Exception {
        Instance inst = Engine.create().compile(Wat.toBinary(WAT)).instantiate();
        byte[] mem = inst.memory("mem").buffer();
        SplittableRandom random = new SplittableRandom(24);
        for (int i = 0; i < 4096; i++) {
            mem[i] = (byte) (random.nextInt(3) == 0 ? 7 : random.nextInt(256));
        }
        int[] want = new int[256];
        for (int i = 0; i < 4096; i++) {
            want[mem[i] & 0xFF]++;
        }
        inst.function("hist").call(4096);
        assertEquals(java.util.Arrays.toString(want), java.util.Arrays.toString(counters(mem)));
        java.util.Arrays.fill(mem, 4096, 4096 + 1024, (byte) 0);
        inst.function("hist_nop").call(4096);
        assertEquals(java.util.Arrays.toString(want), java.util.Arrays.toString(counters(mem)));
    }

    @Test
    void onlyLocalsReadLaneByLaneTakeTheArrayForm() throws Exception {
        assumeTrue(SimdLaneArray.USABLE, "the array form needs -Dwasmudf.simd.laneArrays=true (the lane-arrays surefire run), Unsafe, little-endian");
        WasmModule module = ModuleDecoder.decode(Wat.toBinary(WAT));
        Validator.validate(module);
        Map<String, Set<String>> calls = GeneratedCalls.byMethod(ModuleCompiler.compile(module, ModuleCompiler.Checks.NONE).bytes());
        // functions in index order: lanes, lanes_nop, rec, hist, hist_nop, acc
        assertTrue(calls.get("f0").contains("SimdLaneArray.i8x16_extract_lane_u"), calls.get("f0").toString());
        assertTrue(calls.get("f0").contains("SimdLaneArray.i64x2_extract_lane"), calls.get("f0").toString());
        assertFalse(calls.get("f1").stream().anyMatch(c -> c.startsWith("SimdLaneArray")), calls.get("f1").toString());
        assertTrue(calls.get("f2").contains("SimdLaneArray.i8x16_extract_lane_u"), calls.get("f2").toString());
        assertTrue(calls.get("f3").contains("SimdLaneArray.set"), calls.get("f3").toString());
        assertFalse(calls.get("f4").stream().anyMatch(c -> c.startsWith("SimdLaneArray")), calls.get("f4").toString());
        assertFalse(calls.get("f5").stream().anyMatch(c -> c.startsWith("SimdLaneArray")), calls.get("f5").toString());
    }

    private static int[] counters(byte[] mem) {
        int[] c = new int[256];
        for (int k = 0; k < 256; k++) {
            int a = 4096 + 4 * k;
            c[k] = mem[a] & 0xFF | (mem[a + 1] & 0xFF) << 8 | (mem[a + 2] & 0xFF) << 16 | mem[a + 3] << 24;
        }
        return c;
    }

    private static long expected(V128 v) {
        byte[] b = v.toBytes();
        long s = 0;
        long w = 1;
        for (int k = 0; k < 16; k++) {
            s += w++ * b[k];
        }
        for (int k = 0; k < 16; k++) {
            s += w++ * (b[k] & 0xFF);
        }
        for (int k = 0; k < 8; k++) {
            s += w++ * (short) (b[2 * k] & 0xFF | b[2 * k + 1] << 8);
        }
        for (int k = 0; k < 8; k++) {
            s += w++ * (b[2 * k] & 0xFF | (b[2 * k + 1] & 0xFF) << 8);
        }
        for (int k = 0; k < 4; k++) {
            s += w++ * v.i32(k);
        }
        s += w++ * v.lo();
        s += w * v.hi();
        return s;
    }
}
