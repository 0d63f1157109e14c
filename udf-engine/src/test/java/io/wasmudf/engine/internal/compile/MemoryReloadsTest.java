package io.wasmudf.engine.internal.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.CompiledModule;
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
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The methods of a cut function re-read the cached memory buffer after calls only when they have
 * loads or stores of their own ({@link MemoryReloads}): an interpreter loop whose arms grow the
 * memory and whose other arms and skeleton then access the new last page computes the same whole
 * and cut at many limits (a stale buffer or bound would trap); and once cut, a method without
 * accesses of its own reads the buffer at entry alone, and the skeleton that only dispatches is one.
 */
class MemoryReloadsTest {
    private static final int ARMS = 20;

    /** {@code run(n)}: n steps; step i takes arm i mod ARMS; arm 0 grows memory, the others and the loop use its last page. */
    static String wat() {
        StringBuilder s = new StringBuilder();
        s.append("(module (memory 1 8)\n");
        s.append(" (func $grow (result i32) (memory.grow (i32.const 1)))\n");
        s.append(" (func $mix (param i32) (result i32) (i32.xor (i32.mul (local.get 0) (i32.const 31)) (i32.const 7)))\n");
        s.append(" (func (export \"run\") (param $n i32) (result i32) (local $i i32) (local $acc i32) (local $p i32)\n");
        s.append("  (local.set $p (i32.const 65536))\n");
        s.append("  (block $out (loop $next\n");
        s.append("   (br_if $out (i32.ge_u (local.get $i) (local.get $n)))\n");
        s.append("   (block $cont\n");
        for (int k = ARMS - 1; k >= 0; k--) {
            s.append("   (block $a").append(k).append('\n');
        }
        s.append("    (br_table");
        for (int k = 0; k < ARMS; k++) {
            s.append(" $a").append(k);
        }
        s.append(" $a0 (i32.rem_u (local.get $i) (i32.const ").append(ARMS).append(")))\n");
        for (int k = 0; k < ARMS; k++) {
            s.append("    )\n");
            if (k == 0) {
                s.append("    (if (i32.ge_s (call $grow) (i32.const 0)) (then (local.set $p (i32.mul (memory.size) (i32.const 65536)))))\n");
            } else {
                for (int j = 0; j < 3; j++) {
                    s.append("    (i32.store (i32.sub (local.get $p) (i32.const ").append(8 + 4 * ((k + j) % 50)).append("))\n");
                    s.append("     (i32.add (call $mix (local.get $acc)) (i32.load (i32.sub (local.get $p) (i32.const ")
                            .append(8 + 4 * ((k * 7 + j) % 50)).append(")))))\n");
                }
                s.append("    (local.set $acc (i32.add (local.get $acc) (i32.load (i32.sub (local.get $p) (i32.const ")
                        .append(8 + 4 * (k % 50)).append(")))))\n");
            }
            s.append("    (br $cont)\n");
        }
        s.append("   )\n");
        // the loop's own access to the last page, right after an arm may have grown the memory
        s.append("   (i32.store (i32.sub (local.get $p) (i32.const 4)) (i32.add (local.get $acc) (local.get $i)))\n");
        s.append("   (local.set $i (i32.add (local.get $i) (i32.const 1)))\n");
        s.append("   (br $next)))\n");
        s.append("  (i32.add (local.get $acc) (i32.load (i32.sub (local.get $p) (i32.const 4))))))\n");
        return s.toString();
    }

    private static final int[] LIMITS = {Engine.DEFAULT_METHOD_SIZE_LIMIT, 3000, 1500, 1000, 600, 400, 300, 200, 100, 0};

    @Test
    void everyLimitSeesTheGrownMemory() throws Throwable {
        byte[] bytes = Wat.toBinary(wat());
        CompiledModule whole = Engine.builder().methodSizeLimit(Integer.MAX_VALUE).build().compile(bytes);
        for (int limit : LIMITS) {
            CompiledModule cut = Engine.builder().methodSizeLimit(limit).build().compile(bytes);
            for (int n : new int[] {0, 1, 2, 21, 41, 150}) {
                MethodHandle w = whole.instantiate().function("run").handle();
                MethodHandle c = cut.instantiate().function("run").handle();
                int expected = (int) w.invokeExact(n);
                assertEquals(expected, (int) c.invokeExact(n), "limit " + limit + ", run(" + n + ")");
            }
        }
    }

    @Test
    void methodsReadTheBufferOnlyWhereTheyUseIt() {
        WasmModule module = ModuleDecoder.decode(Wat.toBinary(wat()));
        Validator.validate(module);
        boolean dispatcherWithoutReloads = false;
        for (int limit : LIMITS) {
            ModuleCompiler.Output out = ModuleCompiler.compile(module, ModuleCompiler.Checks.NONE, limit);
            List<byte[]> classes = new ArrayList<>();
            classes.add(out.bytes());
            out.parts().forEach(p -> classes.add(p.bytes()));
            List<int[]> methods = new ArrayList<>(); // {buffer reads, accesses, calls}
            for (byte[] c : classes) {
                count(c, methods);
            }
            assertTrue(methods.size() > 1, "limit " + limit + ": the function is cut");
            for (int[] m : methods) {
                assertTrue(m[0] <= 1 + (m[1] == 0 ? 0 : m[2]), "limit " + limit + ": buffer reads " + m[0]
                        + ", accesses " + m[1] + ", calls " + m[2]);
                dispatcherWithoutReloads |= m[0] == 1 && m[1] == 0 && m[2] >= ARMS / 2;
            }
        }
        assertTrue(dispatcherWithoutReloads, "a skeleton of calls alone reads the buffer at entry only");
    }

    /** Adds, for each method of function 2 ({@code f2} and its regions), its reads of the buffer, its memory accesses and its calls. */
    private static void count(byte[] classFile, List<int[]> methods) {
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                if (!name.matches("f2|[rc]2_.*")) {
                    return null;
                }
                int[] m = new int[3];
                methods.add(m);
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String n, String d, boolean itf) {
                        if (n.equals("buffer") && owner.endsWith("/Memory")) {
                            m[0]++;
                        } else if (n.equals("checkIndex") || owner.endsWith("/Mem") && n.matches("i(32|64)(Load|Store).*")) {
                            m[1]++;
                        } else if (opcode == Opcodes.INVOKESTATIC && n.matches("f\\d+|[rc]\\d+_.*")) {
                            m[2]++;
                        }
                    }
                };
            }
        }, 0);
    }
}
