package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.connect;
import static io.wasmudf.h2.TestSupport.exec;
import static io.wasmudf.h2.TestSupport.fails;
import static io.wasmudf.h2.TestSupport.memUrl;
import static io.wasmudf.h2.TestSupport.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Modules built from source here and now with each toolchain's default command, outside the
 * repository's build, then uploaded with CREATE FUNCTION and called from SQL: clang for
 * wasm32-wasi as a reactor with stdio, Debian's rustc for wasm32-wasi and wasm32-unknown-unknown
 * (and cargo), asc with its default options, emcc standalone with stdio. A missing toolchain skips
 * its test loudly, and fails it under WASMUDF_CI=required (.ci/run installs them all).
 */
class ToolchainBuildsSqlTest {
    /** wasm-udfs: the SDKs (include/, rust/wasmudf, assemblyscript/assembly). */
    private static final Path UDFS = Path.of("..", "wasm-udfs").toAbsolutePath().normalize();
    private static final String RUSTC = "/usr/bin/rustc";

    @TempDir
    Path tmp;

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

    /** Whether {@code cmd} runs and exits 0 (a toolchain probe). */
    private static boolean works(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Creates {@code signature} from {@code wasm} in a fresh database (the module uploaded as a parameter). */
    private static Connection create(byte[] wasm, String... signatures) throws SQLException {
        Connection c = connect(memUrl());
        for (String s : signatures) {
            try (PreparedStatement ps = c.prepareStatement("CREATE FUNCTION " + s + " LANGUAGE wasm AS ?")) {
                ps.setBytes(1, wasm);
                ps.execute();
            }
        }
        return c;
    }

    private static List<String> warnings(Statement st) throws SQLException {
        List<String> out = new ArrayList<>();
        for (SQLWarning w = st.getWarnings(); w != null; w = w.getNextWarning()) {
            out.add(w.getMessage());
        }
        return out;
    }

    @Test
    void clangWasiReactorWithStdio() throws Exception {
        Path probe = Files.writeString(tmp.resolve("probe.c"), "#include <stdio.h>\nint f(void){return printf(\"x\");}\n");
        Required.resource(works("clang", "--target=wasm32-wasi", "-mexec-model=reactor", "-o", tmp.resolve("probe.wasm").toString(),
                probe.toString()), "clang for wasm32-wasi (apt-get install clang lld wasi-libc libclang-rt-dev-wasm32)");
        Path src = Files.writeString(tmp.resolve("greet.c"), """
                #include <stdio.h>
                #include <stdlib.h>
                #include "wasmudf.h"
                /* greet(n integer) RETURNS text STRICT */
                WASMUDF_EXPORT(greet) int32_t greet(int32_t n)
                {
                    WASMUDF_ENTER();
                    char *s = malloc(64);
                    int len = snprintf(s, 64, "%d apples, %.2f each", n, n / 3.0);
                    printf("made: %s\\n", s);
                    return wasmudf_return_text((const uint8_t *) s, (uint32_t) len);
                }
                """);
        Path out = tmp.resolve("greet.wasm");
        run(tmp, List.of("clang", "--target=wasm32-wasi", "-mexec-model=reactor", "-O2", "-I" + UDFS.resolve("include"), "-o",
                out.toString(), src.toString()));
        try (Connection c = create(Files.readAllBytes(out), "greet(n integer) RETURNS text IMMUTABLE STRICT");
             Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT x, greet(x) FROM SYSTEM_RANGE(0, 200) ORDER BY x")) {
                while (rs.next()) {
                    int n = rs.getInt(1);
                    assertEquals(n + " apples, " + new BigDecimal(n / 3.0).setScale(2, RoundingMode.HALF_EVEN) + " each", rs.getString(2));
                }
            }
            List<String> w = warnings(st);
            assertEquals(201, w.size());
            assertEquals("function greet: stdout: made: 7 apples, 2.33 each", w.get(7));
        }
    }

    @Test
    void rustcForWasm32WasiAndWasm32UnknownUnknown() throws Exception {
        Required.resource(works(RUSTC, "--print", "target-libdir", "--target", "wasm32-wasi")
                && Files.isDirectory(Path.of("/usr/lib/rustlib/wasm32-wasi")) && Files.isDirectory(Path.of("/usr/lib/rustlib/wasm32-unknown-unknown")),
                "Debian's rustc with the wasm32 standard libraries (apt-get install rustc libstd-rust-dev-wasm32)");
        Path src = Files.writeString(tmp.resolve("words.rs"), """
                use std::collections::HashMap;
                // most_common(s text) RETURNS text CALLED ON NULL INPUT: the most frequent word (ties: the first seen), NULL for none
                wasmudf::udf!(most_common, |s: Option<&str>| -> Option<String> {
                    let s = s?;
                    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
                    for (i, w) in s.split_whitespace().enumerate() {
                        let e = counts.entry(w).or_insert((0, i));
                        e.0 += 1;
                    }
                    let best = counts.into_iter().max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)))?;
                    println!("{} words checked", s.split_whitespace().count());
                    Some(best.0.to_string())
                });
                // checked_pow(b bigint, e integer) RETURNS bigint: an error on overflow
                wasmudf::udf!(checked_pow, |b: i64, e: i32| -> i64 {
                    match b.checked_pow(e as u32) {
                        Some(v) => v,
                        None => wasmudf::raise("22003", "bigint out of range"),
                    }
                });
                """);
        for (String target : List.of("wasm32-wasi", "wasm32-unknown-unknown")) {
            Path dir = Files.createDirectories(tmp.resolve(target));
            run(dir, List.of(RUSTC, "--edition", "2021", "--crate-type", "rlib", "--crate-name", "wasmudf", "--target", target, "-O",
                    UDFS.resolve("rust/wasmudf/src/lib.rs").toString()));
            run(dir, List.of(RUSTC, "--edition", "2021", "--crate-type", "cdylib", "--target", target, "-O", "--extern",
                    "wasmudf=libwasmudf.rlib", "-o", "words.wasm", src.toString()));
            try (Connection c = create(Files.readAllBytes(dir.resolve("words.wasm")), "most_common(s text) RETURNS text IMMUTABLE CALLED ON NULL INPUT",
                    "checked_pow(b bigint, e integer) RETURNS bigint IMMUTABLE STRICT")) {
                assertEquals("b", one(c, "SELECT most_common('a b c b a b')"), target);
                assertEquals("x", one(c, "SELECT most_common('x y')"), target);
                assertNull(one(c, "SELECT most_common('   ')"), target);
                assertNull(one(c, "SELECT most_common(NULL)"), target);
                assertEquals(1024L, one(c, "SELECT checked_pow(2, 10)"), target);
                SQLException e = fails("22003", () -> one(c, "SELECT checked_pow(10, 19)"));
                assertTrue(e.getMessage().startsWith("function checked_pow: bigint out of range"), e.getMessage());
                assertEquals(Long.MIN_VALUE, one(c, "SELECT checked_pow(-2, 63)"), target);
                String imports = target.equals("wasm32-wasi") ? "imports WASI" : "freestanding";
                assertEquals("clock=fixed,random=seeded", one(c, "SELECT grants FROM wasm.functions WHERE name = 'MOST_COMMON'"), imports);
            }
        }
    }

    @Test
    void cargoBuildWithThePathDependency() throws Exception {
        Required.resource(works("/usr/bin/cargo", "--version") && Files.isDirectory(Path.of("/usr/lib/rustlib/wasm32-wasi")),
                "Debian's cargo (apt-get install cargo rustc libstd-rust-dev-wasm32)");
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
                """.formatted(UDFS.resolve("rust/wasmudf")));
        Files.createDirectories(project.resolve("src"));
        Files.writeString(project.resolve("src/lib.rs"), """
                wasmudf::udf!(shout, |s: &str| -> String { format!("{}!", s.to_uppercase()) });
                wasmudf::udf!(safe_div, |a: Option<i64>, b: Option<i64>| -> Option<i64> { a?.checked_div(b?) });
                """);
        for (String target : List.of("wasm32-wasi", "wasm32-unknown-unknown")) {
            run(project, List.of("/usr/bin/cargo", "build", "--offline", "--release", "--target", target),
                    "RUSTC", RUSTC, "CARGO_HOME", tmp.resolve("cargo-home").toString());
            byte[] wasm = Files.readAllBytes(project.resolve("target/" + target + "/release/shout.wasm"));
            try (Connection c = create(wasm, "shout(s text) RETURNS text IMMUTABLE STRICT",
                    "safe_div(a bigint, b bigint) RETURNS bigint IMMUTABLE CALLED ON NULL INPUT")) {
                assertEquals("HÉLLO!", one(c, "SELECT shout('héllo')"));
                assertEquals(3L, one(c, "SELECT safe_div(7, 2)"));
                assertNull(one(c, "SELECT safe_div(7, 0)"), "division by zero is NULL");
                assertNull(one(c, "SELECT safe_div(NULL, 2)"));
            }
        }
    }

    @Test
    void ascWithDefaultOptions() throws Exception {
        Path asc = UDFS.resolve("assemblyscript/node_modules/.bin/asc");
        Required.resource(Files.isExecutable(asc), "asc (cd wasm-udfs/assemblyscript && npm ci)");
        Path src = UDFS.resolve("assemblyscript/assembly/zz_sql_default_build_test.ts");
        Files.writeString(src, """
                import { text, returnText } from "./wasmudf";
                export { cabi_realloc } from "./wasmudf";
                // repeat_text(s text, n integer) RETURNS text STRICT
                export function repeat_text(ptr: usize, len: usize, n: i32): usize {
                  const s = text(ptr, len);
                  if (n < 0) throw new Error("negative count");
                  trace("repeating", 1, <f64>n);
                  return returnText(s.repeat(n));
                }
                """);
        Path out = tmp.resolve("plain.wasm");
        try {
            run(UDFS.resolve("assemblyscript"), List.of(asc.toString(), src.toString(), "-o", out.toString()));
        } finally {
            Files.deleteIfExists(src);
        }
        try (Connection c = create(Files.readAllBytes(out), "repeat_text(s text, n integer) RETURNS text IMMUTABLE STRICT");
             Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT repeat_text('ab', 2), repeat_text('ü', 3)")) {
                rs.next();
                assertEquals("abab", rs.getString(1));
                assertEquals("üüü", rs.getString(2));
            }
            assertEquals(List.of("function repeat_text: trace: repeating 2", "function repeat_text: trace: repeating 3"), warnings(st));
            SQLException e = fails("38000", () -> one(c, "SELECT repeat_text('ab', -1)"));
            assertTrue(e.getMessage().matches("(?s)function repeat_text: abort: negative count at \\S+zz_sql_default_build_test\\.ts:\\d+:\\d+.*"),
                    e.getMessage());
            assertEquals("x", one(c, "SELECT repeat_text('x', 1)"));
        }
    }

    @Test
    void emccStandaloneWithStdio() throws Exception {
        Required.resource(works("emcc", "--version"), "emcc (apt-get install emscripten)");
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
        run(tmp, List.of("emcc", "-O2", "-sSTANDALONE_WASM", "--no-entry", "-I" + UDFS.resolve("include"), "-o", out.toString(), src.toString()));
        try (Connection c = create(Files.readAllBytes(out), "cube_text(x double precision) RETURNS text IMMUTABLE STRICT");
             Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT cube_text(1.5), cube_text(-2)")) {
                rs.next();
                assertEquals("3.375", rs.getString(1));
                assertEquals("-8", rs.getString(2));
            }
            assertEquals(List.of("function cube_text: stdout: 3.375", "function cube_text: stdout: -8"), warnings(st));
        }
    }

    /** The fenced {@code lang} block of the main README's section on modules that import. */
    private static String readmeBlock(String lang) throws IOException {
        String readme = Files.readString(UDFS.resolve("../README.md"));
        String section = readme.substring(readme.indexOf("### Modules that import"), readme.indexOf("**Output.**"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("```" + lang + "\n(.*?)```", java.util.regex.Pattern.DOTALL).matcher(section);
        assertTrue(m.find(), "the README has a " + lang + " example");
        return m.group(1);
    }

    @Test
    void theReadmesRustAndAssemblyScriptExamplesGiveTheSessionItShows() throws Exception {
        Required.resource(works(RUSTC, "--print", "target-libdir", "--target", "wasm32-wasi") && Files.isDirectory(Path.of("/usr/lib/rustlib/wasm32-wasi")),
                "Debian's rustc with the wasm32 standard libraries (apt-get install rustc libstd-rust-dev-wasm32)");
        Path asc = UDFS.resolve("assemblyscript/node_modules/.bin/asc");
        Required.resource(Files.isExecutable(asc), "asc (cd wasm-udfs/assemblyscript && npm ci)");
        Files.writeString(tmp.resolve("slug.rs"), readmeBlock("rust"));
        run(tmp, List.of(RUSTC, "--edition", "2021", "--crate-type", "rlib", "--crate-name", "wasmudf", "--target", "wasm32-wasi", "-O",
                UDFS.resolve("rust/wasmudf/src/lib.rs").toString()));
        run(tmp, List.of(RUSTC, "--edition", "2021", "--crate-type", "cdylib", "--target", "wasm32-wasi", "-O", "--extern",
                "wasmudf=libwasmudf.rlib", "-o", "slug.wasm", "slug.rs"));
        // asc names the file in abort messages as given on its command line: build as the README does, from a project directory
        Path project = Files.createDirectories(tmp.resolve("names/assembly"));
        Files.copy(UDFS.resolve("assemblyscript/assembly/wasmudf.ts"), project.resolve("wasmudf.ts"));
        Files.writeString(project.resolve("index.ts"), readmeBlock("ts"));
        run(tmp.resolve("names"), List.of(asc.toString(), "assembly/index.ts", "-o", "initials.wasm"));
        try (Connection c = connect(memUrl())) {
            TestSupport.upload(c, "slug", Files.readAllBytes(tmp.resolve("slug.wasm")));
            TestSupport.upload(c, "names", Files.readAllBytes(tmp.resolve("names/initials.wasm")));
            exec(c, "CREATE FUNCTION slugify(s text) RETURNS text LANGUAGE wasm IMMUTABLE STRICT AS 'slug'");
            exec(c, "CREATE FUNCTION initials(name text) RETURNS text LANGUAGE wasm IMMUTABLE STRICT AS 'names'");
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT slugify('Hello, Wörld!'), initials('Ada Lovelace')")) {
                rs.next();
                assertEquals("hello-wörld", rs.getString(1));
                assertEquals("AL", rs.getString(2));
                assertEquals(List.of("function slugify: stdout: slugifying 14 bytes"), warnings(st));
            }
            SQLException e = fails("38000", () -> one(c, "SELECT initials('')"));
            assertTrue(e.getMessage().startsWith("function initials: abort: empty name at assembly/index.ts:6:3"), e.getMessage());
        }
    }
}
