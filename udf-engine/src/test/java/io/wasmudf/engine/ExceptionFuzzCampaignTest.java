package io.wasmudf.engine;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fuzz campaign's property ({@link FuzzCampaignTest#exercise}: a mutant is refused with the
 * engine's documented exceptions or compiles, instantiates and runs with only traps; no
 * {@code VerifyError}, no engine bug, no other exception) over modules using exception handling:
 * the 3.0 suite's modules of the exception scripts (3.0 and legacy), mutated. Byte flips hit the
 * try/catch structure, clause kinds, tag and label indices and block types, which the decoder,
 * the validator and the compiler's handler ranges and spill slots must all survive. An uncaught
 * exception is a trap like any other here. CI-sized; {@code -Dwasmudf.fuzz.iterations} scales it.
 */
class ExceptionFuzzCampaignTest {
    private static final List<String> SCRIPTS = List.of("tag", "throw", "throw_ref", "try_table", "instance", "ref_null",
            "legacy/throw", "legacy/rethrow", "legacy/try_catch", "legacy/try_delegate");

    @Test
    void mutatedExceptionModulesAreRefusedOrRunSafely() throws Exception {
        SuiteMutationCampaign.run("exception", SCRIPTS, 0xE8_F022, 15);
    }
}
