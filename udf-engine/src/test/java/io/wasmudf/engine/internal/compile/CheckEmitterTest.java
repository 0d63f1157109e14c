package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.END;
import static io.wasmudf.engine.internal.model.Opcodes.LOOP;
import static io.wasmudf.engine.internal.model.Opcodes.NOP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.internal.decode.ModuleDecoder;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.WasmModule;
import io.wasmudf.engine.internal.validate.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The resource checks compiled by {@link CheckEmitter}: fuel segments and absence when off (that
 * checked code verifies is {@link GeneratedBytecodeTest}'s second mode).
 */
class CheckEmitterTest {
    /** The check methods, and the budget field that depth checks update inline. */
    private static final Set<String> CHECK_METHODS = Set.of("checkInterrupt", "consumeFuel", "enterFrame", "leaveFrame",
            "stackBudget");
    private static final ModuleCompiler.Checks ALL = new ModuleCompiler.Checks(true, true, true);

    private static Instruction loop(int end) {
        return new Instruction(LOOP, Instruction.BLOCK_EMPTY, 0, end, null);
    }

    private static Instruction op(int opcode) {
        return new Instruction(opcode, 0, 0, 0, null);
    }

    @Test
    void eachInstructionIsChargedToItsInnermostLoop() {
        List<Instruction> code = List.of(
                loop(6), // 0: charged to the function entry
                op(NOP), // 1: outer loop
                loop(4), // 2: outer loop
                op(NOP), // 3: inner loop
                op(END), // 4: inner loop
                op(NOP), // 5: outer loop
                op(END), // 6: outer loop
                op(END)); // 7: function
        int[] loops = new int[code.size()];
        assertEquals(2, CheckEmitter.segmentCosts(code, loops));
        assertArrayEquals(new int[] {4, 0, 2, 0, 0, 0, 0, 0}, loops);
    }

    @Test
    void onlyFunctionsWithACallOutsideEveryLoopCheckForInterruptsAtEntry() {
        Instruction call = new Instruction(io.wasmudf.engine.internal.model.Opcodes.CALL, 0, 0, 0, null);
        Instruction callIndirect = new Instruction(io.wasmudf.engine.internal.model.Opcodes.CALL_INDIRECT, 0, 0, 0, null);
        assertTrue(CheckEmitter.callsOnlyInLoops(List.of(loop(2), call, op(END), op(END))));
        assertTrue(CheckEmitter.callsOnlyInLoops(List.of(loop(4), loop(3), callIndirect, op(END), op(END), op(NOP), op(END))));
        assertTrue(!CheckEmitter.callsOnlyInLoops(List.of(loop(1), op(END), call, op(END))), "call after the loop");
        assertTrue(!CheckEmitter.callsOnlyInLoops(List.of(callIndirect, loop(3), call, op(END), op(END))), "call before the loop");
    }

    @Test
    void noChecksAreCompiledUnlessAskedFor() throws IOException {
        WasmModule module = limitsModule();
        assertEquals(Set.of(), checkCalls(ModuleCompiler.compile(module, ModuleCompiler.Checks.NONE).bytes()));
        assertEquals(Set.of("checkInterrupt"), checkCalls(ModuleCompiler.compile(module, true).bytes()));
        assertEquals(Set.of("consumeFuel"), checkCalls(ModuleCompiler.compile(module,
                new ModuleCompiler.Checks(false, true, false)).bytes()));
        assertEquals(CHECK_METHODS, checkCalls(ModuleCompiler.compile(module, ALL).bytes()));
    }

    /**
     * limits.wat's {@code deep} (function 3; 0 is the import) calls itself directly: its body keeps the depth
     * budget in a parameter and never touches the field, which its public wrapper reads once and
     * puts back (see SelfRecursion); {@code deep_indirect} recurses through the table and keeps
     * the field form.
     */
    @Test
    void directSelfRecursionKeepsItsDepthBudgetInAParameter() throws IOException {
        byte[] classBytes = ModuleCompiler.compile(limitsModule(), new ModuleCompiler.Checks(false, false, true)).bytes();
        java.util.Map<String, List<String>> budgetAccesses = new java.util.HashMap<>();
        java.util.Map<String, String> descs = new java.util.HashMap<>();
        new ClassReader(classBytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exceptions) {
                List<String> list = new java.util.ArrayList<>();
                budgetAccesses.put(name, list);
                descs.put(name, desc);
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitFieldInsn(int opcode, String owner, String field, String d) {
                        if (field.equals("stackBudget")) {
                            list.add(opcode == Opcodes.GETFIELD ? "get" : "put");
                        }
                    }
                };
            }
        }, 0);
        assertEquals(List.of(), budgetAccesses.get("f3$d"), "the body of deep; methods: " + budgetAccesses.keySet());
        assertTrue(descs.get("f3$d").endsWith("I)I"), descs.get("f3$d"));
        assertEquals(List.of("get", "put"), budgetAccesses.get("f3"), "deep's wrapper");
        assertTrue(budgetAccesses.get("f4").containsAll(List.of("get", "put")), "deep_indirect: " + budgetAccesses.get("f4"));
        assertTrue(!budgetAccesses.containsKey("f4$d"), "no parameter form for recursion through a table");
    }

    private static WasmModule limitsModule() throws IOException {
        try (InputStream in = CheckEmitterTest.class.getResourceAsStream("/limits/limits.wasm")) {
            WasmModule m = ModuleDecoder.decode(in.readAllBytes());
            Validator.validate(m);
            return m;
        }
    }

    /** Names of the check methods the class calls and check fields it touches. */
    private static Set<String> checkCalls(byte[] classBytes) {
        Set<String> found = new HashSet<>();
        new ClassReader(classBytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String method, String d, boolean itf) {
                        if (CHECK_METHODS.contains(method)) {
                            found.add(method);
                        }
                    }

                    @Override
                    public void visitFieldInsn(int opcode, String owner, String field, String d) {
                        if (CHECK_METHODS.contains(field)) {
                            found.add(field);
                        }
                    }
                };
            }
        }, 0);
        return found;
    }
}
