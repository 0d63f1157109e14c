package io.wasmudf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wasmudf.engine.internal.runtime.TypeIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import io.wasmudf.engine.testsupport.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A code-cache entry written by one JVM and loaded by another whose function-type numbering
 * differs: the {@code call_indirect} signature checks of the loaded classes must use the loading
 * JVM's type ids (they once compared against constants of the writing JVM's numbering, and every
 * indirect call trapped with a type mismatch after a restart).
 */
class CodeCacheAcrossJvmsTest {
    static final String MODULE = """
            (module
              (type $a (func (param i32) (result i32)))
              (type $b (func (param i64 i64) (result i64)))
              (table 2 funcref)
              (elem (i32.const 0) $inc $add)
              (func $inc (type $a) (i32.add (local.get 0) (i32.const 1)))
              (func $add (type $b) (i64.add (local.get 0) (local.get 1)))
              (func (export "viaA") (param i32) (result i32)
                (call_indirect (type $a) (local.get 0) (i32.const 0)))
              (func (export "viaB") (param i64) (result i64)
                (call_indirect (type $b) (local.get 0) (i64.const 2) (i32.const 1)))
              (func (export "mismatch") (param i32) (result i32)
                (call_indirect (type $a) (local.get 0) (i32.const 1))))
            """;

    @TempDir
    Path dir;

    @Test
    void indirectCallsOfCachedCodeUseTheLoadingJvmsTypeIds() throws Exception {
        Path file = dir.resolve("module.wasm");
        Files.write(file, Wat.toBinary(MODULE));
        Path cache = Files.createDirectory(dir.resolve("code"));
        // both JVMs alike (the cache key covers the JVM's memory-access path): the first writes the
        // entry, the second numbers other types first and loads it
        assertEquals("fromCache=false viaA=42 viaB=42 mismatch=indirect call type mismatch", child(cache, file, "write"));
        assertEquals("fromCache=true viaA=42 viaB=42 mismatch=indirect call type mismatch", child(cache, file, "read"));
    }

    private static String child(Path cache, Path file, String mode) throws Exception {
        return ChildJvm.run(List.of(), Child.class, cache.toString(), file.toString(), mode).trim();
    }

    /** The restarted JVM: numbers other types first, then loads the module from the cache and calls it. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            if (args[2].equals("read")) {
                for (ValType t : List.of(ValType.F32, ValType.F64, ValType.I64, ValType.I32)) {
                    TypeIds.of(FuncType.of(List.of(t, t, t), List.of(t)));
                    TypeIds.of(FuncType.of(List.of(t), List.of()));
                }
            }
            CompiledModule m = Engine.builder().codeCache(Path.of(args[0])).build().compile(Files.readAllBytes(Path.of(args[1])));
            Instance instance = m.instantiate();
            String mismatch;
            try {
                instance.function("mismatch").call(1);
                mismatch = "no trap";
            } catch (Trap t) {
                mismatch = t.getMessage();
            }
            System.out.println("fromCache=" + m.fromCodeCache() + " viaA=" + instance.function("viaA").call(41)[0]
                    + " viaB=" + instance.function("viaB").call(40L)[0] + " mismatch=" + mismatch);
        }
    }
}
