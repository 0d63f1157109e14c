package io.wasmudf.engine.internal.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.Wat;
import io.wasmudf.engine.internal.runtime.SimdDotLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The dot-product loops of {@link DotLoopsTest} (recognised and apart) against V8 (node): the module
 * fills its memory itself from a seed (pseudo-random floats of moderate size), then the loops run
 * from random and edge addresses, including past the memory's end; every lane's bits or trap must match.
 */
class DotLoopsV8Test {
    private static final String FILL = " (func (export \"fill\") (param $x i32) (local $i i32)\n"
            + "  (loop $l\n"
            + "   (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))\n"
            + "   (i32.store (local.get $i) (i32.or (i32.and (local.get $x) (i32.const 0x807FFFFF))\n"
            + "     (i32.shl (i32.add (i32.const 118) (i32.and (i32.shr_u (local.get $x) (i32.const 7)) (i32.const 15))) (i32.const 23))))\n"
            + "   (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 4))) (i32.const 131072)))))\n";

    @Test
    void dotLoopsBehaveAsInV8() throws Exception {
        assumeTrue(LoopsV8.nodeOnPath(), "node is not installed");
        assumeTrue(SimdDotLoop.USABLE, "run with --add-modules jdk.incubator.vector");
        assertTrue(SimdDotLoop.awaitVector(60_000), "the vector loop is compiled");
        String wat = DotLoopsTest.MODULE.substring(0, DotLoopsTest.MODULE.length() - 1) + FILL + ")";
        byte[] wasm = Wat.toBinary(wat);
        SplittableRandom random = new SplittableRandom(2020);
        List<String> calls = new ArrayList<>();
        int end = 2 * 65536;
        for (int round = 0; round < 20; round++) {
            calls.add("fill " + random.nextInt());
            for (int k = 0; k < 30; k++) {
                int a = k < 6 ? end - 16 * k - random.nextInt(40) : k < 9 ? random.nextInt() : random.nextInt(end);
                int b = random.nextInt(end);
                int n = k % 5 == 0 ? random.nextInt(4000) : random.nextInt(Math.max(1, end / 4 - 4 - Math.max(0, Math.max(a, b)) / 4 + 1));
                for (String suffix : new String[] {"", "_apart"}) {
                    calls.add("dot" + suffix + " " + a + " " + b + " " + n);
                    calls.add("dotp" + suffix + " " + a + " " + b + " " + (a + 4 * n));
                    calls.add("dot2" + suffix + " " + a + " " + b + " " + 32 * Math.max(1, n / 8));
                }
            }
        }
        String[] expected = LoopsV8.run(wasm, calls);
        Instance inst = Engine.create().compile(wasm).instantiate();
        int sums = 0;
        for (int i = 0; i < calls.size(); i++) {
            String ours = canonicalNaNs(LoopsV8.ours(inst, calls.get(i)));
            assertEquals(canonicalNaNs(expected[i]), ours, calls.get(i));
            sums += ours.startsWith("= ") ? 1 : 0;
        }
        assertTrue(sums > calls.size() / 2, "most calls return: " + sums);
    }

    /**
     * Each NaN lane as the canonical NaN's bits: unaligned loads of random floats make NaNs, whose
     * payload after arithmetic Wasm leaves to the engine (V8 gives the default NaN, we an input's).
     */
    private static String canonicalNaNs(String line) {
        if (!line.startsWith("= ")) {
            return line;
        }
        StringBuilder s = new StringBuilder("=");
        for (String v : line.substring(2).split(" ")) {
            int bits = Integer.parseInt(v);
            s.append(' ').append(Float.isNaN(Float.intBitsToFloat(bits)) ? 0x7FC0_0000 : bits);
        }
        return s.toString();
    }
}
