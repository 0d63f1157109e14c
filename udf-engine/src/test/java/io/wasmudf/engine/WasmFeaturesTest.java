package io.wasmudf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WebAssembly version through the engine API ({@link Engine.Builder#features}): a module
 * using what 3.0 added is refused at 2.0 with the reason a 2.0 engine gives (the 2.0 spec suite's
 * wording) and accepted and run at 3.0, the default. The 2.0 and 3.0 spec suites check every rule
 * at their own version (SpecSuiteTest); these pin the API and the code-cache boundary.
 */
class WasmFeaturesTest {
    private static final Engine V2 = Engine.builder().features(WasmFeatures.V2_0).build();
    private static final Engine V3 = Engine.create();

    /** Two memories; the code uses memory 0 only (a memarg naming another is malformed at 2.0 before validation). */
    private static final String TWO_MEMORIES = "(module (memory 1) (memory $b (export \"b\") 2)"
            + " (func (export \"f\") (result i32) (i32.store (i32.const 0) (i32.const 42)) (i32.load (i32.const 0))))";

    /** memory.size with memory index 1 (module: () -> i32, two memories). */
    private static final byte[] MEMORY_SIZE_1 = {0, 'a', 's', 'm', 1, 0, 0, 0,
        1, 5, 1, 0x60, 0, 1, 0x7f, 3, 2, 1, 0, 5, 5, 2, 0, 1, 0, 1, 7, 5, 1, 1, 'f', 0, 0,
        10, 6, 1, 4, 0, 0x3f, 1, 0x0b};

    @Test
    void theDefaultIsThreeZero() {
        assertEquals(WasmFeatures.V3_0, V3.options().features());
        assertEquals(WasmFeatures.V2_0, V2.options().features());
        assertEquals(WasmFeatures.V2_0, WasmFeatures.of("2.0"));
        assertEquals(WasmFeatures.V3_0, WasmFeatures.of("3"));
        assertThrows(IllegalArgumentException.class, () -> WasmFeatures.of("1.0"));
    }

    @Test
    void aSecondMemoryIsInvalidAtTwoZeroAndRunsAtThreeZero() {
        byte[] wasm = Wat.toBinary(TWO_MEMORIES);
        InvalidModuleException e = assertThrows(InvalidModuleException.class, () -> V2.compile(wasm));
        assertEquals("multiple memories", e.reason());
        assertThrows(InvalidModuleException.class, () -> V2.validate(wasm));
        Instance instance = V3.compile(wasm).instantiate(Imports.empty());
        assertEquals(42, instance.function("f").call()[0]);
        assertEquals(2, instance.memory("b").pages());
    }

    @Test
    void aMemargNamingAMemoryIsMalformedAtTwoZero() {
        byte[] wasm = Wat.toBinary("(module (memory 1) (memory $b 1) (func (export \"f\") (result i32) (i32.load $b (i32.const 0))))");
        assertEquals("malformed memop flags", assertThrows(MalformedModuleException.class, () -> V2.compile(wasm)).reason());
        assertEquals(0, V3.compile(wasm).instantiate(Imports.empty()).function("f").call()[0]);
    }

    @Test
    void memoryIndexesAreZeroBytesAtTwoZero() {
        MalformedModuleException e = assertThrows(MalformedModuleException.class, () -> V2.compile(MEMORY_SIZE_1));
        assertEquals("zero byte expected", e.reason());
        assertEquals(1, V3.compile(MEMORY_SIZE_1).instantiate(Imports.empty()).function("f").call()[0]);
    }

    @Test
    void memory64AndU64LimitsAreTwoZeroErrors() {
        // i64 addresses set bit 2 of the limits flag, a one-bit LEB128 in 2.0
        byte[] memory64 = Wat.toBinary("(module (memory i64 1))");
        assertEquals("integer too large", assertThrows(MalformedModuleException.class, () -> V2.compile(memory64)).reason());
        V3.compile(memory64);
        // text: 2.0 limits and offsets are u32
        WatSyntaxException limit = assertThrows(WatSyntaxException.class,
                () -> Wat.toBinary("(module (memory 0x1_0000_0000))", WasmFeatures.V2_0));
        assertTrue(limit.getMessage().contains("i32 constant out of range"), limit.getMessage());
        WatSyntaxException offset = assertThrows(WatSyntaxException.class, () -> Wat.toBinary(
                "(module (memory 1) (func (drop (i32.load offset=4294967296 (i32.const 0)))))", WasmFeatures.V2_0));
        assertTrue(offset.getMessage().contains("i32 constant"), offset.getMessage());
        // 3.0 reads both and leaves the range to validation
        assertEquals("memory size must be at most 65536 pages (4GiB)", assertThrows(InvalidModuleException.class,
                () -> V3.compile(Wat.toBinary("(module (memory 0x1_0000_0000))", WasmFeatures.V3_0))).reason());
    }

    @Test
    void twoZeroModulesRunAtBothVersions() {
        byte[] wasm = Wat.toBinary("(module (memory 1) (func (export \"f\") (param i32) (result i32)"
                + " (i32.store offset=4 (i32.const 0) (local.get 0)) (drop (memory.grow (i32.const 1)))"
                + " (i32.add (i32.load offset=4 (i32.const 0)) (memory.size))))");
        for (Engine engine : new Engine[] {V2, V3}) {
            assertEquals(9, engine.compile(wasm).instantiate(Imports.empty()).function("f").call(7)[0]);
        }
    }

    /** A code-cache entry skips validation, so one a 3.0 engine wrote must not admit a module at 2.0. */
    @Test
    void aThreeZeroCodeCacheEntryDoesNotAdmitAModuleAtTwoZero(@TempDir Path dir) {
        byte[] wasm = Wat.toBinary(TWO_MEMORIES);
        Engine.builder().codeCache(dir).build().compile(wasm);
        assertTrue(Engine.builder().codeCache(dir).build().compile(wasm).fromCodeCache());
        Engine v2 = Engine.builder().features(WasmFeatures.V2_0).codeCache(dir).build();
        assertEquals("multiple memories", assertThrows(InvalidModuleException.class, () -> v2.compile(wasm)).reason());
        byte[] plain = Wat.toBinary("(module (func (export \"f\") (result i32) (i32.const 5)))");
        v2.compile(plain);
        CompiledModule again = Engine.builder().features(WasmFeatures.V2_0).codeCache(dir).build().compile(plain);
        assertTrue(again.fromCodeCache());
        assertFalse(Engine.builder().codeCache(dir).moduleCacheBytes(0).build().compile(plain).fromCodeCache(),
                "entries are kept per version");
    }

    @Test
    void typedReferencesAndGcAreMalformedAtTwoZero() {
        byte[] funcRef = Wat.toBinary("(module (type $t (func (result i32))) (func $f (type $t) (i32.const 3)) (elem declare func $f)"
                + " (func (export \"f\") (result i32) (call_ref $t (ref.func $f))))");
        assertEquals("illegal opcode", assertThrows(MalformedModuleException.class, () -> V2.compile(funcRef)).reason());
        assertEquals(3, V3.compile(funcRef).instantiate(Imports.empty()).function("f").call()[0]);
        byte[] struct = Wat.toBinary("(module (type (struct (field i32))))");
        assertEquals("malformed function type", assertThrows(MalformedModuleException.class, () -> V2.compile(struct)).reason());
        V3.compile(struct);
        byte[] anyref = Wat.toBinary("(module (global anyref (ref.null any)))");
        assertEquals("malformed value type", assertThrows(MalformedModuleException.class, () -> V2.compile(anyref)).reason());
        V3.compile(anyref);
    }

    @Test
    void constantExpressionsReadImportedGlobalsOnlyAtTwoZero() {
        byte[] wasm = Wat.toBinary("(module (global $a i32 (i32.const 4)) (global (export \"b\") i32 (global.get $a)))");
        assertEquals("unknown global 0", assertThrows(InvalidModuleException.class, () -> V2.compile(wasm)).reason());
        assertEquals(4, ((Global) V3.compile(wasm).instantiate(Imports.empty()).export("b")).value());
    }

    @Test
    void tailCallsAndConstantArithmeticAreThreeZero() {
        byte[] tail = Wat.toBinary("(module (func $g (result i32) (i32.const 6)) (func (export \"f\") (result i32) (return_call $g)))");
        assertEquals("illegal opcode", assertThrows(MalformedModuleException.class, () -> V2.compile(tail)).reason());
        assertEquals(6, V3.compile(tail).instantiate(Imports.empty()).function("f").call()[0]);
        byte[] arithmetic = Wat.toBinary("(module (global (export \"g\") i32 (i32.add (i32.const 2) (i32.const 3))))");
        assertEquals("constant expression required", assertThrows(InvalidModuleException.class, () -> V2.compile(arithmetic)).reason());
        assertEquals(5, ((Global) V3.compile(arithmetic).instantiate(Imports.empty()).export("g")).value());
    }
}
