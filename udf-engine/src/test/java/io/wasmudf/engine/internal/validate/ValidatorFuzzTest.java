package io.wasmudf.engine.internal.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.InvalidModuleException;
import io.wasmudf.engine.MalformedModuleException;
import io.wasmudf.engine.internal.decode.ModuleDecoder;
import io.wasmudf.engine.internal.model.WasmModule;
import io.wasmudf.engine.testsupport.FuzzSeed;
import io.wasmudf.engine.testsupport.SuiteModules;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutates valid spec-suite modules at random (fixed seed; {@code -Dwasmudf.fuzz.iterations=N}
 * for longer runs) and checks the documented outcomes only: the decoder accepts or throws
 * {@link MalformedModuleException} (which includes UnsupportedFeatureException); what it accepts,
 * the validator accepts or rejects with {@link InvalidModuleException}. Anything else — an
 * {@code EngineBugException}, another RuntimeException, an Error — is a failure.
 */
class ValidatorFuzzTest {

    @Test
    void mutatedModulesNeverCrashTheValidator() {
        List<byte[]> seeds = new ArrayList<>();
        for (SuiteModules.Module m : SuiteModules.required()) {
            if (m.bytes().length > 8 && m.bytes().length < 20_000 && m.isValid()) {
                seeds.add(m.bytes());
            }
        }
        int iterations = Integer.getInteger("wasmudf.fuzz.iterations", 3000);
        Random rnd = new Random(FuzzSeed.of(0x5eed));
        List<String> failures = new ArrayList<>();
        int validated = 0;
        int rejected = 0;
        for (int i = 0; i < iterations; i++) {
            byte[] bytes = seeds.get(rnd.nextInt(seeds.size())).clone();
            int flips = 1 + rnd.nextInt(3);
            for (int k = 0; k < flips; k++) {
                int pos = 8 + rnd.nextInt(bytes.length - 8);
                bytes[pos] = rnd.nextBoolean() ? (byte) rnd.nextInt(256) : (byte) (bytes[pos] ^ (1 << rnd.nextInt(8)));
            }
            WasmModule m;
            try {
                m = ModuleDecoder.decode(bytes);
            } catch (MalformedModuleException e) {
                continue; // includes UnsupportedFeatureException
            } catch (Throwable t) {
                failures.add("iteration " + i + ": the decoder threw " + t);
                continue;
            }
            try {
                Validator.validate(m);
                validated++;
            } catch (InvalidModuleException e) {
                rejected++;
            } catch (Throwable t) {
                failures.add("iteration " + i + ": the validator threw " + t);
            }
        }
        System.out.println("[validator-fuzz] " + iterations + " mutants: " + validated + " valid, " + rejected
                + " invalid");
        assertTrue(validated + rejected > 0, "no mutant got past the decoder");
        assertEquals(List.of(), failures);
    }
}
