package io.wasmudf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The engine's cache of compiled modules: bounded by estimated size, least recently used out first, evictable. */
class ModuleCacheTest {
    private static byte[] api() {
        return LimitsModules.bytes("limits");
    }

    /** The same module with a custom section {@code tag} appended: other bytes, same code. */
    private static byte[] variant(byte[] base, int tag) {
        byte[] b = Arrays.copyOf(base, base.length + 4);
        b[base.length] = 0; // custom section
        b[base.length + 1] = 2; // size
        b[base.length + 2] = 1; // name length
        b[base.length + 3] = (byte) tag; // name
        return b;
    }

    @Test
    void leastRecentlyUsedModulesLeaveWhenTheBoundIsReached() throws IOException {
        byte[] base = api();
        long one = Engine.create().compile(base).estimatedBytes();
        assertTrue(one >= base.length, "the estimate covers at least the binary");
        Engine engine = Engine.builder().moduleCacheBytes(3 * one + one / 2).build();
        CompiledModule a = engine.compile(variant(base, 'a'));
        CompiledModule b = engine.compile(variant(base, 'b'));
        CompiledModule c = engine.compile(variant(base, 'c'));
        assertSame(a, engine.compile(variant(base, 'a')), "a is used again, so b is now the least recently used");
        CompiledModule d = engine.compile(variant(base, 'd'));
        assertNull(engine.cached(b.sha256()));
        assertSame(a, engine.cached(a.sha256()));
        assertSame(c, engine.cached(c.sha256()));
        assertSame(d, engine.cached(d.sha256()));
        assertEquals(a.estimatedBytes() + c.estimatedBytes() + d.estimatedBytes(), engine.cachedBytes());
        assertNotSame(b, engine.compile(variant(base, 'b')), "an evicted module is compiled again");
    }

    @Test
    void evictDropsAModuleButNotItsInstances() throws IOException {
        Engine engine = Engine.create();
        CompiledModule m = engine.compile(api());
        Instance instance = m.instantiate(LimitsModules.imports(x -> x));
        assertTrue(engine.evict(m.sha256()));
        assertTrue(!engine.evict(m.sha256()), "evicting twice is a no-op");
        assertNull(engine.cached(m.sha256()));
        assertEquals(0, engine.cachedBytes());
        assertNotSame(m, engine.compile(api()));
        instance.close();
    }

    @Test
    void aZeroBoundCachesNothingAndValidateCompilesNothing() throws IOException {
        Engine engine = Engine.builder().moduleCacheBytes(0).build();
        CompiledModule m = engine.compile(api());
        assertNull(engine.cached(m.sha256()));
        Engine validating = Engine.create();
        validating.validate(api());
        assertEquals(0, validating.cachedBytes(), "validate neither compiles nor caches");
        assertThrows(MalformedModuleException.class, () -> validating.validate(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0, 1}));
        assertThrows(IllegalArgumentException.class, () -> Engine.builder().moduleCacheBytes(-1));
    }
}
