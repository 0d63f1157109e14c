package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.testsupport.ModuleBytes.writeU32;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.Trap;
import io.wasmudf.engine.TrapKind;
import io.wasmudf.engine.internal.decode.ModuleDecoder;
import io.wasmudf.engine.internal.model.WasmModule;
import io.wasmudf.engine.internal.validate.Validator;
import io.wasmudf.engine.testsupport.ModuleBytes;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Guards the form of loads and stores (see {@link MemoryTableEmitter#inlineAccesses}) on the
 * emitted bytecode rather than on timings: small functions call the {@code Mem} helpers and
 * cache the plain memory size as their bound (the shape the kernel benchmarks were measured
 * fastest with; the inline form made the sieve kernel 15-36 % slower), functions too big for
 * C2 to inline every helper into get inline {@code Unsafe} accesses with the bound
 * {@code min(size, array length)}, and both forms compute the same results.
 */
class MemoryAccessFormTest {
    private static final String MEM = "io/wasmudf/engine/internal/runtime/Mem";

    /** What one generated method calls: "owner.name" of each invoke, in order. */
    private static Map<String, List<String>> callsByMethod(byte[] classFile) {
        Map<String, List<String>> calls = new HashMap<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                List<String> list = new ArrayList<>();
                calls.put(name, list);
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String n, String d, boolean itf) {
                        list.add(owner + "." + n);
                    }
                };
            }
        }, 0);
        return calls;
    }

    /**
     * Function 0 ({@code small}): a byte-storing loop like the sieve kernel's. Function 1
     * ({@code big}): {@code n} loads of distinct addresses summed, past the helper budget.
     */
    private static byte[] module(int bigLoads) {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        ByteArrayOutputStream small = new ByteArrayOutputStream();
        small.write(0);
        // block br_if 0 (n == 0) loop [start] = start * 7; start += step; n -= 1; br_if 0 (n) end end; i32.load8_u [10]
        small.writeBytes(new byte[] {0x02, 0x40, 0x20, 2, 0x45, 0x0D, 0, 0x03, 0x40,
            0x20, 0, 0x20, 0, 0x41, 7, 0x6C, 0x3A, 0, 0,
            0x20, 0, 0x20, 1, 0x6A, 0x21, 0, 0x20, 2, 0x41, 1, 0x6B, 0x22, 2, 0x0D, 0, 0x0B, 0x0B,
            0x41, 10, 0x2D, 0, 0, 0x0B});
        bodies.put("small", small.toByteArray());
        ByteArrayOutputStream big = new ByteArrayOutputStream();
        big.write(0);
        big.writeBytes(new byte[] {0x41, 0}); // i32.const 0: the sum
        for (int i = 0; i < bigLoads; i++) {
            big.writeBytes(new byte[] {0x20, 0, 0x28, 2}); // local.get 0; i32.load offset=4i
            writeU32(big, 4 * i);
            big.write(0x6A); // i32.add
        }
        big.write(0x0B);
        bodies.put("big", big.toByteArray());
        return ModuleBytes.functions(new byte[] {3, 0x7F, 0x7F, 0x7F, 1, 0x7F}, bodies, 1);
    }

    private static Map<String, List<String>> compile(byte[] bytes, int methodLimit) {
        WasmModule module = ModuleDecoder.decode(bytes);
        Validator.validate(module);
        ModuleCompiler.Output out = ModuleCompiler.compile(module, ModuleCompiler.Checks.NONE, methodLimit);
        return callsByMethod(out.bytes());
    }

    private static boolean callsHelpers(List<String> calls) {
        return calls.stream().anyMatch(c -> c.startsWith(MEM + ".i32") || c.startsWith(MEM + ".i64"));
    }

    private static boolean inline(List<String> calls) {
        return calls.stream().anyMatch(c -> c.startsWith("sun/misc/Unsafe."));
    }

    @Test
    void smallFunctionsCallTheHelpersAndBigOnesAccessInline() {
        assumeTrue(MemoryTableEmitter.RAW, "no Unsafe in this JVM: every access is a helper call");
        int loads = MemoryTableEmitter.HELPER_BUDGET / MemoryTableEmitter.HELPER_INLINED_BYTES + 1;
        Map<String, List<String>> calls = compile(module(loads), Outliner.DEFAULT_LIMIT);
        List<String> small = calls.get("f0");
        List<String> big = calls.get("f1");
        assertTrue(callsHelpers(small) && !inline(small), "small function: " + small);
        // the helper takes min(size, array length) itself; the slot holds the size alone
        assertFalse(small.contains("java/lang/Math.min"), "small function's bound: " + small);
        assertTrue(inline(big) && !callsHelpers(big), "big function: " + big);
        assertEquals(loads, big.stream().filter(c -> c.equals("java/util/Objects.checkIndex")).count(), "one check per load");
        // the inline accesses' bound is taken with the array's length, once at entry
        assertEquals(1, big.stream().filter(c -> c.equals("java/lang/Math.min")).count(), "big function's bound: " + big);
    }

    @Test
    void functionsCutIntoMethodsAccessInline() {
        assumeTrue(MemoryTableEmitter.RAW, "no Unsafe in this JVM: every access is a helper call");
        Map<String, List<String>> calls = compile(module(2), 0);
        calls.forEach((name, list) -> assertFalse(callsHelpers(list), name + ": " + list));
        assertTrue(calls.values().stream().anyMatch(MemoryAccessFormTest::inline), calls.toString());
    }

    @Test
    void bothFormsComputeTheSameResults() throws Throwable {
        int loads = MemoryTableEmitter.HELPER_BUDGET / MemoryTableEmitter.HELPER_INLINED_BYTES + 1;
        byte[] bytes = module(loads);
        Instance helpers = Engine.create().compile(bytes).instantiate();
        Instance inline = Engine.builder().methodSizeLimit(0).build().compile(bytes).instantiate();
        for (Instance in : List.of(helpers, inline)) {
            assertEquals(70, in.function("small").call(0, 1, 65536)[0]);
        }
        int last = 65536 - 4 * loads;
        for (int base : new int[] {0, 1, 100, last}) {
            int sum = 0;
            for (int i = 0; i < loads; i++) {
                int a = base + 4 * i;
                sum += ((a * 7) & 0xFF) | ((a + 1) * 7 & 0xFF) << 8 | ((a + 2) * 7 & 0xFF) << 16 | ((a + 3) * 7 & 0xFF) << 24;
            }
            assertEquals(sum, helpers.function("big").call(base, 0, 0)[0], "helpers, base " + base);
            assertEquals(sum, inline.function("big").call(base, 0, 0)[0], "inline, base " + base);
        }
        for (Instance in : List.of(helpers, inline)) {
            Trap t = assertThrows(Trap.class, () -> in.function("big").call(last + 1, 0, 0));
            assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, t.kind());
        }
    }
}
