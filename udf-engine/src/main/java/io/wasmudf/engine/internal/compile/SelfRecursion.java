package io.wasmudf.engine.internal.compile;

import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.GETFIELD;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.ISTORE;
import static org.objectweb.asm.Opcodes.PUTFIELD;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * The call-depth budget of a directly self-recursive function, kept in a parameter instead of
 * the instance's {@code stackBudget} field (issue 21 item 5). Such a function's body becomes a
 * private method {@code f<i>$d(params…, self, int budget)}: its entry check compares and
 * decrements the parameter, its self-calls pass the decremented value down, and it writes the
 * field only before a call that reads it (any other call, {@code call_indirect}, an import), so
 * recursion like {@code fib} does its accounting in registers where the field form loaded and
 * stored the field on every entry and stored it again on every return. The public method
 * {@code f<i>} is a wrapper that passes the field in and puts it back on return, which is what
 * the field form did; the units charged per activation are the same, so the depth limit is the
 * same. Functions cut into several methods keep the field form (their regions make calls too).
 */
final class SelfRecursion {
    private SelfRecursion() {}

    /** Whether function {@code funcIndex}, with these facts, keeps its budget in a parameter. */
    static boolean applies(ModuleLayout layout, BodyFacts facts, int codeSize, int funcIndex) {
        return layout.checks.callDepth() && facts.selfCalls && !facts.leaf
                && facts.sums[codeSize - 1] - facts.sums[0] <= facts.limit // not cut: see Outliner.plan
                && argumentSlots(layout.functionDescs[funcIndex]) < 255; // room for the budget (JVM limit 255)
    }

    private static int argumentSlots(String desc) {
        int slots = 0;
        for (Type t : Type.getArgumentTypes(desc)) {
            slots += t.getSize();
        }
        return slots;
    }

    /** The body's method name. */
    static String bodyName(String name) {
        return name + "$d";
    }

    /** The body's descriptor: the function's with the budget appended. */
    static String bodyDesc(String desc) {
        int close = desc.indexOf(')');
        return desc.substring(0, close) + "I" + desc.substring(close);
    }

    /** Emits the public method of function {@code index}: budget from the field, the body, the field restored. */
    static void emitWrapper(MethodVisitor mv, ModuleLayout layout, String owner, int index) {
        String desc = layout.functionDescs[index];
        Type[] args = Type.getArgumentTypes(desc); // the function's parameters, then self
        mv.visitCode();
        int slot = 0;
        for (Type t : args) {
            slot += t.getSize();
        }
        int self = slot - 1;
        int budget = slot;
        mv.visitVarInsn(ALOAD, self);
        mv.visitFieldInsn(GETFIELD, ModuleLayout.BASE, "stackBudget", "I");
        mv.visitVarInsn(ISTORE, budget);
        slot = 0;
        for (Type t : args) {
            mv.visitVarInsn(t.getOpcode(ILOAD), slot);
            slot += t.getSize();
        }
        mv.visitVarInsn(ILOAD, budget);
        mv.visitMethodInsn(INVOKESTATIC, owner, bodyName(layout.functionNames[index]), bodyDesc(desc), false);
        // the body wrote lower values before its calls; the caller expects the value it saw
        mv.visitVarInsn(ALOAD, self);
        mv.visitVarInsn(ILOAD, budget);
        mv.visitFieldInsn(PUTFIELD, ModuleLayout.BASE, "stackBudget", "I");
        mv.visitInsn(Type.getReturnType(desc).getOpcode(org.objectweb.asm.Opcodes.IRETURN));
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }
}
