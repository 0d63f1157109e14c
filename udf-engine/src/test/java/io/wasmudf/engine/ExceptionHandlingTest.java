package io.wasmudf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Exception handling (3.0 and legacy), compiled: payloads of every value type and several values,
 * values below a try on the operand stack, exnref in locals, globals and tables, tags across
 * instances, the host boundary (an uncaught exception is a trap naming the tag; traps, stack
 * overflow, deadlines, fuel and host failures are never caught), the call-depth budget after a
 * catch, outlined regions and tail calls.
 */
class ExceptionHandlingTest {
    private static final String MAIN = """
            (module
              (type $pair (struct (field i32) (field i64)))
              (tag $e_i32 (export "e_i32") (param i32))
              (tag $e_all (param i32 i64 f32 f64 (ref null $pair) funcref externref))
              (tag $e_none)
              (global $saved (mut exnref) (ref.null exn))
              (table $exns 2 exnref)
              (func $thrower (export "thrower") (param i32)
                (throw $e_i32 (local.get 0)))
              ;; a throw two calls deep, caught; the values below the try_table survive the handler
              (func (export "below") (param i32) (result i32)
                (i32.add (i32.const 1000)
                  (i32.mul (i32.const 2)
                    (block $h (result i32)
                      (try_table (result i32) (catch $e_i32 $h)
                        (call $thrower (local.get 0))
                        (i32.const -1))))))
              ;; every value type in one payload; f64 and i64 take two JVM slots, the struct is a GC object
              (func (export "all") (result i32 i64 f32 f64 i64 i32 i32)
                (local $s (ref null $pair)) (local $f funcref) (local $x externref)
                (block $h (result i32 i64 f32 f64 (ref null $pair) funcref externref)
                  (try_table (catch $e_all $h)
                    (throw $e_all (i32.const -7) (i64.const 1234567890123) (f32.const 1.5) (f64.const -2.25)
                      (struct.new $pair (i32.const 3) (i64.const 44)) (ref.func $thrower) (ref.null extern)))
                  (unreachable))
                (local.set $x) (local.set $f) (local.set $s)
                (struct.get $pair 1 (local.get $s))
                (ref.is_null (local.get $f))
                (ref.is_null (local.get $x)))
              ;; exnref kept in a global and a table, rethrown later with throw_ref, caught again
              (func (export "keep") (param i32)
                (global.set $saved
                  (block $h (result exnref)
                    (try_table (catch_all_ref $h) (call $thrower (local.get 0)))
                    (ref.null exn)))
                (table.set $exns (i32.const 1) (global.get $saved)))
              (func (export "rethrow_kept") (result i32)
                (block $h (result i32)
                  (try_table (catch $e_i32 $h) (throw_ref (table.get $exns (i32.const 1))))
                  (i32.const -1)))
              (func (export "throw_null")
                (throw_ref (ref.null exn)))
              ;; catch_all does not see traps
              (func (export "trap_in_try") (result i32)
                (block $h
                  (try_table (catch_all $h) (unreachable)))
                (i32.const 1))
              (func $deep (param i32) (result i32)
                (i32.add (i32.const 1) (call $deep (local.get 0))))
              (func (export "overflow_in_try") (result i32)
                (block $h
                  (try_table (catch_all $h) (drop (call $deep (i32.const 0)))))
                (i32.const 1))
              ;; legacy try/catch/rethrow/delegate
              (func (export "legacy") (param i32) (result i32)
                (try (result i32)
                  (do (try (result i32)
                        (do (if (local.get 0) (then (throw $e_i32 (i32.const 5)))) (throw $e_none))
                        (catch $e_none (i32.const 10))
                        (catch_all (rethrow 0))))
                  (catch $e_i32)))
              (func (export "delegated") (result i32)
                (try (result i32)
                  (do (block (try (do (throw $e_i32 (i32.const 9))) (delegate 1))) (i32.const -1))
                  (catch $e_i32 (i32.add (i32.const 100)))))
              (func (export "uncaught") (throw $e_none))
              ;; two-slot values (f64, i64) below nested tries, a legacy catch_all rethrowing to a try_table
              (tag $e_i64 (param i64))
              (func $thr64 (param i32) (if (local.get 0) (then (throw $e_i64 (i64.const 40)))))
              (func (export "mixed") (param i32) (result f64)
                (local $l i64)
                f64.const 1.5
                i64.const 10
                block $outer (result i64)
                  try_table (result i64) (catch $e_i64 $outer)
                    f64.const 2.0
                    i32.const 7
                    try (result i64)
                      local.get 0
                      call $thr64
                      i64.const 1
                    catch_all
                      rethrow 0
                    end
                    i64.const 100
                    i64.add
                    local.set $l
                    drop
                    i64.trunc_f64_s
                    local.get $l
                    i64.add
                  end
                end
                i64.add
                f64.convert_i64_s
                f64.add)
            )
            """;

    private static Instance instantiate(Engine engine, String wat, Imports imports) {
        return engine.compile(Wat.toBinary(wat)).instantiate(imports);
    }

    private static Instance main(Engine engine) {
        return instantiate(engine, MAIN, Imports.empty());
    }

    @Test
    void valuesBelowATryAndPayloadsOfEveryType() {
        for (Engine engine : List.of(Engine.create(), Engine.builder().untrusted().build(),
                Engine.builder().methodSizeLimit(0).build())) {
            Instance instance = main(engine);
            assertEquals(1000 + 2 * 42, instance.function("below").call(42)[0]);
            Object[] all = instance.function("all").call();
            assertEquals(-7, all[0]);
            assertEquals(1234567890123L, all[1]);
            assertEquals(1.5f, all[2]);
            assertEquals(-2.25, all[3]);
            assertEquals(44L, all[4], "the struct in the payload");
            assertEquals(0, all[5], "the funcref in the payload is not null");
            assertEquals(1, all[6], "the null externref");
        }
    }

    @Test
    void exnrefInGlobalsAndTablesIsRethrownWithItsPayload() {
        Instance instance = main(Engine.create());
        instance.function("keep").call(77);
        assertEquals(77, instance.function("rethrow_kept").call()[0]);
        Trap t = assertThrows(Trap.class, () -> instance.function("throw_null").call());
        assertEquals(TrapKind.NULL_EXCEPTION_REFERENCE, t.kind());
    }

    @Test
    void legacyTryCatchRethrowAndDelegate() {
        for (Engine engine : List.of(Engine.create(), Engine.builder().untrusted().build(),
                Engine.builder().methodSizeLimit(0).build())) {
            Instance instance = main(engine);
            assertEquals(10, instance.function("legacy").call(0)[0]);
            assertEquals(5, instance.function("legacy").call(1)[0], "rethrown by catch_all, caught outside");
            assertEquals(109, instance.function("delegated").call()[0]);
            assertEquals(114.5, instance.function("mixed").call(0)[0]);
            assertEquals(51.5, instance.function("mixed").call(1)[0], "40 thrown past the values below both tries");
        }
    }

    @Test
    void uncaughtExceptionsAreTrapsNamingTheTag() {
        Instance instance = main(Engine.create());
        Trap byName = assertThrows(Trap.class, () -> instance.function("thrower").call(1));
        assertEquals(TrapKind.UNCAUGHT_EXCEPTION, byName.kind());
        assertTrue(byName.getMessage().contains("tag \"e_i32\""), byName.getMessage());
        Trap byIndex = assertThrows(Trap.class, () -> instance.function("uncaught").call());
        assertTrue(byIndex.getMessage().contains("tag 2"), byIndex.getMessage());
        // the instance stays usable
        assertEquals(1084, instance.function("below").call(42)[0]);
    }

    @Test
    void trapsAndStackOverflowAreNeverCaught() {
        Instance instance = main(Engine.create());
        assertEquals(TrapKind.UNREACHABLE, assertThrows(Trap.class, () -> instance.function("trap_in_try").call()).kind());
        assertEquals(TrapKind.CALL_STACK_EXHAUSTED,
                assertThrows(Trap.class, () -> instance.function("overflow_in_try").call()).kind());
        Instance limited = main(Engine.builder().untrusted().build());
        assertEquals(TrapKind.CALL_STACK_EXHAUSTED,
                assertThrows(Trap.class, () -> limited.function("overflow_in_try").call()).kind());
    }

    @Test
    void tagsAreSharedAcrossInstancesByIdentity() {
        Engine engine = Engine.create();
        Instance a = main(engine);
        Instance b = main(engine);
        Imports imports = Imports.builder()
                .add("a", "e", a.export("e_i32")).add("a", "throw", a.function("thrower"))
                .add("b", "throw", b.function("thrower")).build();
        Instance c = instantiate(engine, """
                (module
                  (import "a" "e" (tag $e (param i32)))
                  (import "a" "throw" (func $ta (param i32)))
                  (import "b" "throw" (func $tb (param i32)))
                  (func (export "catch") (param i32) (result i32)
                    (block $other
                      (block $h (result i32)
                        (try_table (catch $e $h) (catch_all $other)
                          (if (local.get 0) (then (call $tb (i32.const 2))) (else (call $ta (i32.const 1)))))
                        (i32.const -1)
                        (return))
                      (return))
                    (i32.const 99)))
                """, imports);
        assertTrue(a.export("e_i32") instanceof Tag);
        assertTrue(a.export("e_i32") != b.export("e_i32"), "each instance defines its own tag");
        assertEquals(1, c.function("catch").call(0)[0], "a's tag, imported: caught by tag");
        assertEquals(99, c.function("catch").call(1)[0], "b's tag of the same type is another tag: catch_all");
        LinkException wrongType = assertThrows(LinkException.class, () -> instantiate(engine,
                "(module (import \"a\" \"e\" (tag (param i64))))", imports));
        assertTrue(wrongType.getMessage().contains("incompatible import type"), wrongType.getMessage());
    }

    /** A host function's exception is a host failure: Wasm handlers, catch_all included, never see it. */
    @Test
    void hostFunctionsCannotThrowWasmExceptions() throws Exception {
        var boom = MethodHandles.lookup().findStatic(ExceptionHandlingTest.class, "boom", MethodType.methodType(void.class));
        Imports imports = Imports.builder().add("env", "boom", WasmFunction.host(FuncType.of(List.of(), List.of()), boom)).build();
        Instance instance = instantiate(Engine.create(), """
                (module
                  (import "env" "boom" (func $boom))
                  (func (export "f") (result i32)
                    (block $h (try_table (catch_all $h) (call $boom)))
                    (i32.const 1)))
                """, imports);
        Trap t = assertThrows(Trap.class, () -> instance.function("f").call());
        assertEquals(TrapKind.HOST_ERROR, t.kind());
    }

    static void boom() {
        throw new IllegalStateException("boom");
    }

    /** A loop that throws and catches forever is a loop: deadlines and fuel stop it. */
    private static final String THROW_LOOP = """
            (module
              (tag $e (param i32))
              (func $t (param i32) (throw $e (local.get 0)))
              (func (export "spin") (param i32) (result i32)
                (local $n i32)
                (loop $again
                  (block $h (result i32)
                    (try_table (catch $e $h) (call $t (local.get $n)))
                    (i32.const 0))
                  (local.set $n (i32.add (i32.const 1)))
                  (br_if $again (i32.or (i32.eqz (local.get 0)) (i32.lt_u (local.get $n) (local.get 0)))))
                (local.get $n)))
            """;

    @Test
    void throwAndCatchLoopsObeyDeadlineFuelAndKeepTheCallDepthBudget() {
        Instance checked = instantiate(Engine.builder().untrusted().build(), THROW_LOOP, Imports.empty());
        // the callee that threw never gave its call-depth units back: the handler does, or this exhausts the budget
        assertEquals(200_000, checked.function("spin").call(200_000)[0]);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            checked.setTimeout(Duration.ofMillis(100));
            Trap t = assertThrows(Trap.class, () -> checked.function("spin").call(0));
            assertEquals(TrapKind.TIMEOUT, t.kind());
        });
        Instance fueled = instantiate(Engine.builder().fuel(true).build(), THROW_LOOP, Imports.empty());
        fueled.setFuel(1_000_000);
        Trap t = assertThrows(Trap.class, () -> fueled.function("spin").call(0));
        assertEquals(TrapKind.OUT_OF_FUEL, t.kind());
    }

    /** A try in a function the outliner cuts, with the throw inside an outlined region and the handler outside it. */
    @Test
    void throwInsideAnOutlinedRegionIsCaughtOutside() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            body.append("(local.set $x (i32.add (i32.mul (local.get $x) (i32.const 31)) (i32.const ").append(i).append(")))\n");
            if (i == 350) {
                body.append("(if (local.get 0) (then (throw $e (local.get $x))))\n");
            }
        }
        String wat = "(module (tag $e (param i32))\n(func (export \"f\") (param i32) (result i32) (local $x i32)\n"
                + "(i32.add (i32.const 1)\n(block $h (result i32)\n(try_table (result i32) (catch $e $h)\n"
                + body + "(local.get $x))))))";
        Integer whole = null;
        for (int limit : new int[] {Engine.DEFAULT_METHOD_SIZE_LIMIT, 300, 0}) {
            Instance instance = instantiate(Engine.builder().methodSizeLimit(limit).build(), wat, Imports.empty());
            int thrown = (Integer) instance.function("f").call(1)[0];
            int fallen = (Integer) instance.function("f").call(0)[0];
            if (whole == null) {
                whole = thrown;
                assertTrue(thrown != fallen);
            }
            assertEquals(whole, thrown, "limit " + limit);
        }
    }

    /** A module from the code cache (decoded without its code) has its tags: exceptions work and traps name them. */
    @Test
    void modulesFromTheCodeCacheKeepTheirTags(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        byte[] wasm = Wat.toBinary(MAIN);
        assertTrue(!Engine.builder().codeCache(dir).build().compile(wasm).fromCodeCache());
        CompiledModule cached = Engine.builder().codeCache(dir).build().compile(wasm);
        assertTrue(cached.fromCodeCache());
        Instance instance = cached.instantiate(Imports.empty());
        assertEquals(1084, instance.function("below").call(42)[0]);
        assertEquals(5, instance.function("legacy").call(1)[0]);
        Trap t = assertThrows(Trap.class, () -> instance.function("thrower").call(1));
        assertTrue(t.getMessage().contains("tag \"e_i32\""), t.getMessage());
    }

    /** A tail call leaves the try: the callee's exception is not the caller's to catch (its frame is gone). */
    @Test
    void aTailCallInsideATryIsOutsideIt() {
        Instance instance = instantiate(Engine.create(), """
                (module
                  (tag $e)
                  (func $tail (result i32)
                    (block $h (try_table (catch_all $h) (return_call $t2)))
                    (i32.const 3))
                  (func $t2 (result i32) (throw $e))
                  (func (export "f") (result i32)
                    (block $h
                      (try_table (catch $e $h) (drop (call $tail)))
                      (return (i32.const 1)))
                    (i32.const 2)))
                """, Imports.empty());
        assertEquals(2, instance.function("f").call()[0], "caught by the caller of the function that tail-called");
    }
}
