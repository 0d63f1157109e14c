package io.wasmudf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.internal.compile.ModuleCompiler;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import io.wasmudf.engine.testsupport.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code cache under an AppCDS archive (README "Cold start"): a JVM started with a dynamic CDS
 * archive that holds a module's generated classes takes them from the archive — and still rejects
 * a tampered entry, because the entry is checked as ever and the JVM uses an archived class only
 * for exactly the bytes it was archived from: a class the verifier refuses, put into the entry
 * with a correct checksum, is refused although the archive has a good class of that name.
 */
class CodeCacheWithCdsArchiveTest {
    static final String MODULE = """
            (module
              (memory 1)
              (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
              (func (export "run") (param i32) (result i32)
                (i32.store (i32.const 64) (call $sq (local.get 0)))
                (i32.add (i32.load (i32.const 64)) (i32.const 1))))
            """;

    @TempDir
    Path dir;

    @Test
    void archivedGeneratedClassesAreUsedOnlyForTheBytesTheyCameFrom() throws Exception {
        Path file = dir.resolve("module.wasm");
        byte[] wasm = Wat.toBinary(MODULE);
        Files.write(file, wasm);
        Path cache = Files.createDirectory(dir.resolve("code"));
        Path archive = dir.resolve("app.jsa");
        String classPath = jarsOnly();
        assertEquals("fromCache=false run=50", last(child(classPath, cache, file, List.of())));
        // the training JVM loads the module from the cache; its classes go into the archive at exit
        assertEquals("fromCache=true run=50", last(child(classPath, cache, file,
                List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:disable", "-Xlog:all=error:stderr"))));
        assertTrue(Files.size(archive) > 0);

        List<String> withArchive = List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on", "-Xlog:disable", "-Xlog:class+load=info:stdout");
        List<String> out = child(classPath, cache, file, withArchive);
        assertEquals("fromCache=true run=50", last(out));
        assertTrue(out.stream().anyMatch(l -> l.contains("io.wasmudf.gen.") && l.contains("shared objects file")),
                "the generated classes come from the archive: " + out);

        // an entry with a class the verifier refuses and a correct checksum: the archived class of
        // that name is not used for it (rewritten by a child: the entry's settings carry the
        // fingerprint of the jars the children run from)
        assertEquals("tampered", last(child(classPath, cache, file, List.of(), "tamper")));
        List<String> tampered = child(classPath, cache, file, withArchive);
        assertEquals("fromCache=false run=50", last(tampered), "the tampered entry is rejected and the module compiled: " + tampered);
        assertEquals("fromCache=true run=50", last(child(classPath, cache, file, withArchive)), "the rebuilt entry");
    }

    /** The child's own report among the JVM's class-loading log lines. */
    private static String last(List<String> lines) {
        String found = "";
        for (String l : lines) {
            if (l.startsWith("fromCache=") || l.equals("tampered")) {
                found = l;
            }
        }
        return found;
    }

    /** The test's class path with directories packed into jars: CDS archives classes from jars only. */
    private String jarsOnly() throws IOException {
        String classpath = ChildJvm.classPath();
        List<String> out = new ArrayList<>();
        int n = 0;
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.isEmpty() || out.contains(entry)) {
                continue;
            }
            Path p = Path.of(entry);
            if (!Files.isDirectory(p)) {
                out.add(entry);
                continue;
            }
            Path jar = dir.resolve("classes-" + (n++) + ".jar");
            try (OutputStream f = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(f); Stream<Path> files = Files.walk(p)) {
                for (Path c : files.filter(Files::isRegularFile).sorted().toList()) {
                    j.putNextEntry(new JarEntry(p.relativize(c).toString().replace(File.separatorChar, '/')));
                    j.write(Files.readAllBytes(c));
                    j.closeEntry();
                }
            }
            out.add(jar.toString());
        }
        return String.join(File.pathSeparator, out);
    }

    private static List<String> child(String classPath, Path cache, Path file, List<String> jvmOptions) throws Exception {
        return child(classPath, cache, file, jvmOptions, "run");
    }

    private static List<String> child(String classPath, Path cache, Path file, List<String> jvmOptions, String mode) throws Exception {
        String out = ChildJvm.run(jvmOptions, classPath, Child.class, cache.toString(), file.toString(), mode).trim();
        return List.of(out.split("\n"));
    }

    /** The restarted JVM: compiles (or loads) the module with the code cache and calls it; or ("tamper") breaks its entry's main class. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Path cache = Path.of(args[0]);
            byte[] wasm = Files.readAllBytes(Path.of(args[1]));
            if (args[2].equals("tamper")) {
                Path entry;
                try (Stream<Path> files = Files.list(cache)) {
                    entry = files.filter(p -> p.toString().endsWith(CodeCache.SUFFIX)).findFirst().orElseThrow();
                }
                CodeCache codeCache = new CodeCache(cache, Long.MAX_VALUE, Engine.create().options());
                CodeCache.Entry stored = codeCache.decode(Files.readAllBytes(entry), wasm);
                ModuleCompiler.Output good = stored.output();
                ModuleCompiler.Output bad = new ModuleCompiler.Output(good.binaryName(), CodeCacheTest.withTypeError(good.bytes()), good.parts(),
                        good.functionClasses());
                Files.write(entry, codeCache.encode(wasm, new CodeCache.Entry(bad, stored.boundaryNeeded())));
                System.out.println("tampered");
                return;
            }
            CompiledModule m = Engine.builder().codeCache(cache).build().compile(wasm);
            Object r = m.instantiate().function("run").call(7)[0];
            System.out.println("fromCache=" + m.fromCodeCache() + " run=" + r);
        }
    }
}
