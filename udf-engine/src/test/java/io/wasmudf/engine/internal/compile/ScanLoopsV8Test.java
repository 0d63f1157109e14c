package io.wasmudf.engine.internal.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.Wat;
import io.wasmudf.engine.internal.runtime.SimdDotLoop;
import io.wasmudf.engine.internal.runtime.SimdScanLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The scan loops of {@link ScanLoopsTest} (recognised and apart) against V8 (node): the module
 * fills its memory itself from a seed (pseudo-random bytes, rare zeros), then the scans run from
 * random and edge addresses, including past the memory's end; every result or trap must match.
 */
class ScanLoopsV8Test {
    private static final String FILL = " (func (export \"fill\") (param $x i32) (local $i i32)\n"
            + "  (loop $l\n"
            + "   (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))\n"
            + "   (i32.store8 (local.get $i) (select (i32.const 0) (i32.or (i32.shr_u (local.get $x) (i32.const 24)) (i32.const 1))\n"
            + "     (i32.eqz (i32.and (i32.shr_u (local.get $x) (i32.const 4)) (i32.const 1023)))))\n"
            + "   (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 65536)))))\n";

    @Test
    void scanLoopsBehaveAsInV8() throws Exception {
        assumeTrue(LoopsV8.nodeOnPath(), "node is not installed");
        // the helper's vector loop where the vector API is present (surefire's runs), else the SWAR loops
        assertEquals(SimdDotLoop.USABLE, SimdScanLoop.awaitVector(60_000), "the vector loop is compiled where usable");
        String wat = ScanLoopsTest.MODULE.substring(0, ScanLoopsTest.MODULE.length() - 1) + FILL + ")";
        byte[] wasm = Wat.toBinary(wat);
        SplittableRandom random = new SplittableRandom(2020);
        List<String> calls = new ArrayList<>();
        int page = 65536;
        for (int round = 0; round < 30; round++) {
            calls.add("fill " + random.nextInt());
            for (int k = 0; k < 40; k++) {
                int p = k < 8 ? page - 16 * k - random.nextInt(40) : k < 12 ? random.nextInt() : random.nextInt(page);
                int c = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(255);
                int len = random.nextInt(3) == 0 ? -1 : random.nextInt(page);
                for (String suffix : new String[] {"", "_apart"}) {
                    calls.add("strlen" + suffix + " " + p);
                    calls.add("memchr" + suffix + " " + p + " " + c + " " + len);
                    calls.add("ptrscan" + suffix + " " + p + " " + c + " " + (p + len));
                    calls.add("lanescan" + suffix + " " + p + " " + c);
                }
            }
        }
        String[] expected = LoopsV8.run(wasm, calls);
        Instance inst = Engine.create().compile(wasm).instantiate();
        int scans = 0;
        for (int i = 0; i < calls.size(); i++) {
            String ours = LoopsV8.ours(inst, calls.get(i));
            assertEquals(expected[i], ours, calls.get(i));
            scans += ours.startsWith("=") ? 1 : 0;
        }
        assertEquals(true, scans > calls.size() / 2, "most calls return: " + scans);
    }
}
