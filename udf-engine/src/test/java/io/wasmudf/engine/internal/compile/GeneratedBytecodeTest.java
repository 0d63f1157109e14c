package io.wasmudf.engine.internal.compile;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.WasmException;
import io.wasmudf.engine.internal.decode.ModuleDecoder;
import io.wasmudf.engine.internal.model.WasmModule;
import io.wasmudf.engine.internal.validate.Validator;
import io.wasmudf.engine.testsupport.SuiteModules;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Runs ASM's bytecode verifier over the class generated for every valid module of the spec
 * suite, plain, with all checks compiled in, and with every block outlined, so bad stack maps or type errors show up here with a readable
 * dump rather than as a VerifyError deep inside some other test; then the JVM's verifier, which
 * also checks the stack map frames.
 */
class GeneratedBytecodeTest {

    @Test
    void everySpecModuleCompilesToVerifiableBytecode() {
        List<String> failures = new ArrayList<>();
        int verified = 0;
        for (SuiteModules.Module m : SuiteModules.required()) {
            WasmModule module;
            try {
                module = ModuleDecoder.decode(m.bytes());
                Validator.validate(module);
            } catch (WasmException e) {
                continue; // malformed and invalid modules are the decoder's and validator's suites' business
            }
            String where = m.file();
            for (int mode = 0; mode < 4; mode++) {
                // plain; every check compiled in; every block outlined into its own method;
                // every function in its own class, with every check
                ModuleCompiler.Checks checks = mode == 1 || mode == 3 ? new ModuleCompiler.Checks(true, true, true) : ModuleCompiler.Checks.NONE;
                ModuleCompiler.Output out = ModuleCompiler.compile(module, checks, mode == 2 ? 0 : Outliner.DEFAULT_LIMIT,
                        mode == 3 ? 1 : ModuleCompiler.DEFAULT_CLASS_LIMIT);
                if (mode == 3 && module.bodies().size() > 1 && out.parts().size() != module.bodies().size()) {
                    failures.add(where + ": " + module.bodies().size() + " functions but "
                            + out.parts().size() + " part classes");
                }
                // ASM's verifier loads the instance class when it checks a part's calls
                ClassLoader loader = loader(out);
                String problem = verify(out.bytes(), loader);
                for (ModuleCompiler.ClassFile part : out.parts()) {
                    problem = problem != null ? problem : verify(part.bytes(), loader);
                }
                if (problem == null) {
                    problem = link(out, loader);
                }
                if (problem != null) {
                    failures.add(where + " (mode " + mode + ")\n" + problem);
                }
                verified++;
            }
        }
        assertTrue(verified > 1000, "expected to verify the suite's modules, verified " + verified);
        assertTrue(failures.isEmpty(), failures.size() + " generated classes fail verification, first:\n"
                + (failures.isEmpty() ? "" : failures.get(0)));
    }

    /**
     * Loads and links the classes, so the JVM's own verifier checks it too: unlike ASM's analyzer it
     * type-checks against the StackMapTable frames, which the compiler writes itself.
     */
    private static String link(ModuleCompiler.Output out, ClassLoader loader) {
        try {
            Class.forName(out.binaryName(), true, loader);
            for (ModuleCompiler.ClassFile part : out.parts()) {
                Class.forName(part.binaryName(), true, loader);
            }
            return null;
        } catch (ClassNotFoundException | LinkageError e) {
            return e.toString();
        }
    }

    /** Defines the generated classes on demand. */
    private static ClassLoader loader(ModuleCompiler.Output out) {
        ClassLoader loader = new ClassLoader(GeneratedBytecodeTest.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                if (name.equals(out.binaryName())) {
                    return defineClass(name, out.bytes(), 0, out.bytes().length);
                }
                for (ModuleCompiler.ClassFile part : out.parts()) {
                    if (name.equals(part.binaryName())) {
                        return defineClass(name, part.bytes(), 0, part.bytes().length);
                    }
                }
                throw new ClassNotFoundException(name);
            }
        };
        // as CompiledModule does: the generated code calls the engine's runtime helpers
        GeneratedBytecodeTest.class.getModule().addExports("io.wasmudf.engine.internal.runtime", loader.getUnnamedModule());
        return loader;
    }

    private static String verify(byte[] bytes, ClassLoader loader) {
        StringWriter sw = new StringWriter();
        CheckClassAdapter.verify(new ClassReader(bytes), loader, false, new PrintWriter(sw));
        String out = sw.toString();
        return out.isBlank() ? null : out.substring(0, Math.min(out.length(), 4000));
    }
}
