package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.compile.LoopsApart.assertDeadlineStopsSpin;
import static io.wasmudf.engine.internal.compile.LoopsApart.assertFuelRunsOutAtTheSameIteration;
import static io.wasmudf.engine.internal.compile.LoopsApart.assertTrap;
import static io.wasmudf.engine.internal.compile.LoopsApart.helperCalls;
import static io.wasmudf.engine.internal.compile.LoopsApart.validated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.TrapKind;
import io.wasmudf.engine.Wat;
import io.wasmudf.engine.internal.model.WasmModule;
import io.wasmudf.engine.internal.runtime.SimdDotLoop;
import io.wasmudf.engine.internal.runtime.SimdScanLoop;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scan loops counted in one helper call ({@link ScanLoops}) behave as the same loops compiled
 * iteration by iteration: each function exists as written (recognised) and with a filler inside
 * its loop body that stops recognition ({@code nop nop}, the same fuel as the recognised {@code
 * i32.const 0 drop}); both run on random memory with matches planted at every lane, up to and past
 * the memory's end (the same trap after the same fuel), with fuel running out inside the scan,
 * and against Java. The shapes are those clang -O2 -msimd128 gives the benchmark's kernels.
 */
class ScanLoopsTest {
    private static final int PAGE = 65536;

    /** The functions; %X% marks where the filler goes. */
    private static final String FUNCS =
            // benchmark-queries/kernels/simd.c str_len as clang compiles it
            " (func (export \"strlen%N%\") (param i32) (result i32) (local i32 i32 i32)\n"
            + "  i32.const 0 local.set 1\n"
            + "  loop\n"
            + "   local.get 0 local.get 1 i32.add local.set 2\n"
            + "   local.get 1 i32.const 16 i32.add local.tee 3 local.set 1 %X%\n"
            + "   local.get 2 v128.load align=1 v128.const i32x4 0 0 0 0 i8x16.eq i8x16.bitmask local.tee 2 i32.eqz br_if 0\n"
            + "  end\n"
            + "  local.get 2 i32.ctz local.get 3 i32.add i32.const -16 i32.add)\n"
            // find_byte: first index of byte c in [p, p + len), or len; its scalar tail inside the loop
            + " (func (export \"memchr%N%\") (param i32 i32 i32) (result i32) (local v128 i32 i32 i32)\n"
            + "  local.get 1 i8x16.splat local.set 3 i32.const 0 local.set 4\n"
            + "  block\n"
            + "   loop\n"
            + "    block\n"
            + "     local.get 4 i32.const 16 i32.add local.tee 5 local.get 2 i32.le_u br_if 0\n"
            + "     local.get 4 local.get 2 i32.ge_u br_if 2\n"
            + "     loop\n"
            + "      block local.get 0 local.get 4 i32.add i32.load8_u local.get 1 i32.ne br_if 0 local.get 4 return end\n"
            + "      local.get 2 local.get 4 i32.const 1 i32.add local.tee 4 i32.ne br_if 0\n"
            + "      br 3\n"
            + "     end\n"
            + "    end\n"
            + "    local.get 0 local.get 4 i32.add local.set 6 local.get 5 local.set 4 %X%\n"
            + "    local.get 6 v128.load align=1 local.get 3 i8x16.eq i8x16.bitmask local.tee 6 i32.eqz br_if 0\n"
            + "   end\n"
            + "   local.get 6 i32.ctz local.get 5 i32.add i32.const -16 i32.add local.set 2\n"
            + "  end\n"
            + "  local.get 2)\n"
            // strlen's loop with a needle whose halves differ (SimdScanLoop's third loop): c in lane 8, zero elsewhere
            + " (func (export \"lanescan%N%\") (param i32 i32) (result i32) (local v128 i32 i32 i32)\n"
            + "  v128.const i64x2 0 0 local.get 1 i64.extend_i32_u i64x2.replace_lane 1 local.set 2 i32.const 0 local.set 3\n"
            + "  loop\n"
            + "   local.get 0 local.get 3 i32.add local.set 4\n"
            + "   local.get 3 i32.const 16 i32.add local.tee 5 local.set 3 %X%\n"
            + "   local.get 4 v128.load align=1 local.get 2 i8x16.eq i8x16.bitmask local.tee 4 i32.eqz br_if 0\n"
            + "  end\n"
            + "  local.get 4 i32.ctz local.get 5 i32.add i32.const -16 i32.add)\n"
            // hand-written: a pointer stepped by 16, an offset, the exit by if/return, a guard that leaves the loop
            + " (func (export \"ptrscan%N%\") (param $p i32) (param $c i32) (param $end i32) (result i32) (local $n v128) (local $m i32)\n"
            + "  (local.set $n (i8x16.splat (local.get $c)))\n"
            + "  (block $out (loop $l\n"
            + "   (br_if $out (i32.ge_u (local.get $p) (local.get $end))) %X%\n"
            + "   (local.set $m (i8x16.bitmask (i8x16.eq (v128.load offset=5 (local.get $p)) (local.get $n))))\n"
            + "   (if (local.get $m) (then (return (i32.add (local.get $p) (i32.ctz (local.get $m))))))\n"
            + "   (local.set $p (i32.sub (local.get $p) (i32.const -16)))\n"
            + "   (br $l)))\n"
            + "  (i32.const -1))\n";

    static final String MODULE = LoopsApart.module(1, FUNCS, "");

    private static final String[] KERNELS = {"strlen", "memchr", "ptrscan", "lanescan"};

    /**
     * Where the vector API is present (surefire's default run) the helper's vector loop is ready
     * before the first test, so every scan of 8 blocks and more takes it; the {@code plain-scans}
     * run (pom.xml, {@code -Dwasmudf.simd.vectorApi=off}) repeats these tests on the SWAR loops.
     */
    @BeforeAll
    static void vectorLoopReady() throws InterruptedException {
        assertEquals(SimdDotLoop.USABLE, SimdScanLoop.awaitVector(60_000), "the vector loop is compiled where usable");
    }

    @Test
    void recognisesTheKernelLoopsAndNotTheirVariantsApart() throws Exception {
        WasmModule module = validated(MODULE);
        for (ModuleCompiler.Checks checks : LoopsApart.CHECKS) {
            List<String> counted = helperCalls(ModuleCompiler.compile(module, checks).bytes(), "SimdScanLoop", "scan");
            // functions 0-3 as written, 4-7 apart
            assertEquals(4, counted.size(), counted.toString());
        }
    }

    @Test
    void scansMatchTheLoopsApartAndJava() throws Exception {
        scanRandomMemory(Engine.create(), 60);
        scanRandomMemory(Engine.builder().fuel(true).interruptible(true).build(), 20); // with the header's checks
    }

    private static void scanRandomMemory(Engine engine, int rounds) throws Exception {
        Instance inst = engine.compile(Wat.toBinary(MODULE)).instantiate();
        byte[] mem = inst.memory("mem").buffer();
        SplittableRandom random = new SplittableRandom(20);
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < PAGE; i++) {
                mem[i] = (byte) (1 + random.nextInt(255));
            }
            int c = 1 + random.nextInt(255);
            for (int i = 0; i < PAGE; i++) {
                if (mem[i] == (byte) c) {
                    mem[i] = (byte) (c == 1 ? 2 : 1);
                }
            }
            Arrays.fill(mem, PAGE - 16, PAGE, (byte) 0); // where strlen stops when no zero is planted, at any alignment
            for (int lane = 0; lane < 16; lane++) {
                int p = random.nextInt(2048); // any alignment
                int at = p + 16 * random.nextInt(round < 5 ? 3 : 1000) + lane; // a hit in this lane of some vector
                mem[at] = 0;
                assertAllAgree(inst, mem, p, c, lane);
                mem[at] = (byte) c;
                assertAllAgree(inst, mem, p, c, lane);
                mem[at] = 1;
            }
        }
    }

    private static void assertAllAgree(Instance inst, byte[] mem, int p, int c, int lane) {
        String where = "p=" + p + " lane=" + lane;
        int z = p;
        while (mem[z] != 0) {
            z++;
        }
        assertEquals(z - p, call(inst, "strlen", p), where);
        assertEquals(z - p, call(inst, "strlen_apart", p), where);
        int l = p; // lanescan: the first byte equal to its lane's needle byte (c in lane 8, else 0)
        while ((mem[l] & 0xFF) != ((l - p) % 16 == 8 ? c : 0)) {
            l++;
        }
        assertEquals(l - p, call(inst, "lanescan", p, c), where);
        assertEquals(l - p, call(inst, "lanescan_apart", p, c), where);
        for (int len : new int[] {16 * 700 + lane, 16 * 1000, 5 + lane, 0}) {
            int want = len;
            for (int i = 0; i < len; i++) {
                if ((mem[p + i] & 0xFF) == c) {
                    want = i;
                    break;
                }
            }
            assertEquals(want, call(inst, "memchr", p, c, len), where + " len=" + len);
            assertEquals(want, call(inst, "memchr_apart", p, c, len), where + " len=" + len);
        }
        int end = p + 16 * 800;
        assertEquals(call(inst, "ptrscan_apart", p, c, end), call(inst, "ptrscan", p, c, end), where);
        int q = p + 5; // ptrscan loads at p + 5 + 16 j while p + 16 j < end and returns the hit's address - 5
        while (q < end + 5 && (mem[q] & 0xFF) != c) {
            q++;
        }
        assertEquals(q < end + 5 ? q - 5 : -1, call(inst, "ptrscan", p, c, end), where);
    }

    @Test
    void scansPastTheEndTrapAfterTheSameFuel() throws Exception {
        Engine engine = Engine.builder().fuel(true).build();
        Instance inst = engine.compile(Wat.toBinary(MODULE)).instantiate();
        byte[] mem = inst.memory("mem").buffer();
        Arrays.fill(mem, (byte) 'x');
        for (int p : new int[] {0, 1, 7, PAGE - 4096 - 3, PAGE - 33, PAGE - 17, PAGE - 16, PAGE - 15, PAGE - 1, PAGE, -1, -16, -4096,
                Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            for (String name : KERNELS) {
                Object[] args = name.equals("strlen") ? new Object[] {p} : name.equals("lanescan") ? new Object[] {p, (int) 'y'}
                        : new Object[] {p, (int) 'y', -1};
                String want = outcome(inst, name + "_apart", args);
                assertEquals(want, outcome(inst, name, args), name + " p=" + p);
                if (!name.equals("ptrscan") || p != -1) { // (ptrscan from -1 to -1 loads nothing)
                    assertTrue(want.startsWith(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS + " "), want);
                }
            }
        }
        // a zero in the last byte of memory: found, no trap, by both
        mem[PAGE - 1] = 0;
        assertEquals(16 * 10 + 15, call(inst, "strlen", PAGE - 16 * 11));
        assertEquals(16 * 10 + 15, call(inst, "strlen_apart", PAGE - 16 * 11));
        assertEquals(16 * 10 + 15, call(inst, "memchr", PAGE - 16 * 11, 0, 16 * 11));
        assertTrap(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, () -> call(inst, "strlen", PAGE - 16 * 11 + 1));
        assertTrap(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, () -> call(inst, "strlen_apart", PAGE - 16 * 11 + 1));
    }

    @Test
    void fuelRunsOutAtTheSameIteration() throws Exception {
        Engine engine = Engine.builder().fuel(true).build();
        Instance inst = engine.compile(Wat.toBinary(MODULE)).instantiate();
        byte[] mem = inst.memory("mem").buffer();
        Arrays.fill(mem, (byte) 'x');
        mem[100 + 16 * 200 + 9] = 0;
        mem[100 + 16 * 150 + 3] = 'q';
        Object[][] calls = {{"strlen", 100}, {"memchr", 100, (int) 'q', 16 * 300}, {"memchr", 100, (int) 'r', 16 * 300 + 7},
                {"ptrscan", 100, (int) 'q', 100 + 16 * 300}, {"lanescan", 100, (int) 'q'}, {"lanescan", 100 + 16 * 50 - 5, (int) 'q'}};
        // every budget from a few iterations short to enough: the same outcome and fuel left
        assertFuelRunsOutAtTheSameIteration(inst, ScanLoopsTest::call, calls);
    }

    @Test
    void aDeadlineStopsRepeatedScans() throws Exception {
        // the scan loop repeated forever by an outer loop; its own iterations skip the header checks
        String wat = "(module (memory (export \"mem\") 16)\n"
                + " (func (export \"spin\") (local i32 i32 i32 i32)\n"
                + "  (loop $outer\n"
                + "   i32.const 0 local.set 1\n"
                + "   loop\n"
                + "    local.get 0 local.get 1 i32.add local.set 2\n"
                + "    local.get 1 i32.const 16 i32.add local.tee 3 local.set 1\n"
                + "    local.get 2 v128.load align=1 v128.const i32x4 0x01010101 0x01010101 0x01010101 0x01010101"
                + "    i8x16.eq i8x16.bitmask local.tee 2 i32.eqz br_if 0\n"
                + "   end\n"
                + "   br $outer)))";
        Engine engine = Engine.builder().interruptible(true).build();
        Instance inst = engine.compile(Wat.toBinary(wat)).instantiate();
        inst.memory("mem").buffer()[16 * PAGE - 1] = 1; // each scan reads all 16 pages up to the last byte
        assertDeadlineStopsSpin(inst);
    }

    /** The result or trap of a call with plenty of fuel, and the fuel left after it. */
    private static String outcome(Instance inst, String name, Object... args) {
        return LoopsApart.outcome(inst, ScanLoopsTest::call, name, args);
    }

    private static int call(Instance inst, String name, Object... args) {
        return (Integer) inst.function(name).call(args)[0];
    }
}
