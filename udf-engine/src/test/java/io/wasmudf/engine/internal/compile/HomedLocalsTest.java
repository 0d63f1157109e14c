package io.wasmudf.engine.internal.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The methods of a switch nest keep their locals in the frame arrays ({@link HomedLocals}): an
 * interpreter loop over locals of every numeric type and a reference, with parameters of each
 * type, computes the same whole and cut at several limits (the parameters and the reference's
 * null must reach the arrays at entry); and once cut, the methods holding the switch take no
 * local as an argument, nor do the arms they call.
 */
class HomedLocalsTest {
    private static final int ARMS = 20;

    /** {@code run(n, x, y, z)}: a loop of n steps, step i takes arm (i * 5) mod ARMS, which mixes the locals. */
    static String wat() {
        StringBuilder s = new StringBuilder();
        s.append("(module (memory 1) (func (export \"run\") (param $n i32) (param $x i64) (param $y f32) (param $z f64) (result i64)\n");
        s.append(" (local $i i32) (local $acc i64) (local $f f32) (local $d f64) (local $r funcref)\n");
        s.append(" (local.set $f (local.get $y)) (local.set $d (local.get $z))\n");
        s.append(" (block $out (loop $next\n");
        s.append("  (br_if $out (i32.ge_u (local.get $i) (local.get $n)))\n");
        s.append("  (block $cont\n");
        for (int k = ARMS - 1; k >= 0; k--) {
            s.append("  (block $a").append(k).append('\n');
        }
        s.append("   (br_table");
        for (int k = 0; k < ARMS; k++) {
            s.append(" $a").append(k);
        }
        s.append(" $a0 (i32.rem_u (i32.mul (local.get $i) (i32.const 5)) (i32.const ").append(ARMS).append(")))\n");
        for (int k = 0; k < ARMS; k++) {
            s.append("   )\n");
            s.append("   (i64.store (i32.and (i32.mul (local.get $i) (i32.const 8)) (i32.const 1016)) (local.get $acc))\n");
            switch (k % 4) {
                case 0 -> s.append("   (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 31)) (i64.add (local.get $x) (i64.const ")
                        .append(k).append("))))\n");
                case 1 -> s.append("   (local.set $f (f32.add (f32.mul (local.get $f) (f32.const 0.5)) (f32.const ").append(k).append(")))\n");
                case 2 -> s.append("   (local.set $d (f64.add (f64.mul (local.get $d) (f64.const 0.75)) (f64.convert_i64_s (local.get $acc))))\n");
                default -> s.append("   (local.set $acc (i64.xor (local.get $acc) (i64.trunc_sat_f64_s (local.get $d))))\n");
            }
            s.append("   (local.set $acc (i64.add (local.get $acc) (i64.load (i32.and (i32.mul (local.get $i) (i32.const 24)) (i32.const 1016)))))\n");
            s.append("   (br $cont)\n");
        }
        s.append("  )\n");
        s.append("  (local.set $i (i32.add (local.get $i) (i32.const 1)))\n");
        s.append("  (br $next)))\n");
        s.append(" (i64.add (i64.add (local.get $acc) (i64.extend_i32_u (ref.is_null (local.get $r))))\n");
        s.append("  (i64.add (i64.trunc_sat_f32_s (local.get $f)) (i64.trunc_sat_f64_s (local.get $d))))))\n");
        return s.toString();
    }

    @Test
    void everyLimitComputesWhatTheWholeFunctionDoes() throws Throwable {
        byte[] bytes = Wat.toBinary(wat());
        io.wasmudf.engine.CompiledModule whole = Engine.builder().methodSizeLimit(Integer.MAX_VALUE).build().compile(bytes);
        for (int limit : new int[] {Engine.DEFAULT_METHOD_SIZE_LIMIT, 1500, 600, 300, 0}) {
            io.wasmudf.engine.CompiledModule cut = Engine.builder().methodSizeLimit(limit).build().compile(bytes);
            for (int n : new int[] {0, 1, 7, 20, 61, 400}) {
                MethodHandle w = whole.instantiate().function("run").handle();
                MethodHandle c = cut.instantiate().function("run").handle();
                long expected = (long) w.invokeExact(n, 3L, 1.25f, -2.5);
                assertEquals(expected, (long) c.invokeExact(n, 3L, 1.25f, -2.5), "limit " + limit + ", run(" + n + ")");
            }
        }
    }

    @Test
    void theSwitchMethodsTakeNoLocalsAsArguments() {
        WasmModule module = ModuleDecoder.decode(Wat.toBinary(wat()));
        Validator.validate(module);
        for (int limit : new int[] {600, 300}) { // (at 1,500 the nest fits the function's method: nothing to home)
            ModuleCompiler.Output out = ModuleCompiler.compile(module, ModuleCompiler.Checks.NONE, limit);
            List<byte[]> classes = new ArrayList<>();
            classes.add(out.bytes());
            out.parts().forEach(p -> classes.add(p.bytes()));
            List<String> switchMethods = new ArrayList<>();
            List<String> regions = new ArrayList<>();
            for (byte[] c : classes) {
                scan(c, switchMethods, regions);
            }
            assertEquals(1, switchMethods.size(), "limit " + limit + ": " + switchMethods);
            String desc = switchMethods.get(0);
            assertTrue(desc.startsWith("r") && desc.contains("([J[Ljava/lang/Object;"),
                    "limit " + limit + ": the switch's method is a homed region: " + desc);
            // the arms it calls load their locals themselves: chunks without local arguments
            assertTrue(regions.stream().anyMatch(r -> r.startsWith("c") && r.contains("([J[Ljava/lang/Object;")),
                    "limit " + limit + ": no arm loads its locals: " + regions);
        }
    }

    /** Adds the methods of {@code classFile} holding the switch (name + descriptor), and every region method. */
    private static void scan(byte[] classFile, List<String> switchMethods, List<String> regions) {
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                if (name.matches("[rc]\\d+_.*")) {
                    regions.add(name + descriptor);
                }
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
                        if (min == 0 && max == ARMS - 1) {
                            switchMethods.add(name + descriptor);
                        }
                    }
                };
            }
        }, 0);
    }
}
