package io.wasmudf.engine.internal.decode;

import static io.wasmudf.engine.internal.decode.Wasm.body;
import static io.wasmudf.engine.internal.decode.Wasm.code;
import static io.wasmudf.engine.internal.decode.Wasm.module;
import static io.wasmudf.engine.internal.decode.Wasm.section;
import static io.wasmudf.engine.testsupport.ModuleBytes.splice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.MalformedModuleException;
import io.wasmudf.engine.testsupport.FuzzSeed;
import io.wasmudf.engine.testsupport.SuiteModules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutation fuzzing: random damage to valid modules must end in success or a
 * {@link MalformedModuleException} (which includes UnsupportedFeatureException), never in another
 * exception, an error such as OutOfMemoryError/StackOverflowError, or a hang.
 * {@code -Dwasmudf.fuzz.iterations=N} runs longer; the seed is fixed so failures reproduce.
 */
class ModuleDecoderFuzzTest {
    private static final long SEED = 0x5EED_DEC0DEL;
    private static final int BATCH = 500;

    @Test
    void mutatedModulesFailCleanly() {
        int iterations = Integer.getInteger("wasmudf.fuzz.iterations", 3000);
        List<byte[]> seeds = seeds();
        Random random = new Random(FuzzSeed.of(SEED));
        List<String> failures = new ArrayList<>();
        int[] outcomes = new int[2];
        for (int done = 0; done < iterations; done += BATCH) {
            int n = Math.min(BATCH, iterations - done);
            int first = done;
            // Generous: this only catches hangs, it is not a performance assertion.
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                for (int i = 0; i < n; i++) {
                    byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random);
                    try {
                        ModuleDecoder.decode(input);
                        outcomes[0]++;
                    } catch (MalformedModuleException e) {
                        outcomes[1]++;
                    } catch (Throwable t) {
                        failures.add("iteration " + (first + i) + ": " + t + " for " + hex(input));
                    }
                }
            }, "decoding batch starting at iteration " + first + " hung");
        }
        System.out.println("[decoder] fuzz: " + iterations + " mutants over " + seeds.size() + " seeds, "
                + outcomes[0] + " decoded, " + outcomes[1] + " malformed");
        assertEquals(List.of(), failures);
        assertTrue(outcomes[1] > 0, "mutations never produced a malformed module");
    }

    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>(builtInSeeds());
        for (SuiteModules.Module m : SuiteModules.orNone("decoder")) {
            seeds.add(m.bytes());
        }
        return seeds;
    }

    private static List<byte[]> builtInSeeds() {
        byte[][] t = Wasm.voidFunctions(1);
        return List.of(
                module(t[0], t[1], section(5, 0x01, 0x00, 0x01), section(12, 0x01),
                        code(body(0x01, 0x02, 0x7F, 0x02, 0x40, 0x41, 0x00, 0x04, 0x40, 0x01, 0x05, 0x01, 0x0B,
                                0x0B, 0x41, 0x00, 0x28, 0x02, 0x00, 0x1A, 0xFC, 0x09, 0x00, 0x0B)),
                        section(11, 0x01, 0x00, 0x41, 0x00, 0x0B, 0x02, 'h', 'i')),
                module(t[0], t[1], section(4, 0x01, 0x70, 0x00, 0x01),
                        section(9, 0x01, 0x06, 0x00, 0x41, 0x00, 0x0B, 0x70, 0x01, 0xD2, 0x00, 0x0B),
                        code(body(0x00, 0x0E, 0x01, 0x00, 0x00, 0x0B)),
                        section(0, 0x04, 'n', 'a', 'm', 'e', 0x01, 0x04, 0x01, 0x00, 0x01, 'f')));
    }

    /** Applies one to three random mutations. */
    static byte[] mutate(byte[] original, Random random) {
        byte[] b = original;
        int count = 1 + random.nextInt(3);
        for (int k = 0; k < count; k++) {
            b = mutateOnce(b, random);
        }
        return b;
    }

    private static byte[] mutateOnce(byte[] b, Random random) {
        if (b.length == 0) {
            return new byte[] {(byte) random.nextInt(256)};
        }
        int at = random.nextInt(b.length);
        switch (random.nextInt(7)) {
            case 0: { // bit flip
                byte[] out = b.clone();
                out[at] ^= (byte) (1 << random.nextInt(8));
                return out;
            }
            case 1: { // interesting byte value
                byte[] out = b.clone();
                int[] values = {0x00, 0x01, 0x0B, 0x7F, 0x80, 0xFF, 0x05, 0x40};
                out[at] = (byte) values[random.nextInt(values.length)];
                return out;
            }
            case 2: { // insert random bytes
                int n = 1 + random.nextInt(4);
                byte[] extra = new byte[n];
                random.nextBytes(extra);
                return splice(b, at, 0, extra);
            }
            case 3: // delete a range
                return splice(b, at, Math.min(b.length - at, 1 + random.nextInt(8)), new byte[0]);
            case 4: // truncate
                return Arrays.copyOf(b, at);
            case 5: { // LEB128 blow-up: a huge count/size/index where a byte was
                byte[][] huge = {
                    {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F},
                    {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08},
                    {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01},
                    {(byte) 0xC0, (byte) 0x84, 0x3D}};
                return splice(b, at, 1, huge[random.nextInt(huge.length)]);
            }
            default: { // duplicate a chunk (repeats sections, nesting, vectors)
                int n = Math.min(b.length - at, 1 + random.nextInt(16));
                return splice(b, at, 0, Arrays.copyOfRange(b, at, at + n));
            }
        }
    }

    private static String hex(byte[] b) {
        String h = HexFormat.of().formatHex(b, 0, Math.min(b.length, 200));
        return b.length > 200 ? h + "...(" + b.length + " bytes)" : h;
    }
}
