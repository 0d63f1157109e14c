package io.wasmudf.engine.internal.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.Instance;
import io.wasmudf.engine.Trap;
import io.wasmudf.engine.TrapKind;
import io.wasmudf.engine.Wat;
import io.wasmudf.engine.internal.decode.ModuleDecoder;
import io.wasmudf.engine.internal.model.WasmModule;
import io.wasmudf.engine.internal.validate.Validator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Scaffolding of the tests of recognised loops ({@link DotLoopsTest}, {@link ScanLoopsTest}): each
 * function exists as written (recognised) and apart (a filler in its loop body that stops
 * recognition at the same fuel), and every check runs both and compares what they did.
 */
final class LoopsApart {
    /** Both ways the loops are compiled: without and with the header's checks (fuel, interrupts, stack). */
    static final List<ModuleCompiler.Checks> CHECKS = List.of(ModuleCompiler.Checks.NONE, new ModuleCompiler.Checks(true, true, true));

    /** What a call returned, in a form that compares with equals (lane bits as text, an int). */
    interface Result {
        Object of(Instance inst, String name, Object... args);
    }

    /** A call that may trap. */
    interface Call {
        Object run();
    }

    private LoopsApart() {}

    /**
     * A module with {@code pages} of exported memory, {@code funcs} twice (%N% the name's suffix,
     * %X% the filler: as written {@code i32.const 0 drop}, apart ({@code _apart}) {@code nop nop},
     * the same fuel) and then {@code more}.
     */
    static String module(int pages, String funcs, String more) {
        return "(module (memory (export \"mem\") " + pages + ")\n"
                + funcs.replace("%N%", "").replace("%X%", "i32.const 0 drop")
                + funcs.replace("%N%", "_apart").replace("%X%", "nop nop") + more + ")";
    }

    static WasmModule validated(String wat) throws Exception {
        WasmModule module = ModuleDecoder.decode(Wat.toBinary(wat));
        Validator.validate(module);
        return module;
    }

    /** The generated methods that call {@code runtime/<helper>.<method>}, once per call site. */
    static List<String> helperCalls(byte[] classFile, String helper, String method) {
        ClassNode generated = new ClassNode();
        new ClassReader(classFile).accept(generated, 0);
        List<String> names = new ArrayList<>();
        for (MethodNode m : generated.methods) {
            for (AbstractInsnNode in : m.instructions) {
                if (in instanceof MethodInsnNode call && call.owner.endsWith("runtime/" + helper) && call.name.equals(method)) {
                    names.add(m.name);
                }
            }
        }
        return names;
    }

    /** The result or trap of a call with plenty of fuel, and the fuel left after it. */
    static String outcome(Instance inst, Result result, String name, Object... args) {
        inst.setFuel(1L << 40);
        String r;
        try {
            r = "= " + result.of(inst, name, args);
        } catch (Trap t) {
            r = t.kind() + " ";
        }
        return r + " fuel left " + inst.fuelRemaining();
    }

    static void assertTrap(TrapKind kind, Call f) {
        Trap t = assertThrows(Trap.class, f::run);
        assertEquals(kind, t.kind());
    }

    /**
     * Each of {@code calls} ({name, args...}) as written and apart: the same result and fuel with
     * enough, and with every budget from some iterations short to enough the same outcome and fuel left.
     */
    static void assertFuelRunsOutAtTheSameIteration(Instance inst, Result result, Object[][] calls) {
        for (Object[] c : calls) {
            String name = (String) c[0];
            Object[] args = Arrays.copyOfRange(c, 1, c.length);
            inst.setFuel(1_000_000);
            Object want = result.of(inst, name + "_apart", args);
            long need = 1_000_000 - inst.fuelRemaining();
            inst.setFuel(1_000_000);
            assertEquals(want, result.of(inst, name, args));
            assertEquals(need, 1_000_000 - inst.fuelRemaining(), name);
            for (long fuel = need - 400; fuel <= need + 3; fuel++) {
                for (String variant : new String[] {name, name + "_apart"}) {
                    inst.setFuel(fuel);
                    if (fuel < need) {
                        assertTrap(TrapKind.OUT_OF_FUEL, () -> result.of(inst, variant, args));
                    } else {
                        assertEquals(want, result.of(inst, variant, args));
                        assertEquals(fuel - need, inst.fuelRemaining());
                    }
                }
            }
        }
    }

    /** {@code inst}'s export {@code spin}, which loops forever, ends by a 200 ms timeout, not before 150 ms. */
    static void assertDeadlineStopsSpin(Instance inst) {
        long start = System.nanoTime();
        inst.setTimeout(Duration.ofMillis(200));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertTrap(TrapKind.TIMEOUT, () -> inst.function("spin").call()));
        assertTrue(System.nanoTime() - start >= 150_000_000L);
    }
}
