package io.wasmudf.engine.difffuzz;

import io.wasmudf.engine.RandomModules;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Where fuzzed modules come from: a module per seed, the same bytes for the same seed. */
interface ModuleSource {
    /** The features binaryen 108 (Debian's) may use: Wasm 2.0 without SIMD and reference types (see docs/FUZZING.md). */
    String DEFAULT_TTF_FEATURES = "--enable-sign-ext --enable-nontrapping-float-to-int --enable-bulk-memory --enable-multivalue";

    String name();

    byte[] module(long seed) throws IOException, InterruptedException;

    /**
     * The source named {@code name}: {@code ttf} (binaryen's {@code wasm-opt -ttf}), {@code ttf-tail}
     * (its modules that contain a tail call) or {@code own} ({@link RandomModules}).
     */
    static ModuleSource named(String name, String wasmOpt, String features, Path workDir) {
        switch (name) {
            case "ttf": return new Ttf(wasmOpt, features, workDir);
            case "ttf-tail": return new TtfTail(new Ttf(wasmOpt, features, workDir));
            case "own": return new Own();
            default: throw new IllegalArgumentException("unknown module source " + name + " (ttf or own)");
        }
    }

    /** The executable {@code tool} on the PATH, or null. */
    static String onPath(String tool) {
        if (tool.contains(File.separator)) {
            return Files.isExecutable(Path.of(tool)) ? tool : null;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return Path.of(dir, tool).toString();
            }
        }
        return null;
    }

    /** binaryen's translate-to-fuzz mode over 1–8 KB ({@code -Dwasmudf.difffuzz.inputKB}) of random bytes from the seed. */
    record Ttf(String wasmOpt, String features, Path workDir) implements ModuleSource {
        @Override
        public String name() {
            return "ttf";
        }

        @Override
        public byte[] module(long seed) throws IOException, InterruptedException {
            Random random = new Random(seed);
            int maxKb = Integer.getInteger("wasmudf.difffuzz.inputKB", 8);
            byte[] input = new byte[1024 + random.nextInt(Math.max(1, maxKb - 1) * 1024)];
            random.nextBytes(input);
            Files.createDirectories(workDir);
            Path in = workDir.resolve("ttf-input.dat");
            Path out = workDir.resolve("ttf-output.wasm");
            Files.write(in, input);
            Files.deleteIfExists(out);
            List<String> command = new ArrayList<>(List.of(wasmOpt, "-ttf", in.toString(), "-o", out.toString()));
            command.addAll(List.of(features.trim().split("\\s+")));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(workDir.resolve("ttf.log").toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("wasm-opt -ttf did not finish in 60 s for seed " + seed);
            }
            if (p.exitValue() != 0 || !Files.exists(out)) {
                throw new IOException("wasm-opt -ttf failed (exit " + p.exitValue() + ") for seed " + seed + ": "
                        + Files.readString(workDir.resolve("ttf.log")));
            }
            return Files.readAllBytes(out);
        }
    }

    /**
     * {@link Ttf} modules that contain a tail call ({@code return_call} or {@code return_call_indirect}):
     * for seed {@code s}, the first module of seeds {@code 64·s … 64·s + 63} that has one (the last
     * one if none does). binaryen 108 puts one in fewer than one module in ten, so without this a
     * CI-sized slice would test almost none.
     */
    record TtfTail(Ttf ttf) implements ModuleSource {
        @Override
        public String name() {
            return "ttf-tail";
        }

        @Override
        public byte[] module(long seed) throws IOException, InterruptedException {
            byte[] module = null;
            for (int k = 0; k < 64; k++) {
                module = ttf.module(seed * 64 + k);
                if (hasTailCall(module)) {
                    break;
                }
            }
            return module;
        }

        static boolean hasTailCall(byte[] wasm) {
            var decoded = io.wasmudf.engine.internal.decode.ModuleDecoder.decode(wasm);
            for (var body : decoded.bodies()) {
                for (var in : body.code()) {
                    int op = in.opcode();
                    if (op == io.wasmudf.engine.internal.model.Opcodes.RETURN_CALL
                            || op == io.wasmudf.engine.internal.model.Opcodes.RETURN_CALL_INDIRECT) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** The project's own generator: typed expression trees with memory, loops, calls and call_indirect. */
    record Own() implements ModuleSource {
        @Override
        public String name() {
            return "own";
        }

        @Override
        public byte[] module(long seed) {
            Random random = new Random(seed);
            return new RandomModules(random, 2 + random.nextInt(6)).module();
        }
    }
}
