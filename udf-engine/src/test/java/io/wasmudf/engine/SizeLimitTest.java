package io.wasmudf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Module size caps are enforced at compile with messages naming the setting. */
class SizeLimitTest {
    private final byte[] wasm = LimitsModules.bytes("limits");

    private static String refusal(Engine engine, byte[] wasm) {
        ResourceLimitException e = assertThrows(ResourceLimitException.class, () -> engine.compile(wasm));
        assertEquals(ResourceLimitException.Resource.CODE, e.resource());
        return e.getMessage();
    }

    @Test
    void moduleBytes() {
        String m = refusal(Engine.builder().maxModuleBytes(wasm.length - 1).build(), wasm);
        assertEquals("module is " + wasm.length + " bytes, over the limit of " + (wasm.length - 1)
                + " bytes (maxModuleBytes)", m);
        Engine.builder().maxModuleBytes(wasm.length).build().compile(wasm);
    }

    @Test
    void functionCount() {
        // limits.wat defines 11 functions (the import does not count)
        String m = refusal(Engine.builder().maxFunctions(10).build(), wasm);
        assertEquals("module defines 11 functions, over the limit of 10 (maxFunctions)", m);
        Engine.builder().maxFunctions(11).build().compile(wasm);
    }

    @Test
    void functionBodyBytes() {
        String m = refusal(Engine.builder().maxFunctionBodyBytes(8).build(), wasm);
        assertTrue(m.startsWith("function body ") && m.endsWith("over the limit of 8 bytes (maxFunctionBodyBytes)"), m);
    }

    /** Regression (found by the spec suite): a count over 32 bits is malformed, not a limit hit. */
    @Test
    void anOversizedCountIsLeftToTheDecoder() {
        byte[] wasm = {0, 'a', 's', 'm', 1, 0, 0, 0, 3, 5, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x10};
        assertThrows(MalformedModuleException.class, () -> Engine.create().compile(wasm));
    }

    @Test
    void defaultsAreDocumentedValues() {
        Engine.Options o = Engine.create().options();
        assertEquals(64 << 20, o.maxModuleBytes());
        assertEquals(100_000, o.maxFunctions());
        assertEquals(8 << 20, o.maxFunctionBodyBytes());
        assertEquals(32_768, o.classSizeLimit());
        assertThrows(IllegalArgumentException.class, () -> Engine.builder().maxFunctions(0));
        assertThrows(IllegalArgumentException.class, () -> Engine.builder().classSizeLimit(0));
    }
}
