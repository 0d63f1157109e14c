package io.wasmudf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.internal.compile.ModuleCompiler;
import io.wasmudf.engine.internal.decode.ModuleDecoder;
import io.wasmudf.engine.internal.model.WasmModule;
import io.wasmudf.engine.internal.validate.Validator;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/** Which generated classes get a helper thread to define them, and that every class comes out defined and linked. */
class ClassDefinitionTest {
    /** {@code functions} exported functions, each summing {@code constants} distinct i64 constants (8-byte pool entries: big classes from few instructions). */
    private static WasmModule module(int functions, int constants) {
        StringBuilder wat = new StringBuilder("(module\n");
        long k = 0x1234_5678_9ABCL;
        for (int f = 0; f < functions; f++) {
            wat.append("  (func (export \"f").append(f).append("\") (result i64) (i64.const 1)");
            for (int c = 0; c < constants; c++) {
                wat.append(" (i64.const ").append(k++).append(") i64.add");
            }
            wat.append(")\n");
        }
        WasmModule module = ModuleDecoder.decode(Wat.toBinary(wat.append(')').toString()));
        Validator.validate(module);
        return module;
    }

    private static long classBytes(ModuleCompiler.Output out) {
        long bytes = out.bytes().length;
        for (ModuleCompiler.ClassFile part : out.parts()) {
            bytes += part.bytes().length;
        }
        return bytes;
    }

    /** The value function {@code index} returns, called on its defined class. */
    private static long call(ClassDefinition definition, Class<?>[] classes, ModuleCompiler.Output out, int index) throws Exception {
        Class<?> owner = classes[0];
        for (Class<?> c : classes) {
            if (c.getName().equals(out.functionClasses().get(index))) {
                owner = c;
            }
        }
        for (Method m : owner.getMethods()) {
            if (m.getName().equals("f" + index) && m.getParameterCount() == 1) {
                return (long) m.invoke(null, (Object) null);
            }
        }
        throw new AssertionError("no method f" + index + " in " + owner);
    }

    @Test
    void aSingleLargeClassIsDefinedByTheCallerAlone() throws Exception {
        // a class limit above the default keeps the module in one class however many threads there are
        ModuleCompiler.Output out = ModuleCompiler.compile(module(60, 40), ModuleCompiler.Checks.NONE, 6_000,
                2 * ModuleCompiler.DEFAULT_CLASS_LIMIT);
        assertTrue(out.parts().isEmpty());
        assertTrue(classBytes(out) > 16 << 10, "class file of " + classBytes(out) + " bytes: not over the helper threshold");
        ClassDefinition definition = ClassDefinition.startForCaller(out);
        // with one class a helper could only race the caller for it, and the caller then waited for the helper to end
        assertFalse(definition.helped());
        Class<?>[] classes = definition.finish();
        assertEquals(1, classes.length);
        assertEquals(out.binaryName(), classes[0].getName());
        // a code-cache hit has the helper define it while the caller decodes the module
        ClassDefinition overlapped = ClassDefinition.start(out);
        assertTrue(overlapped.helped());
        assertEquals(out.binaryName(), overlapped.finish()[0].getName());
    }

    @Test
    void largePartsShareTheWorkWithAHelperAndAllComeOutDefined() throws Exception {
        // a class limit of 1 puts every function in its own part
        ModuleCompiler.Output out = ModuleCompiler.compile(module(12, 120), ModuleCompiler.Checks.NONE, 6_000, 1);
        assertEquals(12, out.parts().size());
        assertTrue(classBytes(out) > 16 << 10, "class files of " + classBytes(out) + " bytes: not over the helper threshold");
        ClassDefinition definition = ClassDefinition.startForCaller(out);
        assertTrue(definition.helped());
        Class<?>[] classes = definition.finish();
        assertEquals(13, classes.length);
        assertEquals(out.binaryName(), classes[0].getName());
        for (int p = 0; p < out.parts().size(); p++) {
            assertEquals(out.parts().get(p).binaryName(), classes[p + 1].getName());
        }
        // linked and callable: function 5 sums 1 and the constants 600 … 719 after the base
        long expected = 1;
        for (long k = 0x1234_5678_9ABCL + 5 * 120; k < 0x1234_5678_9ABCL + 6 * 120; k++) {
            expected += k;
        }
        assertEquals(expected, call(definition, classes, out, 5));
    }

    @Test
    void smallClassesAreDefinedByTheCallerAlone() throws Exception {
        ModuleCompiler.Output out = ModuleCompiler.compile(module(3, 2), ModuleCompiler.Checks.NONE, 6_000, 1);
        assertEquals(3, out.parts().size());
        ClassDefinition definition = ClassDefinition.startForCaller(out);
        assertFalse(definition.helped());
        assertEquals(4, definition.finish().length);
    }

    @Test
    void cancelledClassesAreLeftUndefinedAndCancelReturnsOnceTheHelperIsDone() throws Exception {
        ModuleCompiler.Output out = ModuleCompiler.compile(module(12, 120), ModuleCompiler.Checks.NONE, 6_000, 1);
        for (int round = 0; round < 20; round++) {
            ClassDefinition definition = ClassDefinition.start(out);
            definition.cancel(); // every class settled: none is still being defined after this
            assertTrue(definition.helped());
        }
    }

    @Test
    void aClassTheVerifierRefusesFailsFinishEvenWhenTheHelperTookIt() throws Exception {
        ModuleCompiler.Output good = ModuleCompiler.compile(module(12, 120), ModuleCompiler.Checks.NONE, 6_000, 1);
        // the last part's code cut short: a ClassFormatError, from whichever thread defined it
        java.util.List<ModuleCompiler.ClassFile> parts = new java.util.ArrayList<>(good.parts());
        ModuleCompiler.ClassFile last = parts.get(parts.size() - 1);
        parts.set(parts.size() - 1, new ModuleCompiler.ClassFile(last.binaryName(),
                java.util.Arrays.copyOf(last.bytes(), last.bytes().length / 2)));
        ModuleCompiler.Output bad = new ModuleCompiler.Output(good.binaryName(), good.bytes(), parts, good.functionClasses());
        for (int round = 0; round < 10; round++) {
            ClassDefinition definition = ClassDefinition.startForCaller(bad);
            assertTrue(definition.helped());
            Throwable t = org.junit.jupiter.api.Assertions.assertThrows(LinkageError.class, definition::finish);
            assertTrue(t instanceof ClassFormatError, t.toString());
        }
    }
}
