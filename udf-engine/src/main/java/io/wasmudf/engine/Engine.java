package io.wasmudf.engine;

import io.wasmudf.engine.internal.compile.ModuleCompiler;
import io.wasmudf.engine.internal.decode.ModuleDecoder;
import io.wasmudf.engine.internal.model.WasmModule;
import io.wasmudf.engine.internal.validate.Validator;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Compiles WebAssembly binaries into {@link CompiledModule}s. Thread-safe. Compiled modules are
 * cached by content (a CRC of the bytes, then an exact comparison), so compiling the same bytes
 * twice returns the same module while it is cached; the cache is bounded by the estimated size of its modules
 * ({@link Builder#moduleCacheBytes}, least recently used first out), and {@link #evict} drops a
 * module its embedder no longer needs. With {@link Builder#codeCache} the generated classes are
 * also kept on disk, so that a later engine (after a restart) loads them instead of compiling.
 */
public final class Engine {
    private final Options options;
    private final ModuleCache cache;
    private final AtomicLong compilations = new AtomicLong();
    /** The persistent cache of generated classes, or null. */
    private final CodeCache codeCache;

    /** Engine settings; see {@link Engine.Builder} for each one's meaning and default. */
    public record Options(
            boolean interruptible,
            boolean fuel,
            int maxCallDepth,
            int maxMemoryPages,
            MemoryBudget memoryBudget,
            int maxModuleBytes,
            int maxFunctions,
            int maxFunctionBodyBytes,
            int methodSizeLimit,
            int classSizeLimit,
            long moduleCacheBytes,
            Path codeCache,
            long codeCacheBytes,
            WasmFeatures features) {

        /** Which checks compiled code carries. */
        ModuleCompiler.Checks checks() {
            return new ModuleCompiler.Checks(interruptible, fuel, maxCallDepth > 0);
        }
    }

    /** Default {@link Builder#maxModuleBytes}: 64 MiB. */
    public static final int DEFAULT_MAX_MODULE_BYTES = 64 << 20;
    /** Default {@link Builder#maxFunctions}: 100,000 defined functions. */
    public static final int DEFAULT_MAX_FUNCTIONS = 100_000;
    /** Default {@link Builder#maxFunctionBodyBytes}: 8 MiB. */
    public static final int DEFAULT_MAX_FUNCTION_BODY_BYTES = 8 << 20;
    /** Default {@link Builder#moduleCacheBytes}: 256 MiB of estimated module size. */
    public static final long DEFAULT_MODULE_CACHE_BYTES = 256L << 20;
    /** Default {@link Builder#codeCacheBytes}: 1 GiB of entry files. */
    public static final long DEFAULT_CODE_CACHE_BYTES = 1L << 30;
    /** Default {@link Builder#methodSizeLimit}: 6,000 estimated bytes, under HotSpot's 8,000-byte JIT limit. */
    public static final int DEFAULT_METHOD_SIZE_LIMIT = 6000;
    /** Default {@link Builder#classSizeLimit}: 32,768 instructions per generated class. */
    public static final int DEFAULT_CLASS_SIZE_LIMIT = ModuleCompiler.DEFAULT_CLASS_LIMIT;
    /** {@link Builder#untrusted()}'s memory cap: 1024 pages = 64 MiB per instance. */
    public static final int UNTRUSTED_MAX_MEMORY_PAGES = 1024;
    /** {@link Builder#untrusted()}'s call-stack budget (see {@link Builder#maxCallDepth}). */
    public static final int UNTRUSTED_MAX_CALL_DEPTH = 5_000;

    private Engine(Options options) {
        this.options = options;
        this.cache = new ModuleCache(options.moduleCacheBytes());
        this.codeCache = options.codeCache() == null ? null : new CodeCache(options.codeCache(), options.codeCacheBytes(), options);
    }

    /**
     * An engine with defaults for trusted code: no compiled checks (no interrupt, fuel or depth
     * limit; deep recursion still traps when the JVM stack overflows), memory capped only by the
     * JVM (32767 pages), and the default size caps.
     *
     * @throws IllegalArgumentException as {@link Builder#build()} does, for an engine system
     *                                  property with a value the engine does not know
     */
    public static Engine create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Options options() {
        return options;
    }

    /** {@code -Dwasmudf.compile.timing=true}: every compile prints the wall time of its phases (and each 64 KB retry) to stderr. */
    private static final boolean TIMING = Boolean.getBoolean("wasmudf.compile.timing");

    /** Instantiation limits from this engine's settings: its memory cap and budget, unlimited fuel, no timeout. */
    public InstanceLimits defaultLimits() {
        return new InstanceLimits(options.maxMemoryPages(), options.memoryBudget(), Long.MAX_VALUE, null);
    }

    /**
     * Decodes, validates and compiles {@code wasm}.
     *
     * @throws MalformedModuleException if the bytes are not a well-formed binary
     * @throws InvalidModuleException   if the module does not validate
     * @throws ResourceLimitException   if the module exceeds the engine's size caps or the JVM's limits
     * @throws EngineBugException       if the engine fails on a valid module (a compiler defect, or
     *                                  generated code the JVM refuses)
     */
    public CompiledModule compile(byte[] wasm) {
        ModuleSizeCheck.check(wasm, options);
        // no SHA-256 here: a young JVM computes it interpreted, slower than a code-cache load
        long key = ModuleCache.key(wasm);
        CompiledModule cached = cache.get(key, wasm);
        if (cached != null) {
            return cached;
        }
        // the first module this JVM compiles or loads: the JIT can compile the memory helpers
        // its first call will need while this thread loads it (once per JVM)
        io.wasmudf.engine.internal.runtime.HelperWarmup.start();
        // our own copy: the module keeps its bytes (exact comparison on a hit, sha256() on demand)
        byte[] bytes = wasm.clone();
        CompiledModule compiled;
        try {
            // An entry exists only for bytes that decoded and validated whole under this same engine
            // build (the fingerprint in its key covers decoder and validator), so a hit decodes
            // only what instantiation needs and skips validation — the costliest steps left in a
            // young JVM. A forged entry gains nothing by it: whoever can write the directory can
            // supply any verifiable code anyway (see Builder#codeCache).
            compiled = codeCache == null ? null : fromCodeCache(bytes, key);
            if (compiled == null) {
                long t0 = System.nanoTime();
                WasmModule module = ModuleDecoder.decode(bytes, options.features());
                long t1 = System.nanoTime();
                Validator.validate(module, options.features());
                long t2 = System.nanoTime();
                // ResourceLimitException for a class-file limit, EngineBugException for anything else
                ModuleCompiler.Output out = ModuleCompiler.compile(module, options.checks(), options.methodSizeLimit(), options.classSizeLimit());
                long t3 = System.nanoTime();
                compilations.incrementAndGet();
                java.util.BitSet boundary = CompiledModule.boundaryNeeded(module);
                compiled = new CompiledModule(this, module, out, bytes, key, boundary, false);
                if (TIMING) {
                    System.err.printf(java.util.Locale.ROOT, "compile timing: decode %.2f ms, validate %.2f ms, compile %.2f ms, define+link %.2f ms%n",
                            (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (System.nanoTime() - t3) / 1e6);
                }
                if (codeCache != null) {
                    // only code the JVM has verified and linked is stored
                    codeCache.store(bytes, new CodeCache.Entry(out, boundary));
                }
            }
        } catch (WasmException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            // a decoder, compiler or class-verifier failure on input the engine accepted: our defect
            throw new EngineBugException("compiling the module failed inside the engine: " + e, e);
        }
        return cache.putIfAbsent(compiled);
    }

    /**
     * The module built from its code-cache entry, or null when there is no usable entry: missing,
     * corrupt, stale, another module's, or classes the JVM's verifier refuses (then the caller
     * compiles and the new entry replaces the bad one).
     */
    private CompiledModule fromCodeCache(byte[] wasm, long key) {
        CodeCache.Entry entry = codeCache.load(wasm);
        if (entry == null) {
            return null;
        }
        // the JVM defines and verifies the classes on a helper thread while this one decodes
        ClassDefinition classes = ClassDefinition.start(entry.output());
        try {
            WasmModule module = ModuleDecoder.decodeWithoutCode(wasm, options.features());
            // the owners table must cover every function, the boundary bits only defined ones
            if (entry.output().functionClasses().size() != module.importedFunctionCount() + module.functions().length
                    || entry.boundaryNeeded().length() > module.functions().length) {
                classes.cancel();
                return null;
            }
            return new CompiledModule(this, module, entry.output(), classes, wasm, key, entry.boundaryNeeded(), true);
        } catch (LinkageError | RuntimeException e) {
            classes.cancel();
            return null;
        }
    }

    /** How many modules this engine has compiled (not counting those loaded from the code cache); for tests. */
    long compilations() {
        return compilations.get();
    }

    /** The code-cache directory, or null when the engine has none. */
    public Path codeCacheDirectory() {
        return codeCache == null ? null : codeCache.directory();
    }

    /**
     * Checks that {@code wasm} is a module this engine would accept — size caps, decoding,
     * validation — without compiling it or caching anything (e.g. for refusing an upload early).
     *
     * @throws MalformedModuleException, InvalidModuleException, ResourceLimitException as {@link #compile}
     */
    public void validate(byte[] wasm) {
        ModuleSizeCheck.check(wasm, options);
        try {
            Validator.validate(ModuleDecoder.decode(wasm, options.features()), options.features());
        } catch (WasmException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new EngineBugException("validating the module failed inside the engine: " + e, e);
        }
    }

    /**
     * The cached module compiled from bytes with this SHA-256 (lower-case hex), or null. Computes
     * the hash of each cached module once, on the first such call after its compile.
     */
    public CompiledModule cached(String sha256) {
        return cache.bySha256(sha256);
    }

    /**
     * Drops the module with this SHA-256 from the cache (a no-op when it is not cached). Its
     * instances and whoever holds it keep working; the next {@link #compile} of those bytes compiles
     * them again. Returns whether a module was dropped.
     */
    public boolean evict(String sha256) {
        return cache.removeBySha256(sha256);
    }

    /** The estimated size of the cached modules ({@link CompiledModule#estimatedBytes()}), in bytes. */
    public long cachedBytes() {
        return cache.bytes();
    }

    /** Hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Builds an {@link Engine}. */
    public static final class Builder {
        private boolean interruptible;
        private boolean fuel;
        private int maxCallDepth;
        private int maxMemoryPages = Memory.MAX_PAGES;
        private MemoryBudget memoryBudget;
        private int maxModuleBytes = DEFAULT_MAX_MODULE_BYTES;
        private int maxFunctions = DEFAULT_MAX_FUNCTIONS;
        private int maxFunctionBodyBytes = DEFAULT_MAX_FUNCTION_BODY_BYTES;
        // the system property lets tests and experiments outline more without code changes
        private int methodSizeLimit = Integer.getInteger("wasmudf.compile.methodLimit", DEFAULT_METHOD_SIZE_LIMIT);
        private int classSizeLimit = Integer.getInteger("wasmudf.compile.classLimit", DEFAULT_CLASS_SIZE_LIMIT);
        private long moduleCacheBytes = DEFAULT_MODULE_CACHE_BYTES;
        private Path codeCache;
        private long codeCacheBytes = DEFAULT_CODE_CACHE_BYTES;
        private WasmFeatures features = WasmFeatures.V3_0;

        /**
         * The settings for untrusted guests, as SQL functions are: {@code interruptible(true)},
         * {@code maxCallDepth(UNTRUSTED_MAX_CALL_DEPTH)}, {@code maxMemoryPages(1024)} (64 MiB). Fuel
         * stays off. Later calls on this builder override single settings.
         */
        public Builder untrusted() {
            interruptible = true;
            maxCallDepth = UNTRUSTED_MAX_CALL_DEPTH;
            maxMemoryPages = UNTRUSTED_MAX_MEMORY_PAGES;
            return this;
        }

        /**
         * Compiles a check of a volatile flag into function entries and loop headers, so that
         * {@link Instance#interrupt()} and {@link Instance#setDeadline(long)} can stop running code.
         * Off by default (the generated code then has no checks).
         */
        public Builder interruptible(boolean on) {
            this.interruptible = on;
            return this;
        }

        /**
         * Compiles fuel metering (see {@link Instance#setFuel(long)}): a deterministic instruction
         * budget. Off by default.
         */
        public Builder fuel(boolean on) {
            this.fuel = on;
            return this;
        }

        /**
         * Limits the call stack: each call of a function takes {@code 1 + slots / 16} units of
         * budget, where {@code slots} counts its parameters and locals (i64/f64 count two) plus one,
         * and gives them back when it returns; a call through {@code call_indirect} or an import
         * takes 7 more (its method-handle frames are larger); a function that makes no calls takes
         * none (it adds one frame at most). A call that exceeds {@code units} traps with
         * {@link TrapKind#CALL_STACK_EXHAUSTED}, so for ordinary functions this is the maximum call
         * depth, whatever thread runs the call, provided the thread's stack holds it (measured: about
         * 115 bytes per unit in the interpreter, less once compiled; 5,000 units fit a 1 MiB stack).
         * Where the stack is smaller, the JVM's {@code StackOverflowError} comes first and becomes the
         * same trap. 0 (the default) compiles no accounting: only the JVM stack bounds recursion.
         */
        public Builder maxCallDepth(int units) {
            if (units < 0) {
                throw new IllegalArgumentException("maxCallDepth must not be negative");
            }
            this.maxCallDepth = units;
            return this;
        }

        /** Caps every instance's memory; growth beyond fails with -1, a larger minimum fails instantiation. */
        public Builder maxMemoryPages(int pages) {
            if (pages < 0 || pages > Memory.MAX_PAGES) {
                throw new IllegalArgumentException("maxMemoryPages must be in [0, " + Memory.MAX_PAGES + "]");
            }
            this.maxMemoryPages = pages;
            return this;
        }

        /** The default {@link MemoryBudget} shared by instances (see {@link #defaultLimits()}); null for none. */
        public Builder memoryBudget(MemoryBudget budget) {
            this.memoryBudget = budget;
            return this;
        }

        /** Refuses larger module binaries at compile; default {@link #DEFAULT_MAX_MODULE_BYTES}. */
        public Builder maxModuleBytes(int bytes) {
            this.maxModuleBytes = positive("maxModuleBytes", bytes);
            return this;
        }

        /** Refuses modules defining more functions at compile; default {@link #DEFAULT_MAX_FUNCTIONS}. */
        public Builder maxFunctions(int count) {
            this.maxFunctions = positive("maxFunctions", count);
            return this;
        }

        /** Refuses modules with a larger function body at compile; default {@link #DEFAULT_MAX_FUNCTION_BODY_BYTES}. */
        public Builder maxFunctionBodyBytes(int bytes) {
            this.maxFunctionBodyBytes = positive("maxFunctionBodyBytes", bytes);
            return this;
        }

        /**
         * Tuning: the estimated bytecode size (bytes) above which a function's largest blocks and
         * loops are compiled as separate JVM methods, so that HotSpot, which does not JIT methods
         * over 8,000 bytes, compiles them. Default {@link #DEFAULT_METHOD_SIZE_LIMIT}; 0 outlines
         * every block (slow; for testing the outliner).
         */
        public Builder methodSizeLimit(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("methodSizeLimit must not be negative");
            }
            this.methodSizeLimit = bytes;
            return this;
        }

        /**
         * Tuning: the number of instructions in function bodies above which a module's functions
         * are compiled into several JVM classes of about that size, in parallel, each verified by the
         * JVM in parallel too. Default {@link #DEFAULT_CLASS_SIZE_LIMIT}; 1 puts every function in
         * its own class (for testing).
         */
        public Builder classSizeLimit(int instructions) {
            this.classSizeLimit = positive("classSizeLimit", instructions);
            return this;
        }

        /**
         * Bounds the cache of compiled modules by their {@link CompiledModule#estimatedBytes()}: when
         * a new module would exceed it, the least recently used ones leave the cache. 0 caches
         * nothing. Default {@link #DEFAULT_MODULE_CACHE_BYTES}.
         */
        public Builder moduleCacheBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("moduleCacheBytes must not be negative");
            }
            this.moduleCacheBytes = bytes;
            return this;
        }

        /**
         * Keeps the classes generated for each module in files under {@code directory} (created when
         * missing), so that a later engine with the same settings — in this JVM or after a restart —
         * loads them instead of compiling again. Entries are keyed by the module (each holds the
         * module's bytes, compared exactly on load), the compiler's build and the settings that shape
         * generated code; one that is corrupt, stale or refused by the JVM's verifier is ignored and
         * rewritten. Several engines and JVMs may share
         * a directory. It must be as trusted as the engine's own jar: whoever can write it can supply
         * the code that runs (the JVM's verifier still keeps that code type-safe). Null (the default)
         * keeps compiled code in memory only.
         */
        public Builder codeCache(Path directory) {
            this.codeCache = directory;
            return this;
        }

        /**
         * Bounds the code-cache directory's entry files; past it, the least recently used entries are
         * deleted. An entry larger than the bound is not written. Default {@link #DEFAULT_CODE_CACHE_BYTES}.
         */
        public Builder codeCacheBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("codeCacheBytes must not be negative");
            }
            this.codeCacheBytes = bytes;
            return this;
        }

        /**
         * The WebAssembly version this engine accepts: {@link WasmFeatures#V3_0} (the default) or
         * {@link WasmFeatures#V2_0}, which refuses 3.0 modules as a 2.0 engine does and with its
         * wording (e.g. a second memory is invalid, "multiple memories") — for an embedder that
         * wants only 2.0 modules, or to run the 2.0 spec suite.
         */
        public Builder features(WasmFeatures features) {
            this.features = java.util.Objects.requireNonNull(features, "features");
            return this;
        }

        private static int positive(String what, int v) {
            if (v <= 0) {
                throw new IllegalArgumentException(what + " must be positive");
            }
            return v;
        }

        /**
         * The engine with these settings.
         *
         * @throws IllegalArgumentException if one of the engine's {@code -Dwasmudf.…} system
         *                                  properties has a value the engine does not know (e.g.
         *                                  {@code -Dwasmudf.compile.helperFreeForms} other than
         *                                  {@code all}, {@code small} or {@code none})
         */
        public Engine build() {
            // before the code cache's key is made of the properties: no entry for a setting never used
            io.wasmudf.engine.internal.compile.CompileProperties.check();
            return new Engine(new Options(interruptible, fuel, maxCallDepth, maxMemoryPages, memoryBudget,
                    maxModuleBytes, maxFunctions, maxFunctionBodyBytes, methodSizeLimit, classSizeLimit, moduleCacheBytes, codeCache, codeCacheBytes, features));
        }
    }
}
