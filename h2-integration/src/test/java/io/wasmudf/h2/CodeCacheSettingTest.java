package io.wasmudf.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -Dwasm.code_cache} and {@code -Dwasm.code_cache_size}: the shared engines' code cache.
 * Engines built from the same properties (as after a restart) load the 444 KB module's classes
 * from the directory instead of compiling, with the SQL preset's checks on.
 */
class CodeCacheSettingTest {
    private static final Path LARGE = Path.of("../benchmark-queries/src/main/resources/io/wasmudf/bench/large.wasm");

    @TempDir
    Path dir;

    @Test
    void aRestartedEngineLoadsTheLargeModuleFromTheDirectory() throws Exception {
        Properties p = new Properties();
        p.setProperty(Engines.CODE_CACHE, dir.toString());
        p.setProperty(Engines.CODE_CACHE_SIZE, "64MB");
        byte[] large = Files.readAllBytes(LARGE);
        Engine first = Engines.builder(p).build();
        assertEquals(dir, first.codeCacheDirectory());
        assertEquals(64L << 20, first.options().codeCacheBytes());
        assertTrue(first.options().interruptible() && first.options().maxCallDepth() > 0, "the SQL preset");
        var compiled = first.compile(large);
        assertFalse(compiled.fromCodeCache());
        var loaded = Engines.builder(p).build().compile(large);
        assertTrue(loaded.fromCodeCache());
        Object expected = compiled.instantiate().function("run_all").call(7)[0];
        assertEquals(expected, loaded.instantiate().function("run_all").call(7)[0]);
        // the fuel engine's code differs: an entry of its own
        assertFalse(Engines.builder(p).fuel(true).build().compile(large).fromCodeCache());
        assertTrue(Engines.builder(p).fuel(true).build().compile(large).fromCodeCache());
    }

    @Test
    void unsetMeansNoCodeCacheAndABadSizeIsRefused() {
        assertNull(Engines.builder(new Properties()).build().codeCacheDirectory());
        Properties p = new Properties();
        p.setProperty(Engines.CODE_CACHE, dir.toString());
        p.setProperty(Engines.CODE_CACHE_SIZE, "lots");
        assertThrows(IllegalArgumentException.class, () -> Engines.builder(p));
    }
}
