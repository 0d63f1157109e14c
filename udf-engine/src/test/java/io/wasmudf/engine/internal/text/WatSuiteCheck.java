package io.wasmudf.engine.internal.text;

import io.wasmudf.engine.Engine;
import io.wasmudf.engine.InvalidModuleException;
import io.wasmudf.engine.MalformedModuleException;
import io.wasmudf.engine.WatSyntaxException;
import io.wasmudf.engine.internal.decode.ModuleDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs the text parser over whole spec suites and counts, per script: text modules that must
 * parse and did, {@code assert_malformed} text modules rejected (and with the suite's wording),
 * and, where wast2json's output lies next to the suite, binaries equal to wast2json's.
 * {@code main} prints the table; {@link WatSuiteTest} asserts on the same counts.
 */
final class WatSuiteCheck {
    /** Validates what the text parser accepted but the spec calls malformed (see below). */
    private static final Engine VALIDATOR = Engine.builder().moduleCacheBytes(0).build();

    private static final Pattern JSON_MODULE = Pattern.compile(
            "\"type\": \"([a-z_]+)\", \"line\": (\\d+), \"filename\": \"([^\"]+)\"(?:, \"text\": \"(?:[^\"\\\\]|\\\\.)*\")?, \"module_type\": \"([a-z]+)\"");
    private static final Pattern JSON_PLAIN_MODULE = Pattern.compile(
            "\"type\": \"module\", \"line\": (\\d+),(?: \"name\": \"[^\"]*\",)? \"filename\": \"([^\"]+)\"");

    private WatSuiteCheck() {}

    /** Counts for one script. */
    static final class Report {
        final String file;
        int modules;
        int parsed;
        int malformed;
        int rejected;
        int worded;
        int decoderRejected;
        int compared;
        int equal;
        double millis;
        final List<String> failures = new ArrayList<>();
        final List<String> wording = new ArrayList<>();
        final List<String> differences = new ArrayList<>();

        Report(String file) {
            this.file = file;
        }
    }

    /** The suite directory under {@code ../shared} (from the module or the project root), if present. */
    static Optional<Path> suite(String name) {
        for (String base : new String[] {"../shared/", "../../shared/", "/work/shared/"}) {
            Path p = Paths.get(base + name);
            if (Files.isDirectory(p)) {
                return Optional.of(p.toAbsolutePath().normalize());
            }
        }
        return Optional.empty();
    }

    static List<Path> wastFiles(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".wast")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Report check(Path wast, Path jsonDir) {
        Report r = new Report(wast.getFileName().toString());
        byte[] source;
        try {
            source = Files.readAllBytes(wast);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<Integer, String> expectedFiles = jsonDir == null ? Map.of() : wast2jsonModules(wast, jsonDir);
        long t0 = System.nanoTime();
        List<WastCommand> commands;
        try {
            commands = WastParser.parse(source);
        } catch (WatSyntaxException e) {
            r.failures.add("script: " + e.getMessage());
            return r;
        }
        for (WastCommand c : commands) {
            WastModule module = moduleOf(c);
            if (module == null) {
                continue;
            }
            if (c instanceof WastCommand.AssertMalformed m) {
                if (module.kind() == WastModule.Kind.BINARY) {
                    continue;
                }
                r.malformed++;
                byte[] accepted;
                try {
                    accepted = module.binary();
                } catch (WatSyntaxException e) {
                    r.rejected++;
                    if (e.reason().startsWith(m.message())) {
                        r.worded++;
                    } else {
                        r.wording.add("line " + c.line() + ": \"" + e.reason() + "\" expected \"" + m.message() + "\"");
                    }
                    continue;
                }
                // Wasm 3.0 moved some checks (offsets, limits) from the text to the binary format,
                // and memory64 from there to validation (u64 limits and offsets, "memory size",
                // "offset out of range"): the module must fail one of the later stages
                try {
                    ModuleDecoder.decode(accepted);
                    VALIDATOR.validate(accepted);
                    r.failures.add("line " + c.line() + ": accepted, expected \"" + m.message() + "\"");
                } catch (MalformedModuleException | InvalidModuleException e) {
                    r.decoderRejected++;
                    r.wording.add("line " + c.line() + ": parsed, then the decoder or validator: \"" + e.getMessage()
                            + "\" expected \"" + m.message() + "\"");
                }
                continue;
            }
            if (module.kind() == WastModule.Kind.BINARY) {
                continue;
            }
            r.modules++;
            byte[] binary;
            try {
                binary = module.binary();
                r.parsed++;
            } catch (WatSyntaxException e) {
                r.failures.add("line " + module.line() + ": " + e.getMessage());
                continue;
            }
            String expected = expectedFiles.get(module.line());
            if (expected != null) {
                byte[] theirs;
                try {
                    theirs = Files.readAllBytes(jsonDir.resolve(expected));
                } catch (IOException e) {
                    continue;
                }
                r.compared++;
                if (Arrays.equals(binary, theirs)) {
                    r.equal++;
                } else {
                    r.differences.add("line " + c.line() + " " + expected + ": " + firstDifference(binary, theirs));
                }
            }
        }
        r.millis = (System.nanoTime() - t0) / 1e6;
        return r;
    }

    private static String firstDifference(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        int k = 0;
        while (k < n && a[k] == b[k]) {
            k++;
        }
        return "first difference at byte " + k + " (ours " + a.length + " bytes, wast2json " + b.length + ")";
    }

    static WastModule moduleOf(WastCommand c) {
        if (c instanceof WastCommand.Module m) {
            return m.module();
        }
        if (c instanceof WastCommand.AssertInvalid m) {
            return m.module();
        }
        if (c instanceof WastCommand.AssertMalformed m) {
            return m.module();
        }
        if (c instanceof WastCommand.AssertUnlinkable m) {
            return m.module();
        }
        if (c instanceof WastCommand.AssertUninstantiable m) {
            return m.module();
        }
        if (c instanceof WastCommand.AssertTrap m) {
            return m.module();
        }
        return null;
    }

    /** Line of each module command in wast2json's JSON → its binary file. */
    private static Map<Integer, String> wast2jsonModules(Path wast, Path jsonDir) {
        String name = wast.getFileName().toString().replace(".wast", ".json");
        Path json = jsonDir.resolve(name);
        Map<Integer, String> out = new HashMap<>();
        if (!Files.exists(json)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(json)) {
                Matcher m = JSON_MODULE.matcher(line);
                if (m.find()) {
                    if (m.group(4).equals("binary")) {
                        out.put(Integer.parseInt(m.group(2)), m.group(3));
                    }
                    continue;
                }
                Matcher p = JSON_PLAIN_MODULE.matcher(line);
                if (p.find()) {
                    out.put(Integer.parseInt(p.group(1)), p.group(2));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static void main(String[] args) {
        boolean verbose = args.length > 0 && args[0].equals("-v");
        String only = args.length > 1 ? args[1] : null;
        for (String[] s : new String[][] {{"wasm-testsuite", ""}, {"wasm-testsuite-3", ""}, {"wasm-testsuite-3", "legacy"}}) {
            Optional<Path> dir = suite(s[0]);
            if (dir.isEmpty()) {
                System.out.println(s[0] + ": not found");
                continue;
            }
            Path d = s[1].isEmpty() ? dir.get() : dir.get().resolve(s[1]);
            Path json = d.resolve("json");
            int[] total = new int[8];
            double ms = 0;
            for (Path f : wastFiles(d)) {
                if (only != null && !f.getFileName().toString().startsWith(only)) {
                    continue;
                }
                Report r = check(f, Files.isDirectory(json) ? json : null);
                total[0] += r.modules;
                total[1] += r.parsed;
                total[2] += r.malformed;
                total[3] += r.rejected;
                total[4] += r.worded;
                total[5] += r.compared;
                total[6] += r.equal;
                total[7] += r.decoderRejected;
                ms += r.millis;
                boolean bad = !r.failures.isEmpty() || r.parsed != r.modules || r.rejected + r.decoderRejected != r.malformed || r.worded != r.malformed
                        || r.equal != r.compared;
                if (bad || verbose) {
                    System.out.printf("%-40s modules %d/%d malformed %d/%d worded %d equal %d/%d%n", s[0] + "/" + s[1] + "/" + r.file,
                            r.parsed, r.modules, r.rejected, r.malformed, r.worded, r.equal, r.compared);
                    r.failures.stream().limit(verbose ? 100 : 5).forEach(x -> System.out.println("   FAIL " + x));
                    r.wording.stream().limit(verbose ? 100 : 3).forEach(x -> System.out.println("   WORD " + x));
                    r.differences.stream().limit(verbose ? 100 : 3).forEach(x -> System.out.println("   DIFF " + x));
                }
            }
            System.out.printf("== %s/%s: modules %d/%d, malformed rejected %d/%d (worded %d; %d more by the decoder), equal to wast2json %d/%d, %.0f ms%n",
                    s[0], s[1], total[1], total[0], total[3], total[2], total[4], total[7], total[6], total[5], ms);
        }
    }
}
