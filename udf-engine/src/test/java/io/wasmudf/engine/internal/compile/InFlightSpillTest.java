package io.wasmudf.engine.internal.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Instance;
import io.wasmudf.engine.Trap;
import io.wasmudf.engine.Wat;
import io.wasmudf.engine.internal.decode.ModuleDecoder;
import io.wasmudf.engine.internal.model.WasmModule;
import io.wasmudf.engine.internal.validate.Validator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Values in flight below a loop ({@link InFlightSpill}): i32, i64 and f64 values under a loop, a
 * block holding a loop, nested loops each with values under them, a loop whose branch leaves it
 * (not spilled) and a trap after one compute what V8 computes, whole and cut into methods; and
 * where spilled, no loop header of the generated code has a value on the JVM operand stack
 * (HotSpot compiles no on-stack-replacement entry at such a header).
 */
class InFlightSpillTest {
    static final String WAT = """
            (module
             (func (export "sum_under") (param $n i32) (result i32) (local $i i32) (local $s i32)
              local.get $n
              i32.const 7
              block $out
               loop $l
                local.get $i local.get $n i32.ge_s br_if $out
                local.get $s local.get $i i32.add local.set $s
                local.get $i i32.const 1 i32.add local.set $i
                br $l
               end
              end
              i32.mul
              local.get $s
              i32.add)
             (func (export "mixed") (param $n i32) (result i32) (local $i i32)
              i64.const 0x100000000
              f64.const 2.5
              local.get $n
              loop $l (result i32)
               local.get $i i32.const 1 i32.add local.tee $i
               local.get $n i32.lt_s br_if $l
               local.get $i i32.const 3 i32.mul
              end
              i32.add
              f64.convert_i32_s f64.mul
              i64.trunc_f64_s i64.add
              i64.const 1000003 i64.rem_u i32.wrap_i64)
             (func (export "escape") (param $n i32) (result i32) (local $i i32)
              block $b (result i32)
               i32.const 5
               loop $l
                local.get $i i32.const 1 i32.add local.tee $i
                local.get $n i32.ge_s
                if
                 i32.const 99 local.get $i i32.add br $b
                end
                br $l
               end
               unreachable
              end
              i32.const 2 i32.mul)
             (func (export "nested") (param $n i32) (result i32) (local $i i32) (local $j i32)
              i32.const 11
              block (result i32)
               i32.const 13
               loop $o (result i32)
                i32.const 17
                loop $in
                 local.get $j i32.const 1 i32.add local.tee $j
                 i32.const 3 i32.lt_u br_if $in
                end
                i32.const 0 local.set $j
                local.get $i i32.const 1 i32.add local.tee $i
                i32.add
                local.get $i local.get $n i32.lt_s br_if $o
               end
               i32.mul
              end
              i32.add)
             (func (export "divide") (param $n i32) (result i32) (local $i i32)
              i32.const 100
              loop $l
               local.get $i i32.const 1 i32.add local.tee $i
               i32.const 10 i32.lt_u br_if $l
              end
              local.get $n
              i32.div_s)
            )
            """;

    private static final String[] CALLS = {
        "sum_under 0", "sum_under 1", "sum_under 10", "sum_under -3", "mixed 1", "mixed 50", "mixed 1000",
        "escape 1", "escape 3", "nested 1", "nested 4", "nested 30", "divide 0", "divide 7", "divide -3",
    };

    @Test
    void resultsAndTrapsAreV8s() throws Exception {
        assumeTrue(LoopsV8.nodeOnPath(), "node is not installed");
        byte[] wasm = Wat.toBinary(WAT);
        String[] expected = LoopsV8.run(wasm, List.of(CALLS));
        for (int limit : new int[] {Integer.MAX_VALUE, Engine.DEFAULT_METHOD_SIZE_LIMIT, 60, 0}) {
            Instance inst = Engine.builder().methodSizeLimit(limit).build().compile(wasm).instantiate();
            for (int i = 0; i < CALLS.length; i++) {
                String[] parts = CALLS[i].split(" ");
                String ours;
                try {
                    ours = "= " + inst.function(parts[0]).call(Integer.parseInt(parts[1]))[0];
                } catch (Trap t) {
                    ours = "trap";
                }
                assertEquals(expected[i], ours, "limit " + limit + ": " + CALLS[i]);
            }
        }
    }

    @Test
    void spilledLoopHeadersHaveAnEmptyOperandStack() {
        WasmModule module = ModuleDecoder.decode(Wat.toBinary(WAT));
        Validator.validate(module);
        ModuleCompiler.Output out = ModuleCompiler.compile(module, ModuleCompiler.Checks.NONE, Integer.MAX_VALUE);
        List<byte[]> classes = new ArrayList<>();
        classes.add(out.bytes());
        out.parts().forEach(p -> classes.add(p.bytes()));
        Map<String, Integer> deepest = new HashMap<>(); // method -> the most values on the stack at a loop header
        for (byte[] c : classes) {
            headers(c, deepest);
        }
        // f0 sum_under, f1 mixed, f3 nested, f4 divide: spilled; f2 escape: a branch leaves its loop
        for (String f : new String[] {"f0", "f1", "f3", "f4"}) {
            assertEquals(0, deepest.get(f), f + ": " + deepest);
        }
        assertTrue(deepest.get("f2") > 0, "escape's loop keeps its value (not spilled): " + deepest);
    }

    /** Records, per method, the largest operand stack of a frame at a backward jump's target. */
    private static void headers(byte[] classFile, Map<String, Integer> deepest) {
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                Map<Label, Integer> stackAt = new HashMap<>();
                return new MethodVisitor(Opcodes.ASM9) {
                    private final List<Label> pending = new ArrayList<>();

                    @Override
                    public void visitLabel(Label label) {
                        pending.add(label);
                    }

                    @Override
                    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
                        for (Label l : pending) {
                            stackAt.put(l, numStack);
                        }
                        pending.clear();
                    }

                    @Override
                    public void visitInsn(int opcode) {
                        pending.clear();
                    }

                    @Override
                    public void visitJumpInsn(int opcode, Label label) {
                        Integer n = stackAt.get(label); // seen already: a backward jump, to a loop header
                        if (n != null) {
                            deepest.merge(name, n, Math::max);
                        }
                    }
                };
            }
        }, ClassReader.EXPAND_FRAMES);
    }
}
