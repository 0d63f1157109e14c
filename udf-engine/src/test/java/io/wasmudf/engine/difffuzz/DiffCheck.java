package io.wasmudf.engine.difffuzz;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/**
 * Checks module files against V8 from the command line, for {@code wasm-reduce} and for replaying
 * kept failures: {@code java -cp <test classpath> io.wasmudf.engine.difffuzz.DiffCheck [--class] FILE...}.
 * Prints each failure; with {@code --class} only the sorted distinct failure classes (the stable
 * signature {@code wasm-reduce} compares between the original module and its reductions).
 * {@code --campaign} runs a campaign from the {@code wasmudf.difffuzz.*} properties, as
 * {@code DiffFuzzTest} does, and prints its report and failures (for long runs outside Maven).
 * {@code --reduce CONFIG FILE} writes {@code FILE.reduced.wasm}: the module with as many function
 * bodies stubbed as keep its failure classes in CONFIG ({@link Reducer}).
 * The seed for the arguments is {@code -Dwasmudf.difffuzz.checkSeed}, else the file name's last
 * number, else 0.
 */
public final class DiffCheck {
    private DiffCheck() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--campaign")) {
            campaign();
            System.exit(0);
        }
        if (args.length == 3 && args[0].equals("--reduce")) {
            reduce(args[1], Path.of(args[2]));
            System.exit(0);
        }
        boolean classOnly = args.length > 0 && args[0].equals("--class");
        Path script = Path.of(System.getProperty("wasmudf.difffuzz.script", "src/test/node/difffuzz-v8.js"));
        DiffFuzz.Settings settings = DiffFuzz.Settings.fromProperties(1, 0,
                Path.of(System.getProperty("java.io.tmpdir"), "difffuzz-check"));
        DiffFuzz.Report report = new DiffFuzz.Report();
        try (DiffFuzz fuzz = new DiffFuzz(settings, script)) {
            for (int i = classOnly ? 1 : 0; i < args.length; i++) {
                Path file = Path.of(args[i]);
                fuzz.check(Files.readAllBytes(file), seedOf(file), file.getFileName().toString().replace(".wasm", ""), report);
            }
        }
        if (classOnly) {
            TreeSet<String> classes = new TreeSet<>();
            report.failures.forEach(f -> classes.add(f.config() + " | " + f.failureClass()));
            classes.forEach(System.out::println);
        } else {
            report.failures.forEach(System.out::println);
            System.out.println(report);
        }
        System.exit(0);
    }

    private static void campaign() throws Exception {
        Path script = Path.of(System.getProperty("wasmudf.difffuzz.script", "src/test/node/difffuzz-v8.js"));
        DiffFuzz.Settings settings = DiffFuzz.Settings.fromProperties(100, 0, Path.of(System.getProperty(
                "wasmudf.difffuzz.keep", "target/difffuzz")));
        try (DiffFuzz fuzz = new DiffFuzz(settings, script)) {
            DiffFuzz.Report report = fuzz.campaign();
            report.failures.forEach(System.out::println);
            System.out.println("[difffuzz] " + settings.source() + " seeds " + settings.seed() + ".."
                    + (settings.seed() + settings.modules() - 1) + ": " + report);
        }
    }

    private static void reduce(String config, Path file) throws Exception {
        System.setProperty("wasmudf.difffuzz.configs", config);
        Path script = Path.of(System.getProperty("wasmudf.difffuzz.script", "src/test/node/difffuzz-v8.js"));
        DiffFuzz.Settings settings = DiffFuzz.Settings.fromProperties(1, 0,
                Path.of(System.getProperty("java.io.tmpdir"), "difffuzz-check"));
        long seed = seedOf(file);
        byte[] wasm = Files.readAllBytes(file);
        try (DiffFuzz fuzz = new DiffFuzz(settings, script)) {
            java.util.Set<String> classes = Reducer.classes(fuzz, wasm, seed);
            if (classes.isEmpty()) {
                System.out.println(file + " agrees with V8 in " + config + ": nothing to reduce");
                return;
            }
            byte[] reduced = Reducer.stubBodies(wasm, candidate -> Reducer.classes(fuzz, candidate, seed).equals(classes));
            Path out = Path.of(file.toString().replaceAll("\\.wasm$", "") + ".reduced.wasm");
            Files.write(out, reduced);
            System.out.println(classes + ": " + wasm.length + " -> " + reduced.length + " bytes, " + out);
        }
    }

    /** The last run of digits in the file name, as the seed the fuzzer used for its arguments. */
    static long seedOf(Path file) {
        Long given = Long.getLong("wasmudf.difffuzz.checkSeed");
        if (given != null) {
            return given;
        }
        List<String> numbers = java.util.regex.Pattern.compile("\\d+").matcher(file.getFileName().toString())
                .results().map(r -> r.group()).toList();
        return numbers.isEmpty() ? 0 : Long.parseLong(numbers.get(numbers.size() - 1));
    }
}
