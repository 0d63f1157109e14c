package io.wasmudf.engine.internal.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.ResourceLimitException;
import io.wasmudf.engine.internal.util.Parallel;
import io.wasmudf.engine.testsupport.ModuleBytes;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Modules above the class size limit compile to part classes (the spec suite runs split too, see SpecRunner). */
class ModuleSplitTest {
    private static final int FUNCTIONS = 1100;
    private static final int CONSTANTS_PER_FUNCTION = 64;

    @Test
    void partsAreConsecutiveRunsUnderTheLimit() {
        int[] sizes = {5, 5, 5, 20, 1, 1};
        List<int[]> runs = Parallel.runs(sizes.length, i -> sizes[i], 10);
        assertEquals(List.of("0-2", "2-3", "3-4", "4-6"), runs.stream().map(r -> r[0] + "-" + r[1]).toList());
        assertEquals(1, Parallel.runs(sizes.length, i -> sizes[i], 37).size());
        assertEquals(6, Parallel.runs(sizes.length, i -> sizes[i], 1).size());
    }

    /**
     * 1,100 functions with 64 distinct large constants each: 70,400 constant-pool entries, more than
     * one JVM class can hold (65,535), so only the split compile succeeds.
     */
    @Test
    void aModuleOverflowingOneConstantPoolCompilesInParts() throws Throwable {
        byte[] wasm = manyConstants();
        ResourceLimitException e = assertThrows(ResourceLimitException.class,
                () -> Engine.builder().classSizeLimit(Integer.MAX_VALUE).build().compile(wasm));
        assertTrue(e.getMessage().contains("too large for one JVM class"), e.getMessage());

        Instance instance = Engine.create().compile(wasm).instantiate();
        for (int k : new int[] {0, 1, 549, FUNCTIONS - 1}) {
            assertEquals(constant(k, CONSTANTS_PER_FUNCTION - 1), (int) instance.function("f" + k).handle().invokeExact());
        }
    }

    /**
     * A module under the class limit but big enough for two threads (60 functions of 129
     * instructions) is compiled as one part class per thread, so that both cores compile it; with a
     * limit above the default it stays one class. Either way each function returns its constant.
     */
    @Test
    void aMidSizeModuleIsCutIntoOnePartPerThread() throws Throwable {
        byte[] wasm = manyConstants(60);
        io.wasmudf.engine.internal.model.WasmModule module = io.wasmudf.engine.internal.decode.ModuleDecoder.decode(wasm);
        int threads = Parallel.threads();
        ModuleCompiler.Output out = ModuleCompiler.compile(module, ModuleCompiler.Checks.NONE);
        assertEquals(threads == 1 ? 0 : Math.min(threads, 3), out.parts().size());
        assertEquals(0, ModuleCompiler.compile(module, ModuleCompiler.Checks.NONE, Outliner.DEFAULT_LIMIT, Integer.MAX_VALUE).parts().size());
        for (Engine engine : new Engine[] {Engine.create(), Engine.builder().classSizeLimit(Integer.MAX_VALUE).build()}) {
            Instance instance = engine.compile(wasm).instantiate();
            for (int k : new int[] {0, 29, 30, 59}) {
                assertEquals(constant(k, CONSTANTS_PER_FUNCTION - 1), (int) instance.function("f" + k).handle().invokeExact());
            }
        }
    }

    private static int constant(int function, int j) {
        return 1_000_000 + function * CONSTANTS_PER_FUNCTION + j;
    }

    private static byte[] manyConstants() {
        return manyConstants(FUNCTIONS);
    }

    private static byte[] manyConstants(int functions) {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        for (int k = 0; k < functions; k++) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.write(0); // no locals
            for (int j = 0; j < CONSTANTS_PER_FUNCTION; j++) {
                b.write(0x41); // i32.const
                ModuleBytes.writeS32(b, constant(k, j));
                b.write(j == CONSTANTS_PER_FUNCTION - 1 ? 0x0B : 0x1A); // the last is returned, the others dropped
            }
            bodies.put("f" + k, b.toByteArray());
        }
        return ModuleBytes.functions(new byte[] {0, 1, 0x7F}, bodies, 0);
    }
}
