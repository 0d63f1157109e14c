package io.wasmudf.h2;

import static io.wasmudf.h2.TestSupport.connect;
import static io.wasmudf.h2.TestSupport.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.Engine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -Dwasm.code_cache} end to end: a {@code jdbc:wasm:file:} database with the 444 KB module's
 * function, reopened in new JVMs (as after a restart): the first compiles it and writes the entry,
 * the next loads it from the directory, with the same result; two JVMs filling one directory at
 * the same time both work and leave one good entry.
 */
class CodeCacheRestartTest {
    static final Path LARGE = Path.of("../benchmark-queries/src/main/resources/io/wasmudf/bench/large.wasm");

    @TempDir
    Path tmp;

    @Test
    void aRestartedJvmLoadsTheFunctionsCodeFromTheDirectory() throws Exception {
        Path db = tmp.resolve("db");
        Path cache = tmp.resolve("code");
        create(db);
        String first = child(db, cache);
        String second = child(db, cache);
        String[] a = first.trim().split(" ");
        String[] b = second.trim().split(" ");
        assertEquals("false", a[1], "the first JVM compiles: " + first);
        assertEquals("true", b[1], "the restarted JVM loads from the code cache: " + second);
        assertEquals(a[0], b[0], "same result");
        try (Stream<Path> files = Files.list(cache)) {
            assertEquals(1, files.filter(f -> f.toString().endsWith(".wcc")).count());
        }
    }

    @Test
    void twoJvmsFillingTheSameDirectoryAtOnceBothWork() throws Exception {
        Path cache = tmp.resolve("code");
        List<Path> dbs = List.of(tmp.resolve("a"), tmp.resolve("b"));
        for (Path db : dbs) {
            create(db);
        }
        // two databases (H2 locks a database file to one process), one code-cache directory
        ChildRun a = start(dbs.get(0), cache);
        ChildRun b = start(dbs.get(1), cache);
        String outA = finish(a);
        String outB = finish(b);
        assertEquals(outA.trim().split(" ")[0], outB.trim().split(" ")[0]);
        String again = child(dbs.get(1), cache);
        assertEquals("true", again.trim().split(" ")[1], again);
        try (Stream<Path> files = Files.list(cache)) {
            assertEquals(List.of(), files.filter(f -> !f.toString().endsWith(".wcc")).toList(), "no temporary file left");
        }
    }

    private static void create(Path db) throws Exception {
        try (Connection c = connect("jdbc:wasm:file:" + db);
                PreparedStatement p = c.prepareStatement("CREATE FUNCTION run_all(seed integer) RETURNS integer LANGUAGE wasm STRICT AS ?")) {
            p.setBytes(1, Files.readAllBytes(LARGE));
            p.execute();
        }
    }

    private static String child(Path db, Path cache) throws Exception {
        return finish(start(db, cache));
    }

    /** A child JVM and the files its stdout and stderr go to (files: a pipe left unread could block it). */
    private record ChildRun(Process process, Path out, Path err) {}

    private static ChildRun start(Path db, Path cache) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-D" + Engines.CODE_CACHE + "=" + cache, "-cp",
                System.getProperty("java.class.path"), Child.class.getName(), db.toString()));
        // stderr apart: a JVM warning there must not be read as the result
        Path out = Files.createTempFile(db.getParent(), "child", ".out");
        Path err = Files.createTempFile(db.getParent(), "child", ".err");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        return new ChildRun(pb.start(), out, err);
    }

    /** Waits for the child and returns its one result line (after {@link Child#RESULT}), failing on anything else. */
    private static String finish(ChildRun run) throws Exception {
        Process p = run.process();
        boolean exited = p.waitFor(180, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly().waitFor();
        }
        String out = Files.readString(run.out(), StandardCharsets.UTF_8);
        String shown = "stdout:\n" + out + "\nstderr:\n" + Files.readString(run.err(), StandardCharsets.UTF_8);
        assertTrue(exited, "child JVM timed out; " + shown);
        assertEquals(0, p.exitValue(), shown);
        List<String> results = out.lines().filter(l -> l.startsWith(Child.RESULT)).toList();
        assertEquals(1, results.size(), "one result line; " + shown);
        return results.get(0).substring(Child.RESULT.length());
    }

    /** The child JVM: calls the function, prints its result and whether its module came from the code cache. */
    static final class Child {
        /** Marks the result line on stdout, apart from anything else the JVM or a library may print. */
        static final String RESULT = "RESULT ";

        public static void main(String[] args) throws Exception {
            try (Connection c = connect("jdbc:wasm:file:" + args[0])) {
                Object result = one(c, "SELECT run_all(7)");
                String sha = Engine.sha256(Files.readAllBytes(LARGE));
                System.out.println(RESULT + result + " " + Engines.cached(sha, false).fromCodeCache());
            }
        }
    }
}
