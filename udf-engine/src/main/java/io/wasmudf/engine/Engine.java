package io.wasmudf.engine;

import io.wasmudf.engine.internal.compile.ModuleCompiler;
import io.wasmudf.engine.internal.decode.ModuleDecoder;
import io.wasmudf.engine.internal.model.WasmModule;
import io.wasmudf.engine.internal.validate.Validator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles WebAssembly binaries into {@link CompiledModule}s. Thread-safe; compiled modules are
 * cached by content hash and options, so compiling the same bytes twice returns the same module.
 */
public final class Engine {
    private final Options options;
    private final Map<String, CompiledModule> cache = new ConcurrentHashMap<>();

    /** Engine settings; see {@link Engine#builder()}. */
    public record Options(boolean interruptible, int maxMemoryPages) {}

    private Engine(Options options) {
        this.options = options;
    }

    /** An engine with defaults: no interruption checks, memory capped only by the JVM (32767 pages). */
    public static Engine create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Options options() {
        return options;
    }

    /**
     * Decodes, validates and compiles {@code wasm}.
     *
     * @throws MalformedModuleException if the bytes are not a well-formed binary
     * @throws InvalidModuleException   if the module does not validate
     * @throws ResourceLimitException   if the module does not fit the JVM's limits
     */
    public CompiledModule compile(byte[] wasm) {
        String sha = sha256(wasm);
        CompiledModule cached = cache.get(sha);
        if (cached != null) {
            return cached;
        }
        WasmModule module = ModuleDecoder.decode(wasm);
        Validator.validate(module);
        ModuleCompiler.Output out;
        try {
            out = ModuleCompiler.compile(module, options.interruptible());
        } catch (ModuleCompiler.TooLargeException e) {
            throw new ResourceLimitException(e.getMessage(), e);
        }
        CompiledModule compiled = new CompiledModule(this, module, out, sha);
        CompiledModule raced = cache.putIfAbsent(sha, compiled);
        return raced != null ? raced : compiled;
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
        private int maxMemoryPages = Memory.MAX_PAGES;

        /** Compiles checks for {@link Instance#interrupt()} into loop headers and function entries. */
        public Builder interruptible(boolean on) {
            this.interruptible = on;
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

        public Engine build() {
            return new Engine(new Options(interruptible, maxMemoryPages));
        }
    }
}
