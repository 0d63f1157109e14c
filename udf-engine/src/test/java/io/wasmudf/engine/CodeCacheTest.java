package io.wasmudf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.internal.compile.CompileProperties;
import io.wasmudf.engine.internal.compile.ModuleCompiler;
import io.wasmudf.engine.testsupport.SystemProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Engine.Builder#codeCache}: a new engine (as after a restart) loads a module's classes from
 * the directory instead of compiling; corrupt, stale or foreign entries are ignored and rewritten;
 * engines sharing a directory concurrently all get working modules.
 */
class CodeCacheTest {
    @TempDir
    Path dir;

    /** Recursion, a loop, a memory and a global: code whose classes must come back whole to compute right. */
    private static byte[] module(int salt) {
        return Wat.toBinary("(module (memory 1) (global $g (mut i32) (i32.const " + salt + "))\n"
                + "(func $fib (export \"fib\") (param $n i32) (result i32)\n"
                + "  (if (result i32) (i32.lt_s (local.get $n) (i32.const 2)) (then (local.get $n))\n"
                + "    (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1))) (call $fib (i32.sub (local.get $n) (i32.const 2)))))))\n"
                + "(func (export \"sum\") (param $n i32) (result i32) (local $i i32) (local $s i32)\n"
                + "  (loop $l (i32.store (i32.const 8) (local.get $i)) (local.set $s (i32.add (local.get $s) (i32.load (i32.const 8))))\n"
                + "    (local.set $i (i32.add (local.get $i) (i32.const 1))) (br_if $l (i32.lt_s (local.get $i) (local.get $n))))\n"
                + "  (i32.add (local.get $s) (global.get $g))))");
    }

    private Engine engine() {
        return Engine.builder().untrusted().codeCache(dir).build();
    }

    private static void assertWorks(CompiledModule m, int salt) {
        Instance instance = m.instantiate();
        assertEquals(832040, (int) instance.function("fib").call(30)[0]);
        assertEquals(4950 + salt, (int) instance.function("sum").call(100)[0]);
        instance.close();
    }

    private List<Path> entries() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(CodeCache.SUFFIX)).toList();
        }
    }

    /**
     * The key holds the helper-free forms this JVM's compiler emits, which it took when the first
     * engine was built: a valid value set later changes neither the code nor the key (the key
     * used to read the property anew, so it named forms that the stored code did not have).
     */
    @Test
    void theKeyHoldsTheHelperFreeFormsTheCompilerUses() throws IOException {
        byte[] wasm = module(11);
        Engine first = engine();
        assertFalse(first.compile(wasm).fromCodeCache());
        String used = CompileProperties.helperFreeForms();
        String property = "wasmudf.compile.helperFreeForms";
        String before = SystemProperties.set(property, used.equals("all") ? "none" : "all");
        try {
            CompiledModule loaded = engine().compile(wasm);
            assertTrue(loaded.fromCodeCache(), "same compiler, same code: same key");
            assertWorks(loaded, 11);
        } finally {
            SystemProperties.restore(property, before);
        }
    }

    @Test
    void aNewEngineLoadsFromTheCacheWithoutCompiling() throws IOException {
        byte[] wasm = module(7);
        Engine first = engine();
        CompiledModule compiled = first.compile(wasm);
        assertFalse(compiled.fromCodeCache());
        assertEquals(1, first.compilations());
        assertEquals(1, entries().size(), "one entry written");
        assertWorks(compiled, 7);

        Engine restarted = engine();
        CompiledModule loaded = restarted.compile(wasm);
        assertTrue(loaded.fromCodeCache());
        assertEquals(0, restarted.compilations(), "nothing compiled after the restart");
        assertWorks(loaded, 7);
        assertEquals(dir, restarted.codeCacheDirectory());
    }

    @Test
    void loadedCodeKeepsItsLimitsDeadlinesAndDepth() throws IOException {
        byte[] wasm = Wat.toBinary("(module (func (export \"spin\") (loop $l (br $l)))\n"
                + "(func $down (export \"down\") (param i32) (result i32) (call $down (i32.add (local.get 0) (i32.const 1)))))");
        engine().compile(wasm);
        CompiledModule loaded = engine().compile(wasm);
        assertTrue(loaded.fromCodeCache());
        Instance instance = loaded.instantiate();
        instance.setDeadline(System.nanoTime() + 50_000_000L);
        assertEquals(TrapKind.TIMEOUT, assertThrows(Trap.class, () -> instance.function("spin").call()).kind());
        instance.clearDeadline();
        Instance fresh = loaded.instantiate();
        assertEquals(TrapKind.CALL_STACK_EXHAUSTED, assertThrows(Trap.class, () -> fresh.function("down").call(0)).kind());
    }

    @Test
    void engineSettingsThatShapeCodeHaveEntriesOfTheirOwn() throws IOException {
        byte[] wasm = module(1);
        engine().compile(wasm);
        Engine trusted = Engine.builder().codeCache(dir).build();
        CompiledModule m = trusted.compile(wasm);
        assertFalse(m.fromCodeCache(), "code compiled with interrupt and depth checks is not code without them");
        assertEquals(2, entries().size());
        assertWorks(m, 1);
        assertTrue(Engine.builder().codeCache(dir).build().compile(wasm).fromCodeCache());
        assertFalse(Engine.builder().codeCache(dir).methodSizeLimit(100).build().compile(wasm).fromCodeCache());
    }

    @Test
    void aTamperedEntryIsRejectedAndRebuilt() throws IOException {
        byte[] wasm = module(3);
        engine().compile(wasm);
        Path entry = entries().get(0);
        byte[] good = Files.readAllBytes(entry);
        // every byte position matters: header, class bytes, owner table and checksum alike
        for (int at : new int[] {0, 20, good.length / 2, good.length - 12, good.length - 1}) {
            byte[] bad = good.clone();
            bad[at] ^= 0x10;
            Files.write(entry, bad);
            Engine e = engine();
            CompiledModule m = e.compile(wasm);
            assertFalse(m.fromCodeCache(), "flipped byte at " + at + " of " + good.length);
            assertEquals(1, e.compilations());
            assertWorks(m, 3);
            assertEquals(1, entries().size());
            assertTrue(engine().compile(wasm).fromCodeCache(), "the rebuilt entry is used again");
        }
        Files.write(entry, java.util.Arrays.copyOf(good, good.length / 3));
        assertFalse(engine().compile(wasm).fromCodeCache(), "a truncated entry");
        Files.write(entry, new byte[0]);
        assertFalse(engine().compile(wasm).fromCodeCache(), "an empty entry");
        assertTrue(engine().compile(wasm).fromCodeCache());
    }

    @Test
    void anEntryOfAnotherVersionOrModuleIsRejected() throws IOException {
        byte[] wasm = module(4);
        Engine e = engine();
        e.compile(wasm);
        Path entry = entries().get(0);
        CodeCache cache = new CodeCache(dir, Long.MAX_VALUE, e.options());
        CodeCache.Entry stored = cache.decode(Files.readAllBytes(entry), wasm);
        assertTrue(stored != null, "the entry just written decodes");
        ModuleCompiler.Output out = stored.output();

        // a well-formed entry with a valid checksum whose format number is another one: stale
        byte[] stale = cache.encode(wasm, stored);
        int formatAt = "WASMUDF-CODE\n".length() + 3;
        stale[formatAt]++;
        Files.write(entry, withChecksum(stale));
        assertFalse(engine().compile(wasm).fromCodeCache(), "another format version");

        // a well-formed entry for other module bytes under this module's name: not trusted either
        byte[] other = module(5);
        Files.write(entry, cache.encode(other, stored));
        CompiledModule m = engine().compile(wasm);
        assertFalse(m.fromCodeCache(), "an entry that names another module");
        assertWorks(m, 4);
        assertTrue(engine().compile(wasm).fromCodeCache());

        // a well-formed entry whose owner table misses a function
        Files.write(entry, cache.encode(wasm, new CodeCache.Entry(new ModuleCompiler.Output(out.binaryName(), out.bytes(),
                out.parts(), out.functionClasses().subList(0, 1)), stored.boundaryNeeded())));
        assertFalse(engine().compile(wasm).fromCodeCache(), "an owner table of the wrong size");
        assertTrue(engine().compile(wasm).fromCodeCache());
    }

    @Test
    void modulesWithTheSameCrcAreNeverConfused() throws IOException {
        // entries and the in-memory cache are named by length and CRC-32C, which anyone can collide:
        // the stored bytes are compared exactly, so a collision costs a compile, never the wrong code
        byte[] a = withCustomSection(module(11), new byte[4]);
        byte[] b = crcTwin(withCustomSection(module(12), new byte[4]), a);
        assertFalse(java.util.Arrays.equals(a, b));
        assertEquals(CodeCache.moduleKey(a), CodeCache.moduleKey(b));
        assertEquals(ModuleCache.key(a), ModuleCache.key(b));

        Engine e = engine();
        CompiledModule ma = e.compile(a);
        CompiledModule mb = e.compile(b);
        assertNotSame(ma, mb, "the in-memory cache compares the bytes");
        assertEquals(2, e.compilations());
        assertWorks(ma, 11);
        assertWorks(mb, 12);
        assertSame(mb, e.compile(b));
        assertEquals(1, entries().size(), "one name for both: b's entry replaced a's");

        CompiledModule ra = engine().compile(a);
        assertFalse(ra.fromCodeCache(), "b's entry is not a's code");
        assertWorks(ra, 11);
        CompiledModule rb = engine().compile(b);
        assertFalse(rb.fromCodeCache(), "a's rebuilt entry is not b's code either");
        assertWorks(rb, 12);
        assertTrue(engine().compile(b).fromCodeCache());
        assertEquals(Engine.sha256(b), rb.sha256());
    }

    /** {@code wasm} with a custom section named "x" whose payload is {@code payload}, at the end. */
    private static byte[] withCustomSection(byte[] wasm, byte[] payload) {
        byte[] out = java.util.Arrays.copyOf(wasm, wasm.length + 4 + payload.length);
        out[wasm.length] = 0;
        out[wasm.length + 1] = (byte) (2 + payload.length);
        out[wasm.length + 2] = 1;
        out[wasm.length + 3] = 'x';
        System.arraycopy(payload, 0, out, wasm.length + 4, payload.length);
        return out;
    }

    /**
     * {@code bytes} with its last four bytes changed so that its CRC-32C equals {@code target}'s
     * (same length): CRC is linear, so the 32 bits of the window are solved for by Gaussian elimination.
     */
    private static byte[] crcTwin(byte[] bytes, byte[] target) {
        assertEquals(target.length, bytes.length);
        int at = bytes.length - 4;
        java.util.Arrays.fill(bytes, at, bytes.length, (byte) 0);
        long base = crc(bytes);
        long want = crc(target) ^ base;
        // column j: how the CRC changes when bit j of the window flips
        long[] rows = new long[32];
        for (int j = 0; j < 32; j++) {
            byte[] t = bytes.clone();
            t[at + j / 8] ^= (byte) (1 << (j % 8));
            rows[j] = (crc(t) ^ base) | (1L << (32 + j)); // high half records which bits were combined
        }
        long acc = 0;
        long[] basis = new long[32];
        for (long r : rows) {
            for (int bit = 31; bit >= 0 && r != 0; bit--) {
                if ((r >>> bit & 1) == 0) {
                    continue;
                }
                if (basis[bit] == 0) {
                    basis[bit] = r;
                    r = 0;
                } else {
                    r ^= basis[bit];
                }
            }
        }
        long v = want;
        for (int bit = 31; bit >= 0; bit--) {
            if ((v >>> bit & 1) != 0) {
                v ^= basis[bit] & 0xffffffffL;
                acc ^= basis[bit] >>> 32;
            }
        }
        assertEquals(0, v, "a 32-bit window always solves a CRC-32");
        for (int j = 0; j < 32; j++) {
            if ((acc >>> j & 1) != 0) {
                bytes[at + j / 8] ^= (byte) (1 << (j % 8));
            }
        }
        assertEquals(crc(target), crc(bytes));
        return bytes;
    }

    private static long crc(byte[] b) {
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(b, 0, b.length);
        return c.getValue();
    }

    @Test
    void classesTheVerifierRefusesAreRebuilt() throws IOException {
        byte[] wasm = module(6);
        Engine e = engine();
        e.compile(wasm);
        Path entry = entries().get(0);
        CodeCache cache = new CodeCache(dir, Long.MAX_VALUE, e.options());
        CodeCache.Entry stored = cache.decode(Files.readAllBytes(entry), wasm);
        ModuleCompiler.Output out = stored.output();
        // an entry whose checksum is right but whose class is not a class: the JVM refuses it
        byte[] broken = out.bytes().clone();
        broken[broken.length / 2] ^= 0x55;
        broken[8] ^= 0x7f; // the constant pool count: a ClassFormatError whatever the middle byte was
        Files.write(entry, cache.encode(wasm, new CodeCache.Entry(new ModuleCompiler.Output(out.binaryName(), broken, out.parts(), out.functionClasses()), stored.boundaryNeeded())));
        CompiledModule m = engine().compile(wasm);
        assertFalse(m.fromCodeCache());
        assertWorks(m, 6);
        assertTrue(engine().compile(wasm).fromCodeCache(), "the rebuilt entry");
    }

    /** {@code classFile} with a type error in its constructor (an int added to a reference): it parses, and the verifier refuses it. */
    static byte[] withTypeError(byte[] classFile) {
        org.objectweb.asm.ClassReader reader = new org.objectweb.asm.ClassReader(classFile);
        org.objectweb.asm.ClassWriter writer = new org.objectweb.asm.ClassWriter(0);
        reader.accept(new org.objectweb.asm.ClassVisitor(org.objectweb.asm.Opcodes.ASM9, writer) {
            @Override
            public org.objectweb.asm.MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] ex) {
                org.objectweb.asm.MethodVisitor mv = super.visitMethod(access, name, desc, sig, ex);
                if (!name.equals("<init>")) {
                    return mv;
                }
                return new org.objectweb.asm.MethodVisitor(org.objectweb.asm.Opcodes.ASM9, mv) {
                    @Override
                    public void visitCode() {
                        super.visitCode();
                        super.visitInsn(org.objectweb.asm.Opcodes.ACONST_NULL);
                        super.visitInsn(org.objectweb.asm.Opcodes.ICONST_1);
                        super.visitInsn(org.objectweb.asm.Opcodes.IADD);
                        super.visitInsn(org.objectweb.asm.Opcodes.POP);
                    }

                    @Override
                    public void visitMaxs(int stack, int locals) {
                        super.visitMaxs(stack + 2, locals);
                    }
                };
            }
        }, 0);
        return writer.toByteArray();
    }

    @Test
    void wellFormedClassesTheVerifierRejectsAreRebuilt() throws IOException {
        byte[] wasm = module(9);
        Engine e = engine();
        e.compile(wasm);
        Path entry = entries().get(0);
        CodeCache cache = new CodeCache(dir, Long.MAX_VALUE, e.options());
        CodeCache.Entry stored = cache.decode(Files.readAllBytes(entry), wasm);
        ModuleCompiler.Output out = stored.output();
        ModuleCompiler.Output bad = new ModuleCompiler.Output(out.binaryName(), withTypeError(out.bytes()), out.parts(), out.functionClasses());
        EngineBugException refused = assertThrows(EngineBugException.class, () -> new CompiledModule(e,
                io.wasmudf.engine.internal.decode.ModuleDecoder.decode(wasm), bad, wasm, ModuleCache.key(wasm), stored.boundaryNeeded(), true));
        assertTrue(refused.getCause() instanceof VerifyError, "the JVM's verifier is what refuses it: " + refused.getCause());
        Files.write(entry, cache.encode(wasm, new CodeCache.Entry(bad, stored.boundaryNeeded())));
        CompiledModule m = engine().compile(wasm);
        assertFalse(m.fromCodeCache(), "code the verifier refuses is never used");
        assertWorks(m, 9);
        assertTrue(engine().compile(wasm).fromCodeCache(), "the rebuilt entry");
    }

    @Test
    void enginesSharingTheDirectoryConcurrentlyAllGetWorkingModules() throws Exception {
        List<byte[]> modules = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            modules.add(module(10 + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 3; round++) {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int salt = t % 4;
                    Callable<Boolean> job = () -> {
                        CompiledModule m = engine().compile(modules.get(salt));
                        assertWorks(m, 10 + salt);
                        return m.fromCodeCache();
                    };
                    results.add(pool.submit(job));
                }
                int hits = 0;
                for (Future<Boolean> f : results) {
                    hits += f.get() ? 1 : 0;
                }
                if (round > 0) {
                    assertEquals(8, hits, "every module's entry exists after the first round");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(4, entries().size());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(4, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void theDirectoryIsBoundedLeastRecentlyUsedFirst() throws IOException {
        Engine probe = engine();
        probe.compile(module(20));
        long one = Files.size(entries().get(0));
        Files.delete(entries().get(0));
        Engine bounded = Engine.builder().untrusted().codeCache(dir).codeCacheBytes(2 * one + one / 2).build();
        bounded.compile(module(20));
        bounded.compile(module(21));
        Path first = entries().stream().filter(p -> p.getFileName().toString().startsWith(CodeCache.moduleKey(module(20)))).findFirst().orElseThrow();
        Files.setLastModifiedTime(first, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        // a hit refreshes the entry: module 20 becomes the most recently used
        assertTrue(Engine.builder().untrusted().codeCache(dir).codeCacheBytes(2 * one + one / 2).build().compile(module(20)).fromCodeCache());
        Path second = entries().stream().filter(p -> p.getFileName().toString().startsWith(CodeCache.moduleKey(module(21)))).findFirst().orElseThrow();
        Files.setLastModifiedTime(second, FileTime.fromMillis(System.currentTimeMillis() - 30_000));
        bounded.compile(module(22));
        List<String> left = entries().stream().map(p -> p.getFileName().toString().substring(0, 16)).toList();
        assertEquals(2, left.size());
        assertTrue(left.contains(CodeCache.moduleKey(module(20))));
        assertTrue(left.contains(CodeCache.moduleKey(module(22))));
        assertFalse(left.contains(CodeCache.moduleKey(module(21))), "the least recently used entry went");
    }

    @Test
    void anUnwritableDirectoryOnlyCostsTheCache() throws IOException {
        Path file = dir.resolve("not-a-directory");
        Files.write(file, new byte[] {1});
        Engine e = Engine.builder().codeCache(file).build();
        CompiledModule m = e.compile(module(8));
        assertFalse(m.fromCodeCache());
        assertWorks(m, 8);
        assertFalse(Engine.builder().codeCache(file).build().compile(module(8)).fromCodeCache());
    }

    @Test
    void theCompilerFingerprintIsStable() {
        String f = CodeCache.compilerFingerprint();
        assertEquals(16, f.length());
        assertEquals(f, CodeCache.compilerFingerprint());
        assertNotEquals(new CodeCache(dir, 1, engine().options()).entryPath("ab"),
                new CodeCache(dir, 1, Engine.create().options()).entryPath("ab"));
    }

    /** Replaces the trailing checksum of an entry by the right one for its (edited) contents. */
    private static byte[] withChecksum(byte[] entry) {
        java.nio.ByteBuffer.wrap(entry, entry.length - 8, 8).putLong(CodeCache.checksum(entry, entry.length - 8));
        return entry;
    }
}
