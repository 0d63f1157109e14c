package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.IF;
import static io.wasmudf.engine.internal.compile.JvmInsns.loadOp;
import static io.wasmudf.engine.internal.compile.JvmInsns.size;
import static io.wasmudf.engine.internal.compile.JvmInsns.storeOp;
import static org.objectweb.asm.Opcodes.GOTO;
import static org.objectweb.asm.Opcodes.POP;
import static org.objectweb.asm.Opcodes.POP2;

import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.Instruction;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Branches of a {@link FunctionCompiler}'s method: br, br_if (fused with a preceding comparison
 * when there is one), br_table, with the clean-up of values a branch leaves behind; a label outside
 * an outlined method becomes a region exit.
 */
final class BranchEmitter {
    private final FunctionCompiler fc;
    private final MethodVisitor mv;
    private final List<ValType> stack;
    private final List<FunctionCompiler.Frame> frames;

    BranchEmitter(FunctionCompiler fc) {
        this.fc = fc;
        this.mv = fc.mv;
        this.stack = fc.stack;
        this.frames = fc.frames;
    }

    /**
     * Emits the stack clean-up for a branch to label {@code depth} and the jump itself; a label
     * outside this (outlined) method becomes a region exit that the caller completes.
     */
    void branch(int depth) {
        if (depth >= frames.size()) {
            int outerDepth = depth - frames.size();
            if (fc.region.escapeCodes.putIfAbsent(outerDepth, fc.region.escapes.size()) == null) {
                fc.region.escapes.add(outerDepth);
            }
            fc.regionCalls.exit(fc.region, fc.region.outer.size() - outerDepth, fc.region.outer.get(outerDepth), fc.nextTemp);
            return;
        }
        FunctionCompiler.Frame target = fc.frame(depth);
        if (target.kind == FunctionCompiler.KIND_FUNC) {
            fc.emitReturn();
            return;
        }
        List<ValType> carried = target.branchTypes();
        int extra = stack.size() - carried.size() - target.height;
        if (extra > 0) {
            int[] slots = new int[carried.size()];
            int saveTemp = fc.nextTemp;
            for (int i = carried.size() - 1; i >= 0; i--) {
                ValType t = stack.get(stack.size() - carried.size() + i);
                slots[i] = fc.temp(t);
                mv.visitVarInsn(storeOp(t), slots[i]);
            }
            for (int i = 0; i < extra; i++) {
                ValType t = stack.get(stack.size() - carried.size() - 1 - i);
                mv.visitInsn(size(t) == 2 ? POP2 : POP);
            }
            for (int i = 0; i < carried.size(); i++) {
                mv.visitVarInsn(loadOp(carried.get(i)), slots[i]);
            }
            fc.nextTemp = saveTemp;
        }
        mv.visitJumpInsn(GOTO, FunctionCompiler.target(target));
    }

    /**
     * True when label {@code depth} is a loop header of this method. A br_if back to it becomes a
     * forward jump out plus a {@code goto}: C2 puts the loop's safepoint poll on the backward
     * jump with the JVM state before it, so a conditional backward jump keeps its operands alive
     * there, and an {@code lcmp} result (i64 and unsigned compares) was then materialised as
     * -1/0/1 on every iteration instead of folding into the branch (seen in C2's code for the
     * sieve kernel's store loop). Before an unconditional {@code goto} the stack holds nothing extra.
     */
    private boolean isLoop(int depth) {
        return depth < frames.size() && fc.frame(depth).kind == FunctionCompiler.KIND_LOOP;
    }

    private boolean needsCleanup(int depth) {
        if (depth >= frames.size()) {
            return true;
        }
        FunctionCompiler.Frame target = fc.frame(depth);
        if (target.kind == FunctionCompiler.KIND_FUNC) {
            return true;
        }
        return stack.size() - target.branchTypes().size() - target.height > 0;
    }

    /** A br_if to {@code depth}, taken when the JVM conditional jump {@code jumpIfTrue} would jump. */
    void branchIf(int depth, int jumpIfTrue) {
        if (!needsCleanup(depth) && !isLoop(depth)) {
            mv.visitJumpInsn(jumpIfTrue, FunctionCompiler.target(fc.frame(depth)));
            return;
        }
        Label skip = new Label();
        mv.visitJumpInsn(CompareJumps.negate(jumpIfTrue), skip);
        branch(depth);
        fc.placeHere(skip);
    }

    /** A comparison feeding br_if / if, as one JVM conditional jump (see {@link CompareJumps}). */
    void compareAndBranch(int op, Instruction branch) {
        int jumpIfTrue = CompareJumps.emitCompare(mv, op);
        fc.pop(CompareJumps.operands(op));
        conditionalJump(jumpIfTrue, branch);
    }

    /** The br_if or if {@code branch} after a fused comparison whose true case is {@code jumpIfTrue}. */
    private void conditionalJump(int jumpIfTrue, Instruction branch) {
        if (branch.opcode() == IF) {
            FunctionCompiler.Frame f = fc.pushFrame(FunctionCompiler.KIND_IF, branch);
            f.elseLabel = new Label();
            mv.visitJumpInsn(CompareJumps.negate(jumpIfTrue), f.elseLabel);
            return;
        }
        branchIf(branch.a(), jumpIfTrue);
    }

    /** A br_table: a tableswitch to the targets, through a clean-up trampoline per target that needs one. */
    void brTable(Instruction in) {
        int[] targets = in.labels();
        Label[] labels = new Label[targets.length];
        List<Integer> depths = new ArrayList<>();
        List<Label> trampolines = new ArrayList<>();
        java.util.Map<Integer, Label> byDepth = new java.util.HashMap<>(); // a br_table may have thousands of targets
        Label dflt = trampoline(in.a(), depths, trampolines, byDepth);
        for (int i = 0; i < targets.length; i++) {
            labels[i] = trampoline(targets[i], depths, trampolines, byDepth);
        }
        if (targets.length == 0) {
            mv.visitInsn(POP);
            mv.visitJumpInsn(GOTO, dflt);
        } else {
            mv.visitTableSwitchInsn(0, targets.length - 1, dflt, labels);
        }
        for (int i = 0; i < depths.size(); i++) {
            fc.placeHere(trampolines.get(i));
            branch(depths.get(i));
        }
    }

    private Label trampoline(int depth, List<Integer> depths, List<Label> trampolines, java.util.Map<Integer, Label> byDepth) {
        if (!needsCleanup(depth)) {
            return FunctionCompiler.target(fc.frame(depth));
        }
        Label l = byDepth.get(depth);
        if (l != null) {
            return l;
        }
        l = new Label();
        depths.add(depth);
        trampolines.add(l);
        byDepth.put(depth, l);
        return l;
    }
}
