package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.compile.LoopsApart.assertDeadlineStopsSpin;
import static io.wasmudf.engine.internal.compile.LoopsApart.assertFuelRunsOutAtTheSameIteration;
import static io.wasmudf.engine.internal.compile.LoopsApart.assertTrap;
import static io.wasmudf.engine.internal.compile.LoopsApart.helperCalls;
import static io.wasmudf.engine.internal.compile.LoopsApart.validated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.TrapKind;
import io.wasmudf.engine.Wat;
import io.wasmudf.engine.internal.model.WasmModule;
import io.wasmudf.engine.internal.runtime.SimdDotLoop;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dot-product loops run as one vector helper call ({@link DotLoops}) behave as the same loops
 * compiled iteration by iteration: each function exists as written (recognised) and with a filler
 * in its loop body that stops recognition ({@code nop nop}, the same fuel as the recognised {@code
 * i32.const 0 drop}); both return their accumulator's four lanes as bits, which must be identical,
 * on random floats (subnormals, infinities, NaNs with payloads included) at every alignment and
 * length, up to and past the memory's end (the same trap after the same fuel), with fuel running
 * out inside the loop, and against Java's own sums. Needs {@code --add-modules jdk.incubator.vector}
 * (this module's surefire configuration has it).
 */
class DotLoopsTest {
    private static final int PAGE = 65536;

    /** The functions; %X% marks where the filler goes. */
    private static final String FUNCS =
            // benchmark-queries/kernels/simd.c dot_f32 as clang -O2 -msimd128 compiles it (a main loop
            // unrolled four times, a tail loop), returning the accumulator's lanes as bits
            " (func (export \"dot%N%\") (param i32 i32 i32) (result i32 i32 i32 i32) (local v128 i32 i32 i32 i32 i32) block\n"
            + " block local.get 2 br_if 0 v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000 local.set 3 br 1 end\n"
            + " local.get 2 i32.const -1 i32.add local.tee 2 i32.const 2 i32.shr_u i32.const 1 i32.add local.tee 4 i32.const 3\n"
            + " i32.and local.set 5 block block local.get 2 i32.const 12 i32.ge_u br_if 0 v128.const i32x4 0x00000000\n"
            + " 0x00000000 0x00000000 0x00000000 local.set 3 i32.const 0 local.set 6 br 1 end local.get 4 i32.const 2147483644\n"
            + " i32.and local.set 7 v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000 local.set 3 i32.const 0\n"
            + " local.set 2 i32.const 0 local.set 6 loop local.get 3 local.get 0 local.get 2 i32.add local.tee 4 v128.load\n"
            + " align=1 local.get 1 local.get 2 i32.add local.tee 8 v128.load align=1 f32x4.mul f32x4.add local.get 4\n"
            + " i32.const 16 i32.add v128.load align=1 local.get 8 i32.const 16 i32.add v128.load align=1 f32x4.mul f32x4.add\n"
            + " local.get 4 i32.const 32 i32.add v128.load align=1 local.get 8 i32.const 32 i32.add v128.load align=1\n"
            + " f32x4.mul f32x4.add local.get 4 i32.const 48 i32.add v128.load align=1 local.get 8 i32.const 48 i32.add\n"
            + " v128.load align=1 f32x4.mul f32x4.add local.set 3 %X% local.get 2 i32.const 64 i32.add local.set 2 local.get 6\n"
            + " i32.const 16 i32.add local.set 6 local.get 7 i32.const -4 i32.add local.tee 7 br_if 0 end end local.get 5\n"
            + " i32.eqz br_if 0 local.get 0 local.get 6 i32.const 2 i32.shl local.tee 4 i32.add local.set 2 local.get 1\n"
            + " local.get 4 i32.add local.set 4 loop local.get 3 local.get 2 v128.load align=1 local.get 4 v128.load align=1\n"
            + " f32x4.mul f32x4.add local.set 3 %X% local.get 2 i32.const 16 i32.add local.set 2 local.get 4 i32.const 16\n"
            + " i32.add local.set 4 local.get 5 i32.const -1 i32.add local.tee 5 br_if 0 end end local.get 3\n"
            + " i32x4.extract_lane 0 local.get 3 i32x4.extract_lane 1 local.get 3 i32x4.extract_lane 2 local.get 3\n"
            + " i32x4.extract_lane 3)\n"
            // hand-written: pointers, load offsets, a start value, a guard a < end
            + " (func (export \"dotp%N%\") (param $a i32) (param $b i32) (param $end i32) (result i32 i32 i32 i32) (local $acc v128)\n"
            + "  (local.set $acc (v128.const f32x4 0.5 -0 1 -2.25))\n"
            + "  (block $out\n"
            + "   (br_if $out (i32.ge_u (local.get $a) (local.get $end)))\n"
            + "   (loop $l\n"
            + "    (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load offset=3 (local.get $a)) (v128.load offset=5 (local.get $b))))) %X%\n"
            + "    (local.set $b (i32.add (local.get $b) (i32.const 16)))\n"
            + "    (br_if $l (i32.lt_u (local.tee $a (i32.add (local.get $a) (i32.const 16))) (local.get $end)))))\n"
            + "  (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc))\n"
            + "  (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))\n"
            // hand-written: two products per iteration, the second by offset=16, a guard i != n, a loop-invariant b base
            + " (func (export \"dot2%N%\") (param $a i32) (param $b i32) (param $n i32) (result i32 i32 i32 i32) (local $acc v128) (local $i i32)\n"
            + "  (loop $l\n"
            + "   (local.set $acc (f32x4.add (f32x4.add (local.get $acc)\n"
            + "     (f32x4.mul (v128.load (i32.add (local.get $a) (local.get $i))) (v128.load (i32.add (local.get $b) (local.get $i)))))\n"
            + "     (f32x4.mul (v128.load offset=16 (i32.add (local.get $a) (local.get $i)))\n"
            + "                (v128.load (i32.add (local.get $b) (i32.add (local.get $i) (i32.const 16))))))) %X%\n"
            + "   (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 32))) (local.get $n))))\n"
            + "  (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc))\n"
            + "  (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))\n";

    /** Not a dot-product loop in the sense of DotLoopShape: the second product's loads leave a gap. */
    private static final String GAP = " (func (export \"gap\") (param $a i32) (param $n i32) (result i32) (local $acc v128) (local $i i32)\n"
            + "  (loop $l\n"
            + "   (local.set $acc (f32x4.add (f32x4.add (local.get $acc)\n"
            + "     (f32x4.mul (v128.load (i32.add (local.get $a) (local.get $i))) (v128.load (i32.add (local.get $a) (local.get $i)))))\n"
            + "     (f32x4.mul (v128.load offset=32 (i32.add (local.get $a) (local.get $i))) (v128.load offset=32 (local.get $i)))))\n"
            + "   (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 32))) (local.get $n))))\n"
            + "  (i32x4.extract_lane 0 (local.get $acc)))\n";

    static final String MODULE = LoopsApart.module(2, FUNCS, GAP);

    @BeforeAll
    static void vectorApi() {
        assumeTrue(SimdDotLoop.USABLE, "run with --add-modules jdk.incubator.vector");
    }

    @Test
    void recognisesTheKernelLoopsAndNotTheirVariantsApart() throws Exception {
        WasmModule module = validated(MODULE);
        for (ModuleCompiler.Checks checks : LoopsApart.CHECKS) {
            List<String> calls = dotCalls(ModuleCompiler.compile(module, checks).bytes());
            // dot's main and tail loop, dotp's, dot2's; none of the functions apart nor gap's
            assertEquals(4, calls.size(), calls.toString());
            assertEquals(3, calls.stream().distinct().count(), calls.toString());
        }
    }

    @Test
    void sumsMatchTheLoopsApartAndJava() throws Exception {
        sumRandomMemory(Engine.create(), 2); // (most likely) before the vector loop is ready: the plain loop
        assertTrue(SimdDotLoop.awaitVector(60_000), "the vector loop is compiled");
        sumRandomMemory(Engine.create(), 12);
        sumRandomMemory(Engine.builder().fuel(true).interruptible(true).build(), 4); // with the header's checks
    }

    private static void sumRandomMemory(Engine engine, int rounds) throws Exception {
        Instance inst = engine.compile(Wat.toBinary(MODULE)).instantiate();
        byte[] mem = inst.memory("mem").buffer();
        SplittableRandom random = new SplittableRandom(20);
        for (int round = 0; round < rounds; round++) {
            fill(mem, random, round % 3 == 2);
            for (int k = 0; k < 40; k++) {
                int a = random.nextInt(PAGE);
                int b = random.nextInt(PAGE);
                int n = k < 8 ? k : k < 20 ? random.nextInt(40) : random.nextInt(PAGE / 16) * 4 + random.nextInt(4);
                n = Math.min(n, (2 * PAGE - Math.max(a, b)) / 4 - 4); // in bounds
                n = Math.max(n, 0);
                String where = "a=" + a + " b=" + b + " n=" + n;
                int[] want = javaDot(mem, a, b, (n + 3) / 4, new float[4]);
                assertEquals(Arrays.toString(want), lanes(inst, "dot", a, b, n), where);
                assertEquals(Arrays.toString(want), lanes(inst, "dot_apart", a, b, n), where);
                int vectors = n / 4;
                int[] wantP = javaDot(mem, a + 3, b + 5, vectors, new float[] {0.5f, -0f, 1, -2.25f});
                assertEquals(Arrays.toString(wantP), lanes(inst, "dotp", a, b, a + 16 * vectors), where);
                assertEquals(Arrays.toString(wantP), lanes(inst, "dotp_apart", a, b, a + 16 * vectors), where);
                int bytes = 32 * Math.max(1, n / 8);
                int[] want2 = javaDot(mem, a, b, bytes / 16, new float[4]);
                assertEquals(Arrays.toString(want2), lanes(inst, "dot2", a, b, bytes), where);
                assertEquals(Arrays.toString(want2), lanes(inst, "dot2_apart", a, b, bytes), where);
            }
        }
    }

    /**
     * Random little-endian floats: mostly moderate values; with {@code special}, one in 8 a
     * subnormal, an infinity, a zero of either sign or a NaN with a random payload.
     */
    private static void fill(byte[] mem, SplittableRandom random, boolean special) {
        ByteBuffer bb = ByteBuffer.wrap(mem).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 4 <= mem.length; i += 4) {
            int bits = random.nextInt() & 0x807F_FFFF | (118 + random.nextInt(20)) << 23;
            if (special && random.nextInt(8) == 0) {
                int sign = random.nextInt() & 0x8000_0000;
                switch (random.nextInt(4)) {
                    case 0: bits = sign | random.nextInt(0x80_0000); break;
                    case 1: bits = sign | 0x7F80_0000; break;
                    case 2: bits = sign; break;
                    default: bits = sign | 0x7F80_0000 | 1 + random.nextInt(0x7F_FFFF); break;
                }
            }
            bb.putInt(i, bits);
        }
        // any alignment: shift by a random byte count
        int shift = random.nextInt(4);
        System.arraycopy(mem, 0, mem, shift, mem.length - shift);
    }

    /** The accumulator's lane bits after adding the products of n vectors from a and b, lane by lane in order. */
    private static int[] javaDot(byte[] mem, int a, int b, int n, float[] acc) {
        ByteBuffer bb = ByteBuffer.wrap(mem).order(ByteOrder.LITTLE_ENDIAN);
        float[] s = acc.clone();
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < 4; l++) {
                s[l] += bb.getFloat(a + 16 * i + 4 * l) * bb.getFloat(b + 16 * i + 4 * l);
            }
        }
        int[] bits = new int[4];
        for (int l = 0; l < 4; l++) {
            // a NaN's payload is the machine's choice (Wasm allows any): compare NaNs as the canonical one
            bits[l] = Float.isNaN(s[l]) ? 0x7FC0_0000 : Float.floatToRawIntBits(s[l]);
        }
        return bits;
    }

    private static String lanes(Instance inst, String name, Object... args) {
        Object[] r = inst.function(name).call(args);
        int[] bits = new int[4];
        for (int l = 0; l < 4; l++) {
            int v = (Integer) r[l];
            bits[l] = Float.isNaN(Float.intBitsToFloat(v)) ? 0x7FC0_0000 : v;
        }
        return Arrays.toString(bits);
    }

    /**
     * NaNs in the inputs: each lane is NaN exactly where the loop apart gives NaN, and an arithmetic
     * (quiet) NaN as Wasm requires; which input's payload it carries is not fixed (Wasm allows any,
     * and C2 may order a vector add's operands either way), everything else is bit for bit.
     */
    @Test
    void nanLanesAreTheLoopsApartAndQuiet() throws Exception {
        assertTrue(SimdDotLoop.awaitVector(60_000), "the vector loop is compiled");
        Instance inst = Engine.create().compile(Wat.toBinary(MODULE)).instantiate();
        byte[] mem = inst.memory("mem").buffer();
        SplittableRandom random = new SplittableRandom(7);
        int nans = 0;
        for (int round = 0; round < 6; round++) {
            fill(mem, random, true);
            for (int k = 0; k < 20; k++) {
                int a = random.nextInt(PAGE);
                int b = random.nextInt(PAGE);
                int n = 4 * random.nextInt(200);
                String where = "a=" + a + " b=" + b + " n=" + n;
                Object[] want = inst.function("dot_apart").call(a, b, n);
                Object[] got = inst.function("dot").call(a, b, n);
                for (int l = 0; l < 4; l++) {
                    float w = Float.intBitsToFloat((Integer) want[l]);
                    float g = Float.intBitsToFloat((Integer) got[l]);
                    assertEquals(Float.isNaN(w), Float.isNaN(g), where);
                    if (Float.isNaN(g)) {
                        assertTrue(((Integer) got[l] & 0x0040_0000) != 0, where + " quiet NaN");
                        nans++;
                    } else {
                        assertEquals(want[l], got[l], where);
                    }
                }
            }
        }
        assertTrue(nans > 10, "NaN lanes: " + nans);
    }

    @Test
    void loopsPastTheEndTrapAfterTheSameFuel() throws Exception {
        Engine engine = Engine.builder().fuel(true).build();
        Instance inst = engine.compile(Wat.toBinary(MODULE)).instantiate();
        fill(inst.memory("mem").buffer(), new SplittableRandom(3), false);
        int end = 2 * PAGE;
        int[] starts = {0, 5, end - 4096 - 3, end - 1000, end - 65, end - 64, end - 17, end - 16, end - 15, end - 1, end, -1, -16,
            -4096, Integer.MIN_VALUE, Integer.MAX_VALUE};
        for (int a : starts) {
            for (int b : new int[] {a, 100, end - 16 * 40}) {
                for (int n : new int[] {4 * 100, 4 * 100 + 3, -1}) {
                    for (String name : new String[] {"dot", "dotp", "dot2"}) {
                        int third = name.equals("dotp") ? a + 4 * n : name.equals("dot2") ? 32 * (n / 4 / 2) : n;
                        String want = outcome(inst, name + "_apart", a, b, third);
                        assertEquals(want, outcome(inst, name, a, b, third), name + " a=" + a + " b=" + b + " n=" + n);
                    }
                }
            }
        }
        // in bounds up to the last byte: no trap, by both
        int n = 4 * 40;
        assertEquals(lanes(inst, "dot_apart", end - 16 * 40, end - 16 * 40, n), lanes(inst, "dot", end - 16 * 40, end - 16 * 40, n));
        assertTrap(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, () -> inst.function("dot").call(end - 16 * 40 + 1, 0, n));
        assertTrap(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, () -> inst.function("dot").call(0, end - 16 * 40 + 1, n));
    }

    @Test
    void fuelRunsOutAtTheSameIteration() throws Exception {
        Engine engine = Engine.builder().fuel(true).build();
        Instance inst = engine.compile(Wat.toBinary(MODULE)).instantiate();
        fill(inst.memory("mem").buffer(), new SplittableRandom(5), false);
        Object[][] calls = {{"dot", 100, 40000, 4 * 300 + 2}, {"dotp", 7, 33, 7 + 16 * 250}, {"dot2", 64, 1000, 32 * 100}};
        // every budget from some iterations short to enough: the same outcome and fuel left
        assertFuelRunsOutAtTheSameIteration(inst, DotLoopsTest::lanes, calls);
    }

    @Test
    void aDeadlineStopsRepeatedLoops() throws Exception {
        // the dot loop over all 16 pages, repeated forever by an outer loop
        String wat = "(module (memory (export \"mem\") 16)\n"
                + " (func (export \"spin\") (local $acc v128) (local $i i32)\n"
                + "  (loop $outer\n"
                + "   (local.set $i (i32.const 0))\n"
                + "   (loop $l\n"
                + "    (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (v128.load (local.get $i)) (v128.load (local.get $i)))))\n"
                + "    (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 16))) (i32.const 1048576))))\n"
                + "   (br $outer))))";
        Engine engine = Engine.builder().interruptible(true).build();
        Instance inst = engine.compile(Wat.toBinary(wat)).instantiate();
        assertEquals(1, dotCalls(ModuleCompiler.compile(validated(wat), ModuleCompiler.Checks.NONE).bytes()).size());
        assertDeadlineStopsSpin(inst);
    }

    /** The generated methods that call the vector dot product, once per call site. */
    private static List<String> dotCalls(byte[] classFile) {
        return helperCalls(classFile, "SimdDotLoop", "dot");
    }

    /** The lanes or trap of a call with plenty of fuel, and the fuel left after it. */
    private static String outcome(Instance inst, String name, Object... args) {
        return LoopsApart.outcome(inst, DotLoopsTest::lanes, name, args);
    }
}
