package io.wasmudf.udfs;

import static io.wasmudf.udfs.guest.Guest.some;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.Grants;
import io.wasmudf.engine.HostEnvironment;
import io.wasmudf.engine.UnsatisfiedImportsException;
import io.wasmudf.udfs.guest.Guest;
import io.wasmudf.udfs.guest.Oracles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Modules built from source, here and now, with each toolchain's default command, then
 * instantiated and called under the engine's host: clang for wasm32-wasi as a reactor with stdio,
 * rustc and cargo for wasm32-wasi and wasm32-unknown-unknown, asc with its default options, emcc
 * standalone with stdio. Where the command is build.sh's, the result must be the checked-in module
 * byte for byte. A missing toolchain skips its test, loudly (.ci/run installs them all).
 */
class ToolchainDefaultBuildTest {
    private static final Path DIR = Oracles.moduleDir();
    private static final String RUSTC = "/usr/bin/rustc";

    @TempDir
    Path tmp;

    /** Runs a command in {@code dir}; returns its output, failing the test on a non-zero exit. */
    private static String run(Path dir, List<String> cmd, String... env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        for (int i = 0; i < env.length; i += 2) {
            pb.environment().put(env[i], env[i + 1]);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), cmd + " did not finish");
        assertEquals(0, p.exitValue(), cmd + " failed:\n" + out);
        return out;
    }

    /** Whether {@code cmd} runs and exits 0; when not, says so on stderr and skips the test. */
    private static void require(String what, String hint, String... cmd) {
        boolean ok;
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            ok = p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            ok = false;
        }
        if (!ok) {
            System.err.println("ToolchainDefaultBuildTest: SKIPPED " + what + ": " + hint);
        }
        Assumptions.assumeTrue(ok, what + " is not installed");
    }

    private static byte[] checkedIn(String module) throws IOException {
        return Files.readAllBytes(DIR.resolve("modules").resolve(module + ".wasm"));
    }

    @Test
    void clangWasiReactorWithStdio() throws Exception {
        Path probe = Files.writeString(tmp.resolve("probe.c"), "#include <stdio.h>\nint f(void){return printf(\"x\");}\n");
        require("clang for wasm32-wasi", "apt-get install clang lld wasi-libc libclang-rt-dev-wasm32",
                "clang", "--target=wasm32-wasi", "-mexec-model=reactor", "-o", tmp.resolve("probe.wasm").toString(), probe.toString());
        for (String name : List.of("udfs", "test_hostile")) {
            Path out = tmp.resolve(name + ".wasm");
            run(DIR, List.of("clang", "--target=wasm32-wasi", "-mexec-model=reactor", "-O2", "-Iinclude", "-o", out.toString(),
                    "src/wasi/" + name + ".c"));
            String module = name.equals("udfs") ? "wasi-udfs" : "test-wasi-hostile";
            assertArrayEquals(checkedIn(module), Files.readAllBytes(out), module + " is reproducible from source");
        }
        Path src = Files.writeString(tmp.resolve("greet.c"), """
                #include <stdio.h>
                #include "wasmudf.h"
                /* greet(n integer) RETURNS text STRICT */
                WASMUDF_EXPORT(greet) int32_t greet(int32_t n)
                {
                    WASMUDF_ENTER();
                    char *s = wasmudf_alloc(64, 1);
                    int len = snprintf(s, 64, "%d apples, %.2f each", n, n / 3.0);
                    printf("made: %s\\n", s);
                    return wasmudf_return_text((const uint8_t *) s, (uint32_t) len);
                }
                """);
        Path out = tmp.resolve("greet.wasm");
        run(tmp, List.of("clang", "--target=wasm32-wasi", "-mexec-model=reactor", "-O2", "-I" + DIR.resolve("include"), "-o",
                out.toString(), src.toString()));
        try (Guest g = new Guest(Files.readAllBytes(out), Grants.NONE)) {
            assertEquals("7 apples, 2.33 each", g.text("greet", 7));
            assertEquals(List.of("STDOUT: made: 7 apples, 2.33 each"), g.output);
        }
    }

    @Test
    void rustcForBothTargets() throws Exception {
        require("Debian's rustc with the wasm32 standard libraries", "apt-get install rustc libstd-rust-dev-wasm32",
                RUSTC, "--print", "target-libdir", "--target", "wasm32-wasi");
        Assumptions.assumeTrue(Files.isDirectory(Path.of(run(DIR, List.of(RUSTC, "--print", "target-libdir", "--target", "wasm32-wasi")).trim())),
                "no wasm32-wasi std");
        for (String target : List.of("wasm32-unknown-unknown", "wasm32-wasi")) {
            Path rlib = Files.createDirectories(tmp.resolve(target)).resolve("libwasmudf.rlib");
            Path out = tmp.resolve(target + ".wasm");
            String remap = "--remap-path-prefix=" + DIR + "=.";
            run(DIR, List.of(RUSTC, "--edition", "2021", "--crate-type", "rlib", "--crate-name", "wasmudf", "--target", target, "-O",
                    remap, "-o", rlib.toString(), "rust/wasmudf/src/lib.rs"));
            run(DIR, List.of(RUSTC, "--edition", "2021", "--crate-type", "cdylib", "--target", target, "-O", "-C", "strip=debuginfo",
                    remap, "--extern", "wasmudf=" + rlib, "-o", out.toString(), "src/rust/udfs.rs"));
            String module = target.equals("wasm32-wasi") ? "rust-udfs-wasi" : "rust-udfs";
            assertArrayEquals(checkedIn(module), Files.readAllBytes(out), module + " is reproducible from source");
            try (Guest g = new Guest(Files.readAllBytes(out), Grants.NONE)) {
                assertEquals(-1, g.i32("semver_cmp", "1.0.0-rc.1", "1.0.0"));
            }
        }
    }

    @Test
    void cargoBuildWithThePathDependency() throws Exception {
        require("Debian's cargo", "apt-get install cargo rustc libstd-rust-dev-wasm32", "/usr/bin/cargo", "--version");
        Path project = Files.createDirectories(tmp.resolve("shout"));
        Files.writeString(project.resolve("Cargo.toml"), """
                [package]
                name = "shout"
                version = "0.1.0"
                edition = "2021"

                [lib]
                crate-type = ["cdylib"]

                [dependencies]
                wasmudf = { path = "%s" }
                """.formatted(DIR.resolve("rust/wasmudf")));
        Files.createDirectories(project.resolve("src"));
        Files.writeString(project.resolve("src/lib.rs"), """
                wasmudf::udf!(shout, |s: &str| -> String { format!("{}!", s.to_uppercase()) });
                wasmudf::udf!(safe_div, |a: Option<i64>, b: Option<i64>| -> Option<i64> { a?.checked_div(b?) });
                """);
        for (String target : List.of("wasm32-wasi", "wasm32-unknown-unknown")) {
            run(project, List.of("/usr/bin/cargo", "build", "--offline", "--release", "--target", target),
                    "RUSTC", RUSTC, "CARGO_HOME", tmp.resolve("cargo-home").toString());
            byte[] wasm = Files.readAllBytes(project.resolve("target/" + target + "/release/shout.wasm"));
            try (Guest g = new Guest(wasm, Grants.NONE)) {
                assertEquals("HÉLLO!", g.text("shout", "héllo"));
                int area = g.i32("safe_div", some(7L), some(2L));
                assertEquals(1, g.hosted().instance().memory("memory").readByte(area));
                assertEquals(3L, g.hosted().instance().memory("memory").readLong(area + 8));
                area = g.i32("safe_div", some(7L), some(0L));
                assertEquals(0, g.hosted().instance().memory("memory").readByte(area), "division by zero is NULL");
            }
        }
    }

    @Test
    void ascWithDefaultOptions() throws Exception {
        Path asc = DIR.resolve("assemblyscript/node_modules/.bin/asc");
        if (!Files.isExecutable(asc)) {
            System.err.println("ToolchainDefaultBuildTest: SKIPPED asc: not installed (cd wasm-udfs/assemblyscript && npm ci)");
        }
        Assumptions.assumeTrue(Files.isExecutable(asc), "asc is not installed");
        Path out = tmp.resolve("as-udfs.wasm");
        run(DIR.resolve("assemblyscript"), List.of(asc.toString(), "../src/assemblyscript/udfs.ts", "-o", out.toString(), "--optimize"));
        assertArrayEquals(checkedIn("as-udfs"), Files.readAllBytes(out), "as-udfs is reproducible from source");
        Path src = Files.writeString(DIR.resolve("assemblyscript/assembly/zz_default_build_test.ts"), """
                import { text, returnText } from "./wasmudf";
                export { cabi_realloc } from "./wasmudf";
                export function repeat_text(ptr: usize, len: usize, n: i32): usize {
                  const s = text(ptr, len);
                  if (n < 0) throw new Error("negative count");
                  return returnText(s.repeat(n));
                }
                """);
        try {
            Path plain = tmp.resolve("plain.wasm");
            run(DIR.resolve("assemblyscript"), List.of(asc.toString(), src.toString(), "-o", plain.toString()));
            try (Guest g = new Guest(Files.readAllBytes(plain), Grants.NONE)) {
                assertEquals("abab", g.text("repeat_text", "ab", 2));
                io.wasmudf.engine.Trap t = org.junit.jupiter.api.Assertions.assertThrows(io.wasmudf.engine.Trap.class,
                        () -> g.text("repeat_text", "ab", -1));
                assertTrue(t.getMessage().startsWith("abort: negative count at "), t.getMessage());
            }
        } finally {
            Files.deleteIfExists(src);
        }
    }

    @Test
    void emccStandaloneWithStdio() throws Exception {
        require("emcc", "apt-get install emscripten", "emcc", "--version");
        Path src = Files.writeString(tmp.resolve("em.c"), """
                #include <stdio.h>
                #include "wasmudf.h"
                /* cube_text(x double precision) RETURNS text STRICT */
                WASMUDF_EXPORT(cube_text) int32_t cube_text(double x)
                {
                    WASMUDF_ENTER();
                    char *s = wasmudf_alloc(64, 1);
                    int n = snprintf(s, 64, "%g", x * x * x);
                    puts(s);
                    return wasmudf_return_text((const uint8_t *) s, (uint32_t) n);
                }
                """);
        Path out = tmp.resolve("em.wasm");
        run(tmp, List.of("emcc", "-O2", "-sSTANDALONE_WASM", "--no-entry", "-I" + DIR.resolve("include"), "-o", out.toString(), src.toString()));
        try (Guest g = new Guest(Files.readAllBytes(out), Grants.NONE)) {
            assertEquals("3.375", g.text("cube_text", 1.5));
            assertEquals(List.of("STDOUT: 3.375"), g.output);
        }
    }

    /** The first fenced block of {@code lang} in this directory's README. */
    private static String readmeBlock(String lang) throws IOException {
        String readme = Files.readString(DIR.resolve("README.md"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("```" + lang + "\n(.*?)```", java.util.regex.Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "README has a " + lang + " example");
        return m.group(1);
    }

    @Test
    void theReadmeExamplesBuildWithTheirCommandsAndRun() throws Exception {
        require("clang for wasm32-wasi", "apt-get install clang lld wasi-libc libclang-rt-dev-wasm32", "clang", "--version");
        Path c = Files.writeString(tmp.resolve("shout.c"), readmeBlock("c"));
        run(tmp, List.of("clang", "--target=wasm32-wasi", "-mexec-model=reactor", "-O2", "-I", DIR.resolve("include").toString(),
                "-o", "shout.wasm", c.toString()));
        try (Guest g = new Guest(Files.readAllBytes(tmp.resolve("shout.wasm")), Grants.NONE)) {
            assertEquals("héllo!", g.text("shout", "héllo"));
            assertEquals(List.of("STDOUT: shouted 6 bytes"), g.output);
        }
        if (Files.isDirectory(Path.of("/usr/lib/rustlib/wasm32-wasi"))) {
            Files.writeString(tmp.resolve("slug.rs"), readmeBlock("rust"));
            run(tmp, List.of(RUSTC, "--edition", "2021", "--crate-type", "rlib", "--crate-name", "wasmudf", "--target", "wasm32-wasi", "-O",
                    DIR.resolve("rust/wasmudf/src/lib.rs").toString()));
            run(tmp, List.of(RUSTC, "--edition", "2021", "--crate-type", "cdylib", "--target", "wasm32-wasi", "-O", "--extern",
                    "wasmudf=libwasmudf.rlib", "-o", "slug.wasm", "slug.rs"));
            try (Guest g = new Guest(Files.readAllBytes(tmp.resolve("slug.wasm")), Grants.DETERMINISTIC)) {
                assertEquals("hello-wörld", g.text("slugify", "Hello, Wörld!"));
                assertEquals(GuestRaisedExceptionState.of(() -> g.text("only_ascii", "é")), "22023");
            }
        } else {
            System.err.println("ToolchainDefaultBuildTest: SKIPPED the README's Rust example: no wasm32-wasi std (apt-get install libstd-rust-dev-wasm32)");
        }
        Path asc = DIR.resolve("assemblyscript/node_modules/.bin/asc");
        if (Files.isExecutable(asc)) {
            Path src = Files.writeString(DIR.resolve("assemblyscript/assembly/zz_readme_example.ts"), readmeBlock("ts"));
            try {
                run(DIR.resolve("assemblyscript"), List.of(asc.toString(), src.toString(), "-o", tmp.resolve("index.wasm").toString(), "--optimize"));
            } finally {
                Files.deleteIfExists(src);
            }
            try (Guest g = new Guest(Files.readAllBytes(tmp.resolve("index.wasm")), Grants.NONE)) {
                assertEquals("AL", g.text("initials_udf", "Ada Lovelace"));
                assertEquals(3, g.i32("byte_len", new byte[3]));
                assertEquals(Integer.valueOf(2), g.packed32("word_count", some("two words")));
            }
        } else {
            System.err.println("ToolchainDefaultBuildTest: SKIPPED the README's AssemblyScript example: no asc (cd wasm-udfs/assemblyscript && npm ci)");
        }
    }

    /** The SQLSTATE a call raised through wasmudf.raise_error. */
    private static final class GuestRaisedExceptionState {
        static String of(org.junit.jupiter.api.function.Executable call) {
            return org.junit.jupiter.api.Assertions.assertThrows(io.wasmudf.engine.GuestRaisedException.class, call).sqlState();
        }
    }

    @Test
    void goHasNoWasip1BeforeGo121AndItsJsBuildIsRefusedWithEveryImportNamed() throws Exception {
        require("go", "apt-get install golang", "go", "version");
        String targets = run(tmp, List.of("go", "tool", "dist", "list"));
        if (!targets.contains("wasip1/wasm")) {
            System.err.println("ToolchainDefaultBuildTest: Go " + run(tmp, List.of("go", "env", "GOVERSION")).trim()
                    + " has no GOOS=wasip1 (Go >= 1.21): only its js/wasm build is checked, and refused");
        }
        Path src = Files.writeString(tmp.resolve("main.go"), "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hi\") }\n");
        Files.writeString(tmp.resolve("go.mod"), "module example.com/hi\n\ngo 1.19\n");
        String goos = targets.contains("wasip1/wasm") ? "wasip1" : "js";
        Path out = tmp.resolve("go.wasm");
        // the user's build cache is kept: the js/wasm runtime is compiled once, not on every run
        run(tmp, List.of("go", "build", "-o", out.toString(), src.toString()), "GOOS", goos, "GOARCH", "wasm", "GOFLAGS", "-mod=mod");
        var module = Guest.ENGINE.compile(Files.readAllBytes(out));
        List<UnsatisfiedImportsException.Unsatisfied> missing = HostEnvironment.builder().build().unsatisfiedImports(module);
        if (goos.equals("js")) {
            List<String> names = new ArrayList<>();
            missing.forEach(u -> names.add(u.info().module() + "." + u.info().name()));
            assertTrue(names.size() > 10 && names.stream().allMatch(n -> n.startsWith("go.") || n.startsWith("gojs.")), names.toString());
        } else {
            assertEquals(List.of(), missing, "a wasip1 module imports only WASI");
        }
    }
}
