package io.wasmudf.engine.internal.compile;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wasmudf.engine.WasmException;
import io.wasmudf.engine.internal.decode.ModuleDecoder;
import io.wasmudf.engine.internal.model.WasmModule;
import io.wasmudf.engine.internal.validate.Validator;
import io.wasmudf.engine.testsupport.SpecSuite;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
        Optional<Path> dir = SpecSuite.jsonDir();
        assumeTrue(dir.isPresent(), "SPEC SUITE NOT FOUND: set -Dwasm.testsuite=<dir> (expected ../shared/wasm-testsuite); verifier test skipped");
        List<String> failures = new ArrayList<>();
        int verified = 0;
        for (SpecSuite.Script script : SpecSuite.scripts(dir.get())) {
            if (script.isSimd()) {
                continue;
            }
            for (SpecSuite.Command c : script.commands()) {
                if (!"module".equals(c.type()) || c.filename() == null || !c.filename().endsWith(".wasm")) {
                    continue;
                }
                WasmModule module;
                try {
                    module = ModuleDecoder.decode(script.read(c));
                    Validator.validate(module);
                } catch (WasmException e) {
                    continue; // not ours to check here: the decoder and validator suites cover it
                }
                for (int mode = 0; mode < 4; mode++) {
                    // plain; every check compiled in; every block outlined into its own method;
                    // every function in its own class, with every check
                    ModuleCompiler.Checks checks = mode == 1 || mode == 3 ? new ModuleCompiler.Checks(true, true, true) : ModuleCompiler.Checks.NONE;
                    ModuleCompiler.Output out = ModuleCompiler.compile(module, checks, mode == 2 ? 0 : Outliner.DEFAULT_LIMIT,
                            mode == 3 ? 1 : ModuleCompiler.DEFAULT_CLASS_LIMIT);
                    if (mode == 3 && module.bodies().size() > 1 && out.parts().size() != module.bodies().size()) {
                        failures.add(script.name() + ":" + c.line() + ": " + module.bodies().size() + " functions but "
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
                        failures.add(script.name() + ":" + c.line() + " (mode " + mode + ")\n" + problem);
                    }
                    verified++;
                }
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
        return new ClassLoader(GeneratedBytecodeTest.class.getClassLoader()) {
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
    }

    private static String verify(byte[] bytes, ClassLoader loader) {
        StringWriter sw = new StringWriter();
        CheckClassAdapter.verify(new ClassReader(bytes), loader, false, new PrintWriter(sw));
        String out = sw.toString();
        return out.isBlank() ? null : out.substring(0, Math.min(out.length(), 4000));
    }
}
