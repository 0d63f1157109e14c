package io.wasmudf.engine.internal.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Wat;
import io.wasmudf.engine.internal.decode.ModuleDecoder;
import io.wasmudf.engine.internal.model.WasmModule;
import io.wasmudf.engine.internal.validate.Validator;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * An interpreter loop cut into methods (see {@link SwitchNests} and the exit codes of
 * {@link Region}): a C-style switch of {@link #ARMS} arms in a loop, arms that continue the loop,
 * leave it, return from the function or fall through into the next arm, compiled whole and cut
 * at several method size limits, must compute the same; and the switch's {@code br_table} stays
 * in a method that holds its block nest, not in a straight-line chunk that hands every dispatch
 * back to its caller as an exit code.
 */
class SwitchDispatchTest {
    private static final int ARMS = 24;

    /**
     * {@code run(n)}: for pc in 0..n-1, op = (pc * 7) mod (ARMS + 2), arm op mixes acc with
     * memory; op ARMS + 1 (the default) and arm 5 when acc is odd fall through, arm 11 leaves the
     * loop once acc passes 5,000,000, arm 17 returns from the function when pc passes 200.
     */
    static String wat() {
        StringBuilder s = new StringBuilder();
        s.append("(module (memory 1) (func (export \"run\") (param $n i32) (result i32)\n");
        s.append(" (local $acc i32) (local $pc i32) (local $op i32)\n");
        s.append(" (block $out (loop $next\n");
        s.append("  (local.set $op (i32.rem_u (i32.mul (local.get $pc) (i32.const 7)) (i32.const ").append(ARMS + 2).append(")))\n");
        s.append("  (block $cont\n");
        for (int k = ARMS - 1; k >= 0; k--) {
            s.append("  (block $a").append(k).append('\n');
        }
        s.append("   (br_table");
        for (int k = 0; k < ARMS; k++) {
            s.append(" $a").append(k);
        }
        s.append(" $cont $a0 (local.get $op)))\n"); // ARMS -> $cont, anything else -> arm 0
        for (int k = 0; k < ARMS; k++) {
            // arm k: after block $a{k}'s end
            s.append("   (i32.store (i32.and (i32.mul (local.get $pc) (i32.const 4)) (i32.const 1020))\n");
            s.append("     (i32.add (local.get $acc) (i32.const ").append(k * 13 + 1).append(")))\n");
            s.append("   (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 3))\n");
            s.append("     (i32.add (i32.load (i32.and (i32.mul (local.get $op) (i32.const 8)) (i32.const 1020))) (i32.const ")
                    .append(k).append("))))\n");
            s.append("   (local.set $acc (i32.and (local.get $acc) (i32.const 16777215)))\n");
            if (k == 5) {
                s.append("   (br_if ").append(k + 1 < ARMS ? "$a" + (k + 1) : "$cont")
                        .append(" (i32.eqz (i32.and (local.get $acc) (i32.const 1))))\n");
                s.append("   (local.set $acc (i32.add (local.get $acc) (i32.const 77)))\n"); // then falls into arm 6
            } else if (k == 11) {
                s.append("   (br_if $out (i32.gt_u (local.get $acc) (i32.const 5000000)))\n");
                s.append("   (br $cont)\n");
            } else if (k == 17) {
                s.append("   (if (i32.gt_u (local.get $pc) (i32.const 200)) (then (return (i32.sub (i32.const 0) (local.get $acc)))))\n");
                s.append("   (br $cont)\n");
            } else if (k < ARMS - 1) {
                s.append("   (br $cont)\n");
            }
            s.append(k < ARMS - 1 ? "  )\n" : "  )\n");
        }
        s.append("  (local.set $pc (i32.add (local.get $pc) (i32.const 1)))\n");
        s.append("  (br_if $next (i32.lt_u (local.get $pc) (local.get $n)))))\n");
        s.append(" (local.get $acc)))\n");
        return s.toString();
    }

    @Test
    void everyLimitComputesWhatTheWholeFunctionDoes() throws Throwable {
        byte[] bytes = Wat.toBinary(wat());
        io.wasmudf.engine.CompiledModule whole = Engine.builder().methodSizeLimit(Integer.MAX_VALUE).build().compile(bytes);
        for (int limit : new int[] {Engine.DEFAULT_METHOD_SIZE_LIMIT, 1500, 600, 300, 0}) {
            io.wasmudf.engine.CompiledModule cut = Engine.builder().methodSizeLimit(limit).build().compile(bytes);
            for (int n : new int[] {0, 1, 7, 26, 60, 150, 199, 400, 5000}) {
                // fresh instances: the function leaves values in memory that the next call reads
                MethodHandle w = whole.instantiate().function("run").handle();
                MethodHandle c = cut.instantiate().function("run").handle();
                assertEquals((int) w.invokeExact(n), (int) c.invokeExact(n), "limit " + limit + ", run(" + n + ")");
            }
        }
    }

    @Test
    void theSwitchStaysWithItsBlockNest() {
        WasmModule module = ModuleDecoder.decode(Wat.toBinary(wat()));
        Validator.validate(module);
        for (int limit : new int[] {1500, 600}) {
            ModuleCompiler.Output out = ModuleCompiler.compile(module, ModuleCompiler.Checks.NONE, limit);
            List<byte[]> classes = new ArrayList<>();
            classes.add(out.bytes());
            out.parts().forEach(p -> classes.add(p.bytes()));
            List<String> owners = new ArrayList<>();
            int methods = 0;
            for (byte[] c : classes) {
                methods += switchOwners(c, owners);
            }
            assertTrue(methods > 2, "limit " + limit + ": the function is cut into methods (" + methods + ")");
            assertEquals(1, owners.size(), "limit " + limit + ": one method holds the " + ARMS + "-way switch: " + owners);
            assertFalse(owners.get(0).startsWith("c"), "limit " + limit + ": the switch is in a chunk: " + owners);
        }
    }

    /** Adds the methods of {@code classFile} holding the switch's tableswitch; returns its method count. */
    private static int switchOwners(byte[] classFile, List<String> owners) {
        int[] count = {0};
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                count[0]++;
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
                        if (min == 0 && max == ARMS) { // the br_table's (exit-code switches start at 1)
                            owners.add(name);
                        }
                    }
                };
            }
        }, 0);
        return count[0];
    }
}
