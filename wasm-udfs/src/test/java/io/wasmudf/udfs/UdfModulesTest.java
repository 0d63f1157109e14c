package io.wasmudf.udfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class UdfModulesTest {

    private static final byte[] WASM_HEADER = {0, 'a', 's', 'm', 1, 0, 0, 0};

    @Test
    void everyManifestModuleIsPackagedAsAWasmBinary() {
        List<String> names = UdfModules.moduleNames();
        assertTrue(names.containsAll(List.of("strings", "hash", "math", "test-traps")), names.toString());
        for (String name : names) {
            byte[] bytes = UdfModules.bytes(name);
            assertArrayEquals(WASM_HEADER, Arrays.copyOf(bytes, 8), name + ".wasm header");
        }
    }

    @Test
    void hostManifestModulesArePackagedAndImportWhatTheHostProvides() {
        List<UdfModules.Entry> entries = UdfModules.hostManifest();
        assertTrue(entries.stream().map(UdfModules.Entry::module).toList()
                .containsAll(List.of("wasi-udfs", "rust-udfs", "rust-udfs-wasi", "as-udfs", "wasi-strings")), entries.toString());
        for (UdfModules.Entry e : entries) {
            assertArrayEquals(WASM_HEADER, Arrays.copyOf(UdfModules.bytes(e.module()), 8), e.module());
            assertTrue(e.sqlSignature().matches("\\w+\\(.*\\) RETURNS [a-z ]+ (STRICT|CALLED ON NULL INPUT)"), e.sqlSignature());
        }
        assertTrue(UdfModules.manifest().stream().noneMatch(e -> entries.contains(e)), "the plain manifest has no module with imports");
    }

    @Test
    void modulesAreReachableByTheDocumentedResourcePath() {
        assertTrue(UdfModules.class.getResource("/io/wasmudf/udfs/strings.wasm") != null);
    }

    @Test
    void manifestEntriesAreSqlSignatures() {
        List<UdfModules.Entry> entries = UdfModules.manifest();
        UdfModules.Entry jsonGet = entries.stream()
                .filter(e -> e.functionName().equals("json_get")).findFirst().orElseThrow();
        assertEquals(new UdfModules.Entry("strings",
                "json_get(doc text, key text) RETURNS text CALLED ON NULL INPUT"), jsonGet);
        for (UdfModules.Entry e : entries) {
            String sig = e.sqlSignature();
            assertTrue(sig.matches("\\w+\\(.*\\) RETURNS (TABLE \\(.*\\)|SETOF [a-z ]+|[a-z ]+) (STRICT|CALLED ON NULL INPUT)"), sig);
        }
    }

    @Test
    void unknownModuleNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UdfModules.bytes("nope"));
        assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains("strings"), e.getMessage());
    }
}
