package io.wasmudf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine examples of README.md, verbatim apart from where the file comes from. */
class ReadmeExampleTest {
    /** api.wat's imports: a log that drops its argument, a "twice" that returns it. */
    private static Imports apiImports() {
        return Imports.builder()
                .add("host", "log", WasmFunction.host(FuncType.of(java.util.List.of(ValType.I32), java.util.List.of()),
                        java.lang.invoke.MethodHandles.empty(java.lang.invoke.MethodType.methodType(void.class, int.class))))
                .add("host", "twice", WasmFunction.host(FuncType.of(java.util.List.of(ValType.I64), java.util.List.of(ValType.I64)),
                        java.lang.invoke.MethodHandles.identity(long.class)))
                .build();
    }

    @Test
    void readmeExampleRuns(@TempDir Path dir) throws Throwable {
        Path file = dir.resolve("api.wasm");
        Files.write(file, EngineApiTest.bytes("api.wasm"));
        Path apiWasm = file;
        Imports imports = apiImports();

        // --- README example starts
        Engine engine = Engine.create();                                // thread-safe, caches by sha256
        byte[] wasm = Files.readAllBytes(apiWasm);                      // any Wasm 2.0 binary
        CompiledModule module = engine.compile(wasm);                   // decode + validate + compile to JVM bytecode
        Instance instance = module.instantiate(imports);                // own memory, tables, globals
        MethodHandle add = instance.function("add").handle();          // exact type (int,int)int
        int sum = (int) add.invokeExact(40, 2);                         // no boxing, no arrays
        Object[] generic = instance.function("add").call(1, 2);         // tool path: boxed values
        Memory memory = instance.memory("memory");                      // little-endian byte[] view
        memory.writeInt(0, sum);                                        // host writes, guest reads
        // --- README example ends

        assertEquals(42, sum);
        assertEquals(3, generic[0]);
        assertEquals(42, instance.function("load").call(0)[0]);
    }

    @Test
    void readmeInterfaceExampleRuns() throws Exception {
        Instance instance = Engine.create().compile(EngineApiTest.bytes("api.wasm")).instantiate(apiImports());

        // --- README interface example starts
        IntBinaryOperator add = instance.function("add").as(IntBinaryOperator.class);
        int sum = add.applyAsInt(40, 2);                                // an interface call the JIT inlines
        // --- README interface example ends

        assertEquals(42, sum);
    }
}
