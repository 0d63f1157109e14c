package io.wasmudf.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The public API end to end, on {@code api.wat}: typed calls, state, traps, imports, interruption. */
class EngineApiTest {
    private static final FuncType I32_TO_VOID = FuncType.of(List.of(ValType.I32), List.of());
    private static final FuncType I64_TO_I64 = FuncType.of(List.of(ValType.I64), List.of(ValType.I64));

    static byte[] bytes(String name) throws IOException {
        try (InputStream in = EngineApiTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    private final List<Integer> logged = new ArrayList<>();

    private void log(int v) {
        logged.add(v);
    }

    private static long twice(long v) {
        return v * 2;
    }

    private Imports hostImports() throws ReflectiveOperationException {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        MethodHandle log = lookup.findVirtual(EngineApiTest.class, "log", MethodType.methodType(void.class, int.class)).bindTo(this);
        MethodHandle twice = lookup.findStatic(EngineApiTest.class, "twice", MethodType.methodType(long.class, long.class));
        return Imports.builder()
                .add("host", "log", WasmFunction.host(I32_TO_VOID, log))
                .add("host", "twice", WasmFunction.host(I64_TO_I64, twice))
                .build();
    }

    private Instance instance(Engine engine) throws Exception {
        return engine.compile(bytes("api.wasm")).instantiate(hostImports());
    }

    @Test
    void typedHandleCallsWithoutBoxing() throws Throwable {
        Instance inst = instance(Engine.create());
        MethodHandle add = inst.function("add").handle();
        assertEquals(MethodType.methodType(int.class, int.class, int.class), add.type());
        assertEquals(5, (int) add.invokeExact(2, 3));
        assertEquals(Integer.MIN_VALUE, (int) add.invokeExact(Integer.MAX_VALUE, 1), "i32.add wraps");
    }

    @Test
    void moduleLevelExportHandleTakesTheInstanceLast() throws Throwable {
        CompiledModule module = Engine.create().compile(bytes("api.wasm"));
        MethodHandle load = module.exportHandle("load");
        assertEquals(MethodType.methodType(int.class, int.class, Instance.class), load.type());
        assertSame(load, module.exportHandle("load"), "one handle per export, shared by all instances");
        Instance one = module.instantiate(hostImports());
        Instance two = module.instantiate(hostImports());
        one.memory("memory").writeInt(8, 11);
        two.memory("memory").writeInt(8, 22);
        assertEquals(11, (int) load.invokeExact(8, one));
        assertEquals(22, (int) load.invokeExact(8, two));
        Trap t = assertThrows(Trap.class, () -> {
            int ignored = (int) load.invokeExact(-8, one);
        });
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, t.kind());
        assertThrows(IllegalArgumentException.class, () -> module.exportHandle("memory"));
    }

    @Test
    void genericCallBoxesArgumentsAndResults() throws Exception {
        Instance inst = instance(Engine.create());
        assertArrayEquals(new Object[] {7}, inst.function("add").call(3, 4));
        assertArrayEquals(new Object[] {2.5f, 9}, inst.function("swap").call(9, 2.5f), "multi-value results");
        assertEquals(Double.POSITIVE_INFINITY, inst.function("fdiv").call(1.0, 0.0)[0]);
    }

    @Test
    void compiledModulesAreCachedByContent() throws Exception {
        Engine engine = Engine.create();
        CompiledModule a = engine.compile(bytes("api.wasm"));
        CompiledModule b = engine.compile(bytes("api.wasm").clone());
        assertSame(a, b);
        assertEquals(Engine.sha256(bytes("api.wasm")), a.sha256());
        assertEquals(ExternKind.FUNC, a.exports().stream().filter(e -> e.name().equals("add")).findFirst().orElseThrow().kind());
        assertEquals(2, a.imports().size());
    }

    @Test
    void instancesHaveIndependentMemoryAndGlobals() throws Exception {
        CompiledModule module = Engine.create().compile(bytes("api.wasm"));
        Instance one = module.instantiate(hostImports());
        Instance two = module.instantiate(hostImports());
        one.function("store").call(16, 1234);
        assertEquals(1234, one.function("load").call(16)[0]);
        assertEquals(0, two.function("load").call(16)[0], "another instance must not see the write");
        one.function("bump").call();
        one.function("bump").call();
        assertEquals(3, one.function("bump").call()[0]);
        assertEquals(1, two.function("bump").call()[0]);
        assertNotSame(one.memory("memory"), two.memory("memory"));
        assertEquals(42, one.global("answer").getInt());
    }

    @Test
    void hostMemoryAccessSeesGuestWrites() throws Exception {
        Instance inst = instance(Engine.create());
        Memory memory = inst.memory("memory");
        memory.write(100, new byte[] {1, 2, 3, 4}, 0, 4);
        assertEquals(0x04030201, inst.function("load").call(100)[0], "little-endian");
        inst.function("store").call(200, 0xCAFEBABE);
        assertEquals(0xCAFEBABE, memory.readInt(200));
        // a guest-supplied length is checked before anything is allocated
        Trap huge = assertThrows(Trap.class, () -> memory.read(16, Integer.MAX_VALUE));
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, huge.kind());
        assertThrows(Trap.class, () -> memory.read(-16, 32), "addresses are unsigned: 2^32 - 16 is out of bounds");
    }

    @Test
    void callIndirectDispatchesThroughTheTable() throws Exception {
        Instance inst = instance(Engine.create());
        assertEquals(10, inst.function("apply").call(0, 7, 3)[0]);
        assertEquals(4, inst.function("apply").call(1, 7, 3)[0]);
        assertTrap(TrapKind.UNDEFINED_ELEMENT, () -> inst.function("apply").call(2, 7, 3));
        assertTrap(TrapKind.INDIRECT_CALL_TYPE_MISMATCH, () -> inst.function("apply_wrong_type").call(1));
    }

    @Test
    void trapsUseTheSpecWording() throws Exception {
        Instance inst = instance(Engine.create());
        assertEquals("integer divide by zero", assertTrap(TrapKind.INTEGER_DIVIDE_BY_ZERO, () -> inst.function("div_s").call(1, 0)).getMessage());
        assertEquals("integer overflow", assertTrap(TrapKind.INTEGER_OVERFLOW, () -> inst.function("div_s").call(Integer.MIN_VALUE, -1)).getMessage());
        assertEquals("unreachable", assertTrap(TrapKind.UNREACHABLE, () -> inst.function("trap").call()).getMessage());
        assertTrap(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, () -> inst.function("load").call(65536 - 3));
        assertTrap(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, () -> inst.function("load").call(-1));
        // base + offset exceeds 2^32: must trap rather than wrap around to a small address
        assertTrap(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS, () -> inst.function("load_offset").call(0x20));
        assertEquals(0, inst.function("load").call(65536 - 4)[0], "the last word is in bounds");
    }

    @Test
    void typedHandleTranslatesJvmExceptionsToTraps() throws Throwable {
        MethodHandle div = instance(Engine.create()).function("div_s").handle();
        Trap t = assertThrows(Trap.class, () -> {
            int ignored = (int) div.invokeExact(1, 0);
        });
        assertEquals(TrapKind.INTEGER_DIVIDE_BY_ZERO, t.kind());
    }

    @Test
    void deepRecursionBecomesCallStackExhausted() throws Exception {
        Instance inst = instance(Engine.create());
        assertTrap(TrapKind.CALL_STACK_EXHAUSTED, () -> inst.function("recurse").call(1L));
        assertEquals(5, inst.function("add").call(2, 3)[0], "the JVM and the engine carry on");
    }

    @Test
    void memoryGrowRespectsDeclaredMaximumAndEngineCap() throws Exception {
        Instance inst = instance(Engine.create());
        assertEquals(1, inst.function("grow").call(1)[0]);
        assertEquals(-1, inst.function("grow").call(3)[0], "declared maximum is 4 pages");
        assertEquals(2, inst.memory("memory").pages());
        Instance capped = instance(Engine.builder().maxMemoryPages(2).build());
        assertEquals(1, capped.function("grow").call(1)[0]);
        assertEquals(-1, capped.function("grow").call(1)[0], "engine cap of 2 pages");
    }

    @Test
    void hostFunctionsAreCalledAndTheirFailuresAreTraps() throws Exception {
        Instance inst = instance(Engine.create());
        assertEquals(42L, inst.function("call_host").call(21L)[0]);
        assertEquals(List.of(21), logged);
        FuncType ft = I32_TO_VOID;
        MethodHandle boom = MethodHandles.dropArguments(
                MethodHandles.throwException(void.class, IllegalStateException.class).bindTo(new IllegalStateException("boom")), 0, int.class);
        Imports failing = Imports.builder().addAll(hostImports()).add("host", "log", WasmFunction.host(ft, boom)).build();
        Instance bad = Engine.create().compile(bytes("api.wasm")).instantiate(failing);
        Trap trap = assertTrap(TrapKind.HOST_ERROR, () -> bad.function("call_host").call(1L));
        assertTrue(trap.getMessage().contains("boom"), trap.getMessage());
    }

    @Test
    void linkErrorsNameTheImport() throws Exception {
        CompiledModule module = Engine.create().compile(bytes("api.wasm"));
        LinkException missing = assertThrows(LinkException.class, module::instantiate);
        assertEquals("unknown import", missing.reason());
        assertTrue(missing.getMessage().contains("host.log"), missing.getMessage());
        Imports wrongType = Imports.builder().addAll(hostImports())
                .add("host", "twice", WasmFunction.host(I32_TO_VOID, MethodHandles.empty(MethodType.methodType(void.class, int.class))))
                .build();
        LinkException incompatible = assertThrows(LinkException.class, () -> module.instantiate(wrongType));
        assertEquals("incompatible import type", incompatible.reason());
    }

    @Test
    void hostRejectsHandlesOfTheWrongType() {
        assertThrows(IllegalArgumentException.class,
                () -> WasmFunction.host(I64_TO_I64, MethodHandles.identity(int.class)));
    }

    @Test
    void badBytesAreMalformed() {
        MalformedModuleException e = assertThrows(MalformedModuleException.class,
                () -> Engine.create().compile(new byte[] {0, 'a', 's', 'n', 1, 0, 0, 0}));
        assertEquals("magic header not detected", e.reason());
        assertThrows(MalformedModuleException.class, () -> Engine.create().compile(new byte[0]));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void interruptStopsAnInfiniteLoop() throws Exception {
        Instance inst = instance(Engine.builder().interruptible(true).build());
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException ignored) {
                return;
            }
            inst.interrupt();
        });
        stopper.start();
        assertTrap(TrapKind.INTERRUPTED, () -> inst.function("spin").call());
        stopper.join();
    }

    @Test
    void outlinedCodeBehavesTheSame() throws Exception {
        // methodSizeLimit(0) compiles every block and loop as its own JVM method
        Instance inst = instance(Engine.builder().methodSizeLimit(0).interruptible(true).build());
        assertEquals(10, inst.function("apply").call(0, 7, 3)[0]);
        inst.function("store").call(32, 77);
        assertEquals(77, inst.function("load").call(32)[0]);
        assertTrap(TrapKind.CALL_STACK_EXHAUSTED, () -> inst.function("recurse").call(1L));
        assertArrayEquals(new Object[] {2.5f, 9}, inst.function("swap").call(9, 2.5f));
    }

    @Test
    void unknownExportsAreReported() throws Exception {
        Instance inst = instance(Engine.create());
        assertNull(inst.export("nope"));
        assertThrows(IllegalArgumentException.class, () -> inst.function("memory"));
    }

    private static Trap assertTrap(TrapKind kind, Runnable call) {
        Trap t = assertThrows(Trap.class, call::run);
        assertEquals(kind, t.kind(), t.getMessage());
        return t;
    }
}
