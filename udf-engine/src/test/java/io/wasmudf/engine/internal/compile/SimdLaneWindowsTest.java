package io.wasmudf.engine.internal.compile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.Trap;
import io.wasmudf.engine.Wat;
import io.wasmudf.engine.internal.decode.ModuleDecoder;
import io.wasmudf.engine.internal.model.WasmModule;
import io.wasmudf.engine.internal.runtime.SimdLaneArray;
import io.wasmudf.engine.internal.runtime.SimdLaneWindow;
import io.wasmudf.engine.internal.validate.Validator;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Lane reads from the memory array ({@link SimdLaneWindows}): byte histograms like the benchmark
 * kernel's (set and tee forms) count as Wasm says, checked against a Java model that reads each
 * vector once, also when the counters lie inside the scanned bytes, so that a counter store hits
 * the vector whose lanes are still being read (the copy must be used there); each against the
 * same function with a {@code nop} before its extracts (no window: the long form), with the same
 * memory after a trap at the memory's end; a store with an unbounded address keeps the long form.
 */
class SimdLaneWindowsTest {
    private static final int C = 4096; // the 256 i32 counters: [4096, 5120)

    private static String hist(String name, boolean tee, String sep) {
        StringBuilder b = new StringBuilder(" (func (export \"" + name + "\") (param $p i32) (param $n i32) (local $v v128) (local $i i32) (local $a i32)\n"
                + "   (block $done (loop $l (br_if $done (i32.ge_u (local.get $i) (local.get $n)))\n");
        for (int k = 0; k < 16; k++) {
            String lane = k == 0 && tee ? "(local.tee $v (v128.load (i32.add (local.get $p) (local.get $i))))"
                    : "(local.get $v)" + sep;
            if (k == 0 && !tee) {
                b.append("     (local.set $v (v128.load (i32.add (local.get $p) (local.get $i))))\n");
            }
            // clang's order (the constant after the shift): a value pushed before the window is unknown to it
            b.append("     (local.set $a (i32.add (i32.shl ").append(lane)
                    .append(" (i8x16.extract_lane_u ").append(k).append(") (i32.const 2)) (i32.const ").append(C).append(")))\n")
                    .append("     (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))\n");
        }
        return b.append("     (local.set $i (i32.add (local.get $i) (i32.const 16))) (br $l))))\n").toString();
    }

    private static final String WAT = "(module (memory (export \"mem\") 1)\n"
            + hist("hist", false, "") + hist("hist_tee", true, "") + hist("hist_nop", false, " (nop)")
            // the counter's address comes from a parameter: no bound, so no window
            + " (func (export \"unbounded\") (param $p i32) (param $q i32) (result i32) (local $v v128)\n"
            + "   (local.set $v (v128.load (local.get $p)))\n"
            + "   (i32.store (local.get $q) (i32.const -1))\n"
            + "   (i32.add (i32.add (i8x16.extract_lane_u 0 (local.get $v)) (i8x16.extract_lane_u 1 (local.get $v)))\n"
            + "     (i32.add (i8x16.extract_lane_u 2 (local.get $v)) (i8x16.extract_lane_u 3 (local.get $v))))))";

    /** The histogram as Wasm defines it: each vector read once, its 16 counters incremented in lane order. */
    private static void model(byte[] mem, int p, int n) {
        for (int i = 0; i < n; i += 16) {
            byte[] v = Arrays.copyOfRange(mem, p + i, p + i + 16);
            for (int k = 0; k < 16; k++) {
                int a = C + 4 * (v[k] & 0xFF);
                int c = (mem[a] & 0xFF | (mem[a + 1] & 0xFF) << 8 | (mem[a + 2] & 0xFF) << 16 | mem[a + 3] << 24) + 1;
                mem[a] = (byte) c;
                mem[a + 1] = (byte) (c >> 8);
                mem[a + 2] = (byte) (c >> 16);
                mem[a + 3] = (byte) (c >> 24);
            }
        }
    }

    @Test
    void histogramsCountAsWasmSaysAlsoWhenTheCountersAreScanned() throws Exception {
        Instance inst = Engine.create().compile(Wat.toBinary(WAT)).instantiate();
        SplittableRandom random = new SplittableRandom(31);
        // [0, 4096): disjoint from the counters; [0, 8192) and [C - 16, C + 1040): vectors that the stores hit
        int[][] runs = {{0, 4096}, {0, 8192}, {C - 16, 1056}, {C + 8, 1024}, {C + 1, 4080}};
        for (String f : new String[] {"hist", "hist_tee", "hist_nop"}) {
            for (int[] run : runs) {
                for (int round = 0; round < 20; round++) {
                    byte[] mem = inst.memory("mem").buffer();
                    for (int i = 0; i < 16384; i++) {
                        // small bytes so that counters (and the vectors over them) take values below 256 often
                        mem[i] = (byte) (round % 2 == 0 ? random.nextInt(256) : random.nextInt(4));
                    }
                    byte[] want = Arrays.copyOf(mem, 16384);
                    model(want, run[0], run[1]);
                    inst.function(f).call(run[0], run[1]);
                    assertArrayEquals(want, Arrays.copyOf(inst.memory("mem").buffer(), 16384), f + " " + Arrays.toString(run) + " round " + round);
                }
            }
        }
    }

    @Test
    void aLoadPastTheEndTrapsAfterTheSameStores() throws Exception {
        Instance inst = Engine.create().compile(Wat.toBinary(WAT)).instantiate();
        byte[][] after = new byte[3][];
        String[] fs = {"hist", "hist_tee", "hist_nop"};
        for (int k = 0; k < fs.length; k++) {
            byte[] mem = inst.memory("mem").buffer();
            SplittableRandom random = new SplittableRandom(32);
            for (int i = 0; i < mem.length; i++) {
                mem[i] = (byte) random.nextInt(256);
            }
            String f = fs[k];
            // the last vector starts 8 bytes before the end of the 64 KiB memory
            assertThrows(Trap.class, () -> inst.function(f).call(65536 - 8 - 64, 80));
            after[k] = inst.memory("mem").buffer().clone();
        }
        assertArrayEquals(after[2], after[0]);
        assertArrayEquals(after[2], after[1]);
    }

    @Test
    void unboundedStoresKeepTheLongForm() throws Exception {
        Instance inst = Engine.create().compile(Wat.toBinary(WAT)).instantiate();
        byte[] mem = inst.memory("mem").buffer();
        for (int i = 0; i < 16; i++) {
            mem[100 + i] = (byte) (10 + i);
        }
        // the store overwrites lanes 0-3 after the load: the loaded lanes count
        assertEquals(10 + 11 + 12 + 13, inst.function("unbounded").call(100, 100)[0]);
        assertEquals(-1, mem[100]);
    }

    @Test
    void windowsAreWhereTheStoresAreBounded() throws Exception {
        assumeTrue(SimdLaneWindow.USABLE && !SimdLaneArray.USABLE, "lane windows need Unsafe, little-endian, lane arrays off");
        WasmModule module = ModuleDecoder.decode(Wat.toBinary(WAT));
        Validator.validate(module);
        Map<String, Set<String>> calls = GeneratedCalls.byMethod(ModuleCompiler.compile(module, ModuleCompiler.Checks.NONE).bytes());
        // functions in index order: hist, hist_tee, hist_nop, unbounded
        for (String f : new String[] {"f0", "f1"}) {
            assertTrue(calls.get(f).contains("SimdLaneWindow.disjoint"), f + " " + calls.get(f));
            assertTrue(calls.get(f).contains("SimdLaneWindow.i8x16_extract_lane_u"), f + " " + calls.get(f));
        }
        for (String f : new String[] {"f2", "f3"}) {
            assertFalse(calls.get(f).stream().anyMatch(c -> c.startsWith("SimdLaneWindow")), f + " " + calls.get(f));
        }
    }
}
