package io.wasmudf.engine.difffuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.ValType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparison rules and the instrumentation, without V8. */
class VerdictTest {
    private static final List<CallPlan.Call> CALLS = List.of(new CallPlan.Call("f", List.of("i32:1")));

    private static Observation obs(String outcome, String mem, String memNan) {
        return new Observation(outcome, List.of("log-i32 i32:1"), mem, memNan, "i32:0");
    }

    private static Verdict compare(List<Observation> v8, List<Observation> engine) {
        return Verdict.compare(v8, new EngineRun.Result(null, engine), CALLS);
    }

    @Test
    void memoryDifferingOnlyInNanBitsAgreesButIsNoted() {
        Verdict v = compare(List.of(obs("ok", "1:a", "1:n"), obs("ok [f32:nan]", "1:b", "1:n")),
                List.of(obs("ok", "1:a", "1:n"), obs("ok [f32:nan]", "1:c", "1:n")));
        assertEquals(Verdict.Kind.AGREE, v.kind());
        assertTrue(v.nanBitsOnly());
    }

    @Test
    void anyOtherDifferenceIsAMismatchNamingTheStepAndBothSides() {
        Verdict memory = compare(List.of(obs("ok", "1:a", "1:n")), List.of(obs("ok", "1:b", "1:m")));
        assertEquals("memory", memory.failureClass());
        Verdict value = compare(List.of(obs("ok", "1:a", "1:n"), obs("ok [i32:1]", "1:a", "1:n")),
                List.of(obs("ok", "1:a", "1:n"), obs("ok [i32:2]", "1:a", "1:n")));
        assertEquals("outcome: value vs value", value.failureClass());
        assertTrue(value.detail().contains("call 1 f[i32:1]") && value.detail().contains("ok [i32:1]")
                && value.detail().contains("ok [i32:2]"), value.detail());
        Verdict trap = compare(List.of(obs("ok", "1:a", "1:n"), obs("trap unreachable", "1:a", "1:n")),
                List.of(obs("ok", "1:a", "1:n"), obs("ok [i32:2]", "1:a", "1:n")));
        assertEquals("outcome: trap unreachable vs value", trap.failureClass());
        Observation otherLog = new Observation("ok", List.of(), "1:a", "1:n", "i32:0");
        assertEquals("host calls", compare(List.of(obs("ok", "1:a", "1:n")), List.of(otherLog)).failureClass());
        Observation otherGlobals = new Observation("ok", List.of("log-i32 i32:1"), "1:a", "1:n", "i32:1");
        assertEquals("globals", compare(List.of(obs("ok", "1:a", "1:n")), List.of(otherGlobals)).failureClass());
        assertTrue(Verdict.compare(List.of(obs("ok", "1:a", "1:n")), new EngineRun.Result("java.lang.VerifyError: x", List.of()),
                CALLS).failureClass().startsWith("compile: java.lang.VerifyError"));
    }

    @Test
    void resourceLimitsStopTheComparisonButADeadlineIsAFailure() {
        List<Observation> v8 = List.of(obs("ok", "1:a", "1:n"), obs("ok [i32:1]", "1:a", "1:n"));
        assertEquals(Verdict.Kind.LIMITED, compare(v8, List.of(obs("ok", "1:a", "1:n"), obs("stack-exhausted", "1:x", "1:y"))).kind());
        assertEquals(Verdict.Kind.LIMITED, compare(v8, List.of(obs("ok", "1:a", "1:n"), obs("limit fuel", "1:x", "1:y"))).kind());
        assertEquals("timeout", compare(v8, List.of(obs("ok", "1:a", "1:n"), obs("limit timeout", "1:x", "1:y"))).failureClass());
        List<Observation> v8Exhausted = List.of(obs("ok", "1:a", "1:n"), obs("stack-exhausted", "1:a", "1:n"));
        assertTrue(compare(v8Exhausted, List.of(obs("ok", "1:a", "1:n"), obs("error java.lang.NullPointerException: x", "1:x", "1:y")))
                .failed(), "an engine error is a failure even where V8 ran out of stack");
    }

    @Test
    void instrumentationExportsMemoryAndReadsEveryGlobal() {
        // (module (global (mut i32) (i32.const 7)) (global f64 (f64.const -0.0)) (memory 1)
        //   (func (export "f") (result i32) (i32.const 1)))
        byte[] wasm = {0, 'a', 's', 'm', 1, 0, 0, 0,
            1, 5, 1, 0x60, 0, 1, 0x7F,
            3, 2, 1, 0,
            5, 3, 1, 0, 1,
            6, 18, 2, 0x7F, 1, 0x41, 7, 0x0B, 0x7C, 0, 0x44, 0, 0, 0, 0, 0, 0, 0, (byte) 0x80, 0x0B,
            7, 5, 1, 1, 'f', 0, 0,
            10, 6, 1, 4, 0, 0x41, 1, 0x0B};
        Instrumented m = Instrumented.of(wasm);
        assertEquals(List.of(ValType.I32, ValType.F64), m.globalTypes());
        assertEquals(List.of("f"), m.exportOrder());
        Instance instance = Engine.create().compile(m.wasm()).instantiate();
        assertEquals("i32:7 f64:8000000000000000", Observation.globals(m.globalTypes(), instance.function(Instrumented.GLOBALS)));
        assertEquals(1, instance.memory(Instrumented.MEMORY).pages());
        assertEquals(1, instance.function("f").call()[0]);
        instance.memory(Instrumented.MEMORY).writeInt(8, 0x7FC00000);
        String[] hashes = Observation.memoryHashes(instance.memory(Instrumented.MEMORY));
        instance.memory(Instrumented.MEMORY).writeInt(8, 0xFFC00001); // another NaN: only the exact hash changes
        String[] after = Observation.memoryHashes(instance.memory(Instrumented.MEMORY));
        assertTrue(!hashes[0].equals(after[0]) && hashes[1].equals(after[1]));
    }
}
