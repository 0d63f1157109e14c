package io.wasmudf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.internal.text.WastCommand;
import io.wasmudf.engine.internal.text.WastModule;
import io.wasmudf.engine.internal.text.WastParser;
import io.wasmudf.engine.testsupport.FuzzSeed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assertions;

/**
 * One mutation campaign over spec-suite modules: {@link FuzzCampaignTest#exercise}'s property (a
 * mutant is refused with the engine's documented exceptions or compiles, instantiates and runs with
 * only traps) on byte-flipped copies of the modules of some 3.0 scripts; shared by the per-feature
 * campaigns.
 */
final class SuiteMutationCampaign {
    private SuiteMutationCampaign() {
    }

    /** Mutates the modules of {@code scripts} that compile and checks the campaign property on each mutant. */
    static void run(String label, List<String> scripts, int seed, int minSeeds) throws Exception {
        List<byte[]> seeds = seeds(label, scripts, minSeeds);
        int iterations = Math.max(1, Integer.getInteger("wasmudf.fuzz.iterations", 3000) / 3);
        Random random = new Random(FuzzSeed.of(seed));
        List<String> failures = new ArrayList<>();
        int[] outcomes = new int[4];
        int batch = 50;
        for (int done = 0; done < iterations; done += batch) {
            int n = Math.min(batch, iterations - done);
            int first = done;
            assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
                for (int i = 0; i < n; i++) {
                    byte[] input = seeds.get(random.nextInt(seeds.size())).clone();
                    int flips = 1 + random.nextInt(3);
                    for (int k = 0; k < flips; k++) {
                        int pos = 8 + random.nextInt(input.length - 8);
                        input[pos] = random.nextBoolean() ? (byte) random.nextInt(256) : (byte) (input[pos] ^ (1 << random.nextInt(8)));
                    }
                    String failure = FuzzCampaignTest.exercise(input, outcomes);
                    if (failure != null) {
                        failures.add("iteration " + (first + i) + ": " + failure + where(input));
                    }
                }
            }, "batch starting at iteration " + first + " hung");
        }
        System.out.println("[" + label + "-fuzz] " + iterations + " mutants over " + seeds.size() + " seeds: " + outcomes[0]
                + " refused at compile, " + outcomes[1] + " at instantiation, " + outcomes[2] + " instantiated, "
                + outcomes[3] + " export calls");
        assertEquals(List.of(), failures);
        assertTrue(outcomes[2] > 0, "no mutant got as far as instantiation");
    }

    /** Where a compile failure comes from (the campaign's message names the exception only). */
    private static String where(byte[] input) {
        try {
            Engine.builder().build().compile(input);
            return "";
        } catch (Throwable t) {
            Throwable c = t.getCause() != null ? t.getCause() : t;
            StringBuilder b = new StringBuilder(" at");
            StackTraceElement[] st = c.getStackTrace();
            for (int k = 0; k < Math.min(9, st.length); k++) {
                b.append(' ').append(st[k]);
            }
            return b.toString();
        }
    }

    /** The modules of the scripts that compile, as binaries. */
    private static List<byte[]> seeds(String label, List<String> scripts, int minSeeds) throws Exception {
        Path dir = null;
        for (String base : new String[] {"../shared/", "../../shared/", "/work/shared/"}) {
            if (Files.isDirectory(Paths.get(base + "wasm-testsuite-3"))) {
                dir = Paths.get(base + "wasm-testsuite-3");
                break;
            }
        }
        if (dir == null) {
            String message = "SPEC SUITE 3.0 NOT FOUND (../shared/wasm-testsuite-3): the " + label + " fuzz campaign did not run";
            System.err.println(message);
            if ("required".equals(System.getenv("WASMUDF_CI"))) {
                Assertions.fail(message + " — and WASMUDF_CI=required");
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(false, message);
        }
        List<byte[]> seeds = new ArrayList<>();
        Engine engine = Engine.builder().build();
        for (String script : scripts) {
            for (WastCommand c : WastParser.parse(Files.readAllBytes(dir.resolve(script + ".wast")))) {
                if (c instanceof WastCommand.Module m && m.module().kind() != WastModule.Kind.QUOTE) {
                    byte[] bytes = m.module().binary();
                    try {
                        engine.compile(bytes);
                    } catch (MalformedModuleException | InvalidModuleException e) {
                        continue; // the scripts' own invalid modules
                    }
                    if (bytes.length > 8) {
                        seeds.add(bytes);
                    }
                }
            }
        }
        assertTrue(seeds.size() > minSeeds, seeds.size() + " seeds");
        return seeds;
    }
}
