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
                for (int mode = 0; mode < 3; mode++) {
                    // plain; every check compiled in; every block outlined into its own method
                    ModuleCompiler.Checks checks = mode == 1 ? new ModuleCompiler.Checks(true, true, true) : ModuleCompiler.Checks.NONE;
                    ModuleCompiler.Output out = ModuleCompiler.compile(module, checks, mode == 2 ? 0 : Outliner.DEFAULT_LIMIT);
                    String problem = verify(out.bytes());
                    if (problem == null) {
                        problem = link(out);
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
     * Loads and links the class, so the JVM's own verifier checks it too: unlike ASM's analyzer it
     * type-checks against the StackMapTable frames, which the compiler writes itself.
     */
    private static String link(ModuleCompiler.Output out) {
        ClassLoader loader = new ClassLoader(GeneratedBytecodeTest.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                if (!name.equals(out.binaryName())) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, out.bytes(), 0, out.bytes().length);
            }
        };
        try {
            Class.forName(out.binaryName(), true, loader);
            return null;
        } catch (ClassNotFoundException | LinkageError e) {
            return e.toString();
        }
    }

    private static String verify(byte[] bytes) {
        StringWriter sw = new StringWriter();
        CheckClassAdapter.verify(new ClassReader(bytes), GeneratedBytecodeTest.class.getClassLoader(), false, new PrintWriter(sw));
        String out = sw.toString();
        return out.isBlank() ? null : out.substring(0, Math.min(out.length(), 4000));
    }
}
