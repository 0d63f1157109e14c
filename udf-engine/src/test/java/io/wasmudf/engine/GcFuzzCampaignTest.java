package io.wasmudf.engine;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fuzz campaign's property ({@link FuzzCampaignTest#exercise}: a mutant is refused with the
 * engine's documented exceptions or compiles, instantiates and runs with only traps) over modules
 * using typed function references and GC: the 3.0 suite's modules of those scripts that compile, mutated. No
 * differential oracle: node 20 and binaryen 108 know only pre-standard GC encodings. CI-sized;
 * {@code -Dwasmudf.fuzz.iterations} scales it.
 */
class GcFuzzCampaignTest {
    private static final List<String> SCRIPTS = List.of("struct", "array", "array_copy", "array_fill",
            "array_init_data", "array_init_elem", "array_new_data", "array_new_elem", "i31", "ref_cast", "ref_test",
            "br_on_cast", "br_on_cast_fail", "ref_eq", "extern", "call_ref", "br_on_null", "br_on_non_null",
            "ref_as_non_null", "local_init", "type-subtyping", "type-rec", "type-equivalence", "table", "global");

    @Test
    void mutatedGcModulesAreRefusedOrRunSafely() throws Exception {
        SuiteMutationCampaign.run("gc", SCRIPTS, 0x6C_F022, 50);
    }
}
