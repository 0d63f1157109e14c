package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.CALL;
import static io.wasmudf.engine.internal.model.Opcodes.CALL_INDIRECT;
import static io.wasmudf.engine.internal.model.Opcodes.LOOP;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ATHROW;
import static org.objectweb.asm.Opcodes.BIPUSH;
import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.GETFIELD;
import static org.objectweb.asm.Opcodes.ICONST_0;
import static org.objectweb.asm.Opcodes.IF_ICMPGE;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.INVOKEVIRTUAL;
import static org.objectweb.asm.Opcodes.ISTORE;
import static org.objectweb.asm.Opcodes.ISUB;
import static org.objectweb.asm.Opcodes.PUTFIELD;
import static org.objectweb.asm.Opcodes.SIPUSH;

import io.wasmudf.engine.internal.model.Instruction;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Emits the resource checks of one function: at its entry, at each loop header, and before each
 * return. Emits nothing when the engine compiles no checks, so unchecked code is unchanged.
 *
 * <p>Fuel unit: each Wasm instruction is charged once per entry of its innermost enclosing loop
 * (or of its function, outside loops), whether or not a branch skips it. So a function entry costs
 * its instruction count outside loops, and a loop iteration its instruction count outside nested
 * loops. Charging whole segments up front keeps the cost to one field update per back-edge and makes
 * the stopping point a pure function of the code and the fuel given.
 */
final class CheckEmitter {
    private static final String BASE = ModuleLayout.BASE;
    private static final String OPS = "io/wasmudf/engine/internal/runtime/Ops";
    private static final String SCAN_LOOP = "io/wasmudf/engine/internal/runtime/SimdScanLoop";

    private final ModuleCompiler.Checks checks;
    private final MethodVisitor mv;
    private final int selfSlot;
    private final int frameCost;
    private final int budgetSlot;
    /**
     * Whether {@link #budgetSlot} is a parameter holding the budget left for this activation
     * (see {@link SelfRecursion}) rather than a local holding the field's value at entry.
     */
    private final boolean budgetParam;
    /** Writes the stack map frame at the label after the entry's call-depth check. */
    private final Consumer<Label> entryFrame;
    /**
     * A function that makes no calls adds one frame to the stack and, outside its loops, runs in
     * time bounded by its length; so it needs neither the interrupt check at its entry nor the
     * call-stack accounting (its loop headers still check). This keeps tiny leaf functions, the
     * per-row case, as cheap as unchecked ones.
     */
    private final boolean leaf;
    /** Whether the entry checks for an interrupt (see {@link #callsOnlyInLoops}). */
    private final boolean entryPoll;
    /** Fuel charged at the function entry ... */
    private final int entryFuel;
    /** ... and at each loop header, by the loop instruction's index. */
    private final int[] loopFuel;

    /**
     * @param jvmSlots   number of JVM local slots of the function (parameters, instance, locals); a
     *                   frame costs one unit of call-stack budget plus one per 16 slots, so functions
     *                   with huge frames cannot reach the depth limit only after a StackOverflowError
     * @param budgetSlot an int local holding the call-stack budget seen at entry (to put back on
     *                   return with a single store), or -1 without depth checks or in outlined regions
     */
    CheckEmitter(ModuleCompiler.Checks checks, MethodVisitor mv, int selfSlot, int jvmSlots, int budgetSlot, boolean budgetParam,
                 List<Instruction> code, boolean leaf, Consumer<Label> entryFrame) {
        this.checks = checks;
        this.budgetParam = budgetParam;
        this.entryFrame = entryFrame;
        this.mv = mv;
        this.selfSlot = selfSlot;
        this.budgetSlot = budgetSlot;
        this.frameCost = 1 + jvmSlots / 16;
        this.leaf = leaf;
        this.entryPoll = checks.interrupt() && !leaf && !callsOnlyInLoops(code);
        if (checks.fuel()) {
            loopFuel = new int[code.size()];
            entryFuel = segmentCosts(code, loopFuel);
        } else {
            loopFuel = null;
            entryFuel = 0;
        }
    }

    /**
     * Whether every call of {@code code} ({@code call}, {@code call_indirect}, {@code call_ref}, tail calls) sits inside a loop.
     * Such a function needs no interrupt check at its entry: from its entry it reaches a call only
     * through a loop header, which checks, so between two checks a thread runs at most straight-line
     * code per frame it enters or leaves, and frames are bounded by the call-depth budget or the JVM
     * stack. Recursion like {@code fib} (its call in a loop) then checks once per call, not twice.
     */
    static boolean callsOnlyInLoops(List<Instruction> code) {
        int loopEnd = -1; // end of the outermost loop we are in
        for (int pc = 0; pc < code.size(); pc++) {
            Instruction in = code.get(pc);
            int op = in.opcode();
            if (pc > loopEnd && op == LOOP) {
                loopEnd = (int) in.c();
            } else if (pc > loopEnd && (op == CALL || op == CALL_INDIRECT
                    || op == io.wasmudf.engine.internal.model.Opcodes.RETURN_CALL
                    || op == io.wasmudf.engine.internal.model.Opcodes.RETURN_CALL_INDIRECT
                    || op == io.wasmudf.engine.internal.model.RefOpcodes.CALL_REF || op == io.wasmudf.engine.internal.model.RefOpcodes.RETURN_CALL_REF)) {
                // a tail call outside loops: a chain of them is a loop without a header, polled at entries
                return false;
            }
        }
        return true;
    }

    /** Instruction counts per segment: returns the function's own, stores each loop's at its index. */
    static int segmentCosts(List<Instruction> code, int[] loopCost) {
        int entry = 0;
        Deque<int[]> loops = new ArrayDeque<>(); // {loop index, index of its end}
        for (int pc = 0; pc < code.size(); pc++) {
            while (!loops.isEmpty() && pc > loops.peek()[1]) {
                loops.pop();
            }
            if (loops.isEmpty()) {
                entry++;
            } else {
                loopCost[loops.peek()[0]]++;
            }
            Instruction in = code.get(pc);
            if (in.opcode() == LOOP) {
                loops.push(new int[] {pc, (int) in.c()});
            }
        }
        return entry;
    }

    /** With the budget on the stack: traps unless it covers this frame's cost (the entry frame follows). */
    private void trapUnlessBudgetCoversFrame() {
        Label ok = new Label();
        push(frameCost);
        mv.visitJumpInsn(IF_ICMPGE, ok);
        mv.visitMethodInsn(INVOKESTATIC, OPS, "callStackExhausted", "()Lio/wasmudf/engine/Trap;", false);
        mv.visitInsn(ATHROW);
        mv.visitLabel(ok);
        entryFrame.accept(ok);
    }

    void atEntry() {
        if (budgetParam) {
            // if (budget < cost) trap; budget -= cost: in a register, the field is not touched
            mv.visitVarInsn(ILOAD, budgetSlot);
            trapUnlessBudgetCoversFrame();
            mv.visitIincInsn(budgetSlot, -frameCost);
        } else if (checks.callDepth() && !leaf) {
            // budget = self.stackBudget; if (budget < cost) trap; self.stackBudget = budget - cost
            mv.visitVarInsn(ALOAD, selfSlot);
            mv.visitFieldInsn(GETFIELD, BASE, "stackBudget", "I");
            mv.visitInsn(DUP);
            mv.visitVarInsn(ISTORE, budgetSlot);
            trapUnlessBudgetCoversFrame();
            mv.visitVarInsn(ALOAD, selfSlot);
            mv.visitVarInsn(ILOAD, budgetSlot);
            push(frameCost);
            mv.visitInsn(ISUB);
            mv.visitFieldInsn(PUTFIELD, BASE, "stackBudget", "I");
        }
        if (checks.fuel()) {
            call("consumeFuel", entryFuel);
        }
        if (entryPoll) {
            call("checkInterrupt", -1);
        }
    }

    void atLoopHeader(int pc) {
        if (checks.fuel()) {
            call("consumeFuel", loopFuel[pc]);
        }
        if (checks.interrupt()) {
            call("checkInterrupt", -1);
        }
    }

    /**
     * Pushes how many more iterations of the loop at {@code pc} the fuel left covers ({@link
     * ScanLoops} runs no more than that, so the header that runs out still traps), or
     * {@code Integer.MAX_VALUE} without fuel.
     */
    void pushIterationsCovered(int pc) {
        if (checks.fuel() && loopFuel[pc] > 0) {
            mv.visitVarInsn(ALOAD, selfSlot);
            push(loopFuel[pc]);
            mv.visitMethodInsn(INVOKESTATIC, SCAN_LOOP, "fuelIterations", "(L" + BASE + ";I)I", false);
        } else {
            mv.visitLdcInsn(Integer.MAX_VALUE);
        }
    }

    /** After {@link ScanLoops} ran the iterations counted in int slot {@code count}: charges their fuel, checks for an interrupt once. */
    void afterIterations(int pc, int count) {
        if (checks.fuel() && loopFuel[pc] > 0) {
            mv.visitVarInsn(ALOAD, selfSlot);
            mv.visitVarInsn(ILOAD, count);
            push(loopFuel[pc]);
            mv.visitMethodInsn(INVOKESTATIC, SCAN_LOOP, "spend", "(L" + BASE + ";II)V", false);
        }
        if (checks.interrupt()) {
            call("checkInterrupt", -1);
        }
    }

    /**
     * Extra call-stack units taken around a call through a method handle ({@code call_indirect},
     * imported functions): its bridge and method-handle frames use several times the stack of a
     * direct call (measured in the interpreter: ~870 bytes per indirect recursion level against
     * ~115 per direct one).
     */
    static final int HANDLE_CALL_COST = 7;

    /** Before a call through a method handle; the arguments stay on the operand stack. */
    void beforeHandleCall() {
        if (checks.callDepth()) {
            call("enterFrame", HANDLE_CALL_COST);
        }
    }

    /** After a call through a method handle; its results stay on the operand stack. */
    void afterHandleCall() {
        if (checks.callDepth()) {
            call("leaveFrame", HANDLE_CALL_COST);
        }
    }

    /** Pushes the budget a self-call of a {@link SelfRecursion} body passes down. */
    void loadBudget() {
        mv.visitVarInsn(ILOAD, budgetSlot);
    }

    /**
     * Before any call other than a {@link SelfRecursion} body's self-call (the arguments stay on
     * the operand stack): such a body publishes its budget to the field the callee reads; the
     * callee puts the same value back when it returns.
     */
    void beforeCall() {
        if (budgetParam) {
            mv.visitVarInsn(ALOAD, selfSlot);
            mv.visitVarInsn(ILOAD, budgetSlot);
            mv.visitFieldInsn(PUTFIELD, BASE, "stackBudget", "I");
        }
    }

    /** Before a return: the operand stack holds the results, which the call leaves alone. */
    void beforeReturn() {
        if (budgetParam) {
            return; // the wrapper puts the field back (see SelfRecursion)
        }
        if (checks.callDepth() && !leaf) {
            mv.visitVarInsn(ALOAD, selfSlot);
            mv.visitVarInsn(ILOAD, budgetSlot);
            mv.visitFieldInsn(PUTFIELD, BASE, "stackBudget", "I");
        }
    }

    private void call(String method, int arg) {
        mv.visitVarInsn(ALOAD, selfSlot);
        if (arg < 0) {
            mv.visitMethodInsn(INVOKEVIRTUAL, BASE, method, "()V", false);
            return;
        }
        push(arg);
        mv.visitMethodInsn(INVOKEVIRTUAL, BASE, method, "(I)V", false);
    }

    private void push(int arg) {
        if (arg <= 5) {
            mv.visitInsn(ICONST_0 + arg);
        } else if (arg <= Byte.MAX_VALUE) {
            mv.visitIntInsn(BIPUSH, arg);
        } else if (arg <= Short.MAX_VALUE) {
            mv.visitIntInsn(SIPUSH, arg);
        } else {
            mv.visitLdcInsn(arg);
        }
    }
}
