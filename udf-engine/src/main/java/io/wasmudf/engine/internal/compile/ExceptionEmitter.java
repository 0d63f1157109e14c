package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.compile.JvmInsns.loadOp;
import static io.wasmudf.engine.internal.compile.JvmInsns.storeOp;
import static org.objectweb.asm.Opcodes.AALOAD;
import static org.objectweb.asm.Opcodes.ACONST_NULL;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ASTORE;
import static org.objectweb.asm.Opcodes.ATHROW;
import static org.objectweb.asm.Opcodes.GETFIELD;
import static org.objectweb.asm.Opcodes.GOTO;
import static org.objectweb.asm.Opcodes.IF_ACMPNE;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.ISTORE;
import static org.objectweb.asm.Opcodes.PUTFIELD;

import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.Import;
import io.wasmudf.engine.internal.model.ImportDesc;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.Opcodes;
import io.wasmudf.engine.internal.model.TypeCode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.IntUnaryOperator;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Compiles exception handling for {@link FunctionCompiler}: {@code throw} builds a
 * {@code WasmThrow} (tag and boxed payload) and throws it; a {@code try_table} (or legacy
 * {@code try}) body is a JVM exception-table range catching that class only, so traps, resource
 * limits, {@code StackOverflowError} and host exceptions pass every handler. The JVM empties the
 * operand stack on entry to a handler, so the values below the try are spilled to slots at its
 * entry and reloaded by the handler; frames placed inside the range declare those slots (the
 * verifier checks every instruction that may throw against the handler's frame). The handler
 * stores the exception, restores the call-depth budget and the cached memory buffer (callees that
 * threw did not), then tests the clauses' tags in order and continues as a branch: to the clause's
 * label ({@code try_table}) or into the clause's code (legacy {@code catch}); no match rethrows.
 */
final class ExceptionEmitter {
    static final String THROW_CLASS = "io/wasmudf/engine/internal/runtime/WasmThrow";

    private final FunctionCompiler fc;
    private final MethodVisitor mv;
    private List<FuncType> tagTypes;
    /** The locals declared at every label outside tries: what the rethrowing stub's frame declares. */
    private final Object[] baseLocals;
    /** The handler rethrowing out of this method, or null until a {@code delegate} needs it. */
    private Label stub;

    /** One try construct while it is compiled. */
    static final class Try {
        final Label start = new Label();
        final Label end = new Label();
        Label handler = new Label();
        /** The values below the try, their slots (spilled at entry, reloaded by the handler). */
        List<ValType> spilled = List.of();
        int[] spillSlots = new int[0];
        /** Slot of the call-depth budget at entry, or -1. */
        int budgetSlot = -1;
        /** Slot of the caught exception (legacy {@code rethrow} reads it in the clauses). */
        int excSlot;
        Object[] outerLocals;
        Object[] rangeLocals;
        Object[] catchLocals;
        int savedTemp;
        boolean legacy;
        /** Legacy: the indices of the catch clauses, which clause is being compiled (-1: the body), their labels. */
        int[] catchPcs = new int[0];
        int clause = -1;
        Label[] clauseLabels;
        /** try_table: its catch clauses as (kind, tag, label) triples. */
        int[] clauses = new int[0];

        /** Where the code the compiler is in ends: the next legacy catch clause, else the construct's end. */
        int nextClause(int endIndex) {
            return clause + 1 < catchPcs.length ? catchPcs[clause + 1] : endIndex;
        }
    }

    ExceptionEmitter(FunctionCompiler fc) {
        this.fc = fc;
        this.mv = fc.mv;
        this.baseLocals = fc.maps.locals();
    }

    /** Emits {@code in} (at {@code pc}); returns the pc to continue from. */
    int emit(Instruction in, int pc) {
        switch (in.opcode()) {
            case Opcodes.THROW: {
                List<ValType> params = tagType(in.a()).params();
                if (params.isEmpty()) {
                    mv.visitInsn(ACONST_NULL);
                } else {
                    Boxing.boxResults(mv, params, fc.nextTemp);
                }
                fc.pop(params.size());
                loadTag(in.a());
                mv.visitMethodInsn(INVOKESTATIC, THROW_CLASS, "create", "([Ljava/lang/Object;Ljava/lang/Object;)L" + THROW_CLASS + ";", false);
                mv.visitInsn(ATHROW);
                return fc.skipToEnd();
            }
            case Opcodes.THROW_REF:
                fc.pop();
                mv.visitMethodInsn(INVOKESTATIC, THROW_CLASS, "rethrow", "(Ljava/lang/Object;)L" + THROW_CLASS + ";", false);
                mv.visitInsn(ATHROW);
                return fc.skipToEnd();
            case Opcodes.RETHROW: {
                Try t = fc.frame(in.a()).handler;
                mv.visitVarInsn(ALOAD, t.excSlot);
                mv.visitInsn(ATHROW);
                return fc.skipToEnd();
            }
            case Opcodes.TRY_TABLE:
                if (in.labels().length == 0) {
                    fc.pushFrame(FunctionCompiler.KIND_BLOCK, in); // catches nothing: a block
                    return pc;
                }
                begin(in, false, -1).clauses = in.labels();
                return pc;
            case Opcodes.TRY: {
                Instruction last = code().get((int) in.c());
                boolean delegates = last.opcode() == Opcodes.DELEGATE;
                if (in.labels().length == 0 && !delegates) {
                    fc.pushFrame(FunctionCompiler.KIND_BLOCK, in);
                    return pc;
                }
                begin(in, true, delegates ? last.a() : -1).catchPcs = in.labels();
                return pc;
            }
            default: // CATCH, CATCH_ALL: the previous part of a legacy try ends here
                return nextClause(fc.frame(0), pc);
        }
    }

    private List<Instruction> code() {
        return fc.body.code();
    }

    /** Opens a try; {@code delegateDepth} is the label a legacy {@code delegate} names, else -1. */
    private Try begin(Instruction in, boolean legacy, int delegateDepth) {
        boolean delegates = delegateDepth >= 0;
        Try t = new Try();
        if (delegates) {
            t.handler = delegateTarget(delegateDepth); // (the frames are those outside the try here)
        }
        t.legacy = legacy;
        t.savedTemp = fc.nextTemp;
        t.outerLocals = fc.maps.locals();
        Object[] locals = t.outerLocals;
        List<ValType> stack = fc.stack;
        int params = in.a() >= 0 ? fc.layout.module.types().get(in.a()).params().size() : 0;
        int below = stack.size() - params;
        if (below > 0 && !delegates) {
            // spill everything, keep the slots of the values below the try, reload everything
            int[] slots = new int[stack.size()];
            for (int i = 0; i < slots.length; i++) {
                slots[i] = fc.temp(stack.get(i)); // ascending, as the frames list them
            }
            for (int i = stack.size() - 1; i >= 0; i--) {
                mv.visitVarInsn(storeOp(stack.get(i)), slots[i]);
            }
            for (int i = 0; i < stack.size(); i++) {
                mv.visitVarInsn(loadOp(stack.get(i)), slots[i]);
            }
            t.spilled = new ArrayList<>(stack.subList(0, below));
            t.spillSlots = java.util.Arrays.copyOf(slots, below);
            for (int i = 0; i < below; i++) {
                locals = StackMapFrames.extend(locals, slots[i], StackMapFrames.type(stack.get(i)));
            }
        }
        if (fc.layout.checks.callDepth() && !delegates) {
            // callees that threw did not put the budget back: the handler does
            t.budgetSlot = fc.temp(ValType.I32);
            mv.visitVarInsn(ALOAD, fc.selfSlot);
            mv.visitFieldInsn(GETFIELD, ModuleLayout.BASE, "stackBudget", "I");
            mv.visitVarInsn(ISTORE, t.budgetSlot);
            locals = StackMapFrames.extend(locals, t.budgetSlot, org.objectweb.asm.Opcodes.INTEGER);
        }
        t.excSlot = fc.temp(ValType.ANYREF);
        t.rangeLocals = locals;
        t.catchLocals = StackMapFrames.extend(locals, t.excSlot, THROW_CLASS);
        fc.maps.setLocals(t.rangeLocals);
        FunctionCompiler.Frame f = fc.pushFrame(FunctionCompiler.KIND_BLOCK, in);
        f.handler = t;
        mv.visitLabel(t.start);
        return t;
    }

    /** Closes the range of {@code f}'s try body (never empty: a class file's ranges may not be) and jumps over the handler. */
    private void closeRange(FunctionCompiler.Frame f, Try t) {
        if (t.start.getOffset() == currentOffset()) {
            mv.visitInsn(org.objectweb.asm.Opcodes.NOP); // a range must not be empty
        }
        mv.visitLabel(t.end);
        if (!f.unreachable) {
            mv.visitJumpInsn(GOTO, FunctionCompiler.target(f));
        }
    }

    private int currentOffset() {
        Label here = new Label();
        mv.visitLabel(here);
        return here.getOffset();
    }

    /** The handler's entry: the exception stored, the budget and the memory cache restored. */
    private void enterHandler(Try t) {
        mv.visitTryCatchBlock(t.start, t.end, t.handler, THROW_CLASS);
        fc.maps.placeHandler(t.handler, t.rangeLocals, THROW_CLASS);
        mv.visitVarInsn(ASTORE, t.excSlot);
        fc.maps.setLocals(t.catchLocals);
        if (t.budgetSlot >= 0) {
            mv.visitVarInsn(ALOAD, fc.selfSlot);
            mv.visitVarInsn(ILOAD, t.budgetSlot);
            mv.visitFieldInsn(PUTFIELD, ModuleLayout.BASE, "stackBudget", "I");
        }
        fc.reloadMemory();
    }

    /** Jumps to {@code next} unless the caught exception's tag is tag {@code tag} of this instance. */
    private void testTag(Try t, int tag, Label next) {
        mv.visitVarInsn(ALOAD, t.excSlot);
        mv.visitFieldInsn(GETFIELD, THROW_CLASS, "tag", "Ljava/lang/Object;");
        loadTag(tag);
        mv.visitJumpInsn(IF_ACMPNE, next);
    }

    /** Pushes the values below the try (JVM and shadow stack are at the try's height afterwards: the shadow one already is). */
    private void reloadSpilled(Try t) {
        for (int i = 0; i < t.spilled.size(); i++) {
            mv.visitVarInsn(loadOp(t.spilled.get(i)), t.spillSlots[i]);
        }
    }

    /** Pushes the caught exception's payload as tag {@code tag}'s parameters (onto the shadow stack too). */
    private void loadPayload(Try t, int tag) {
        List<ValType> params = tagType(tag).params();
        if (!params.isEmpty()) {
            mv.visitVarInsn(ALOAD, t.excSlot);
            mv.visitFieldInsn(GETFIELD, THROW_CLASS, "payload", "[Ljava/lang/Object;");
            Boxing.unboxResults(mv, params, fc.nextTemp);
            fc.stack.addAll(params);
        }
    }

    private void rethrow(Try t) {
        mv.visitVarInsn(ALOAD, t.excSlot);
        mv.visitInsn(ATHROW);
    }

    /**
     * At the {@code end} (or {@code delegate}) {@code last} of the try whose frame {@code f} was
     * just closed (the shadow stack at its height): emits its handler, leaves the locals as
     * before the try. The code after it then places the try's end label as for any block.
     */
    void end(FunctionCompiler.Frame f, Instruction last) {
        Try t = f.handler;
        if (last.opcode() == Opcodes.DELEGATE) {
            closeRange(f, t);
            mv.visitTryCatchBlock(t.start, t.end, t.handler, THROW_CLASS);
        } else if (!t.legacy) {
            int[] clauses = t.clauses;
            dispatch(f, t, clauses.length / 3, k -> clauses[3 * k] < 2 ? clauses[3 * k + 1] : -1, k -> {
                if ((clauses[3 * k] & 1) != 0) { // catch_ref, catch_all_ref: the exnref too
                    mv.visitVarInsn(ALOAD, t.excSlot);
                    fc.push(fc.layout.jvm(TypeCode.EXN));
                }
                fc.emitBranch(clauses[3 * k + 2]);
            });
        } else if (!f.unreachable) {
            // the last clause's end: jump to the end label, whose frame (the locals outside the
            // try) may not share an offset with the clause's label (an empty clause)
            mv.visitJumpInsn(GOTO, FunctionCompiler.target(f));
        }
        fc.maps.setLocals(t.outerLocals);
        fc.nextTemp = t.savedTemp;
    }

    /**
     * Closes try {@code t}'s range and emits its handler: tests the tags of its {@code count}
     * clauses in order ({@code tagOf}: clause's tag, or -1 for one that catches all); a match
     * reloads the values below the try and the tag's payload, then {@code onMatch} continues as
     * a branch (with the payload on the shadow stack, cleared after it); no match rethrows.
     */
    private void dispatch(FunctionCompiler.Frame f, Try t, int count, IntUnaryOperator tagOf, IntConsumer onMatch) {
        closeRange(f, t);
        enterHandler(t);
        boolean caughtAll = false;
        for (int k = 0; k < count && !caughtAll; k++) {
            int tag = tagOf.applyAsInt(k);
            Label next = new Label();
            if (tag >= 0) {
                testTag(t, tag, next);
            }
            reloadSpilled(t);
            int height = fc.stack.size();
            if (tag >= 0) {
                loadPayload(t, tag);
            }
            onMatch.accept(k);
            fc.stack.subList(height, fc.stack.size()).clear();
            if (tag >= 0) {
                fc.maps.place(next, fc.stack, 0, List.of());
            } else {
                caughtAll = true;
            }
        }
        if (!caughtAll) {
            rethrow(t);
        }
    }

    /**
     * The handler a legacy {@code delegate l} hands exceptions to: that of the innermost try at or
     * outside label {@code l} whose range is still open (its body, not its catch clauses), or
     * the stub rethrowing out of the method when there is none.
     */
    private Label delegateTarget(int depth) {
        for (int d = depth; d < fc.frames.size(); d++) {
            Try t = fc.frame(d).handler;
            if (t != null && t.clause < 0) {
                return t.handler; // a delegating try's is its own target's
            }
        }
        if (stub == null) {
            stub = new Label();
        }
        return stub;
    }

    /** A legacy {@code catch}/{@code catch_all} at {@code pc}: ends the body (emitting the dispatch) or the previous clause. */
    private int nextClause(FunctionCompiler.Frame f, int pc) {
        Try t = f.handler;
        while (fc.stack.size() > f.height) {
            fc.pop();
        }
        if (t.clause < 0) {
            t.clauseLabels = new Label[t.catchPcs.length];
            for (int k = 0; k < t.catchPcs.length; k++) {
                t.clauseLabels[k] = new Label();
            }
            dispatch(f, t, t.catchPcs.length, k -> {
                Instruction c = code().get(t.catchPcs[k]);
                return c.opcode() == Opcodes.CATCH ? c.a() : -1;
            }, k -> mv.visitJumpInsn(GOTO, t.clauseLabels[k]));
        } else if (!f.unreachable) {
            mv.visitJumpInsn(GOTO, FunctionCompiler.target(f));
        }
        t.clause++;
        Instruction c = code().get(t.catchPcs[t.clause]);
        int height = fc.stack.size();
        if (c.opcode() == Opcodes.CATCH) {
            List<ValType> params = tagType(c.a()).params();
            fc.stack.addAll(params);
        }
        fc.maps.place(t.clauseLabels[t.clause], fc.stack, fc.stack.size(), List.of());
        f.unreachable = false;
        return pc;
    }

    /** Emits the handlers that rethrow out of the method, outside every range (after all code). */
    void emitStubs() {
        if (stub != null) {
            fc.maps.placeHandler(stub, baseLocals, THROW_CLASS);
            mv.visitInsn(ATHROW);
        }
    }

    private void loadTag(int tag) {
        mv.visitVarInsn(ALOAD, fc.selfSlot);
        mv.visitFieldInsn(GETFIELD, ModuleLayout.BASE, "tags", "[Ljava/lang/Object;");
        JvmInsns.pushInt(mv, tag);
        mv.visitInsn(AALOAD);
    }

    /** The type of tag {@code index} (imports first). */
    private FuncType tagType(int index) {
        if (tagTypes == null) {
            List<FuncType> out = new ArrayList<>();
            for (Import imp : fc.layout.module.imports()) {
                if (imp.desc() instanceof ImportDesc.Tag t) {
                    out.add(fc.layout.module.types().get(t.typeIndex()));
                }
            }
            for (int t : fc.layout.module.tags()) {
                out.add(fc.layout.module.types().get(t));
            }
            tagTypes = out;
        }
        return tagTypes.get(index);
    }
}
