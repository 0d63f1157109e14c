package io.wasmudf.engine.internal.validate;

import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.Opcodes;
import io.wasmudf.engine.internal.model.TypeCode;

/**
 * Type-checks the exception-handling instructions for {@link FunctionValidator}: 3.0's
 * {@code throw}, {@code throw_ref} and {@code try_table}, and the legacy {@code try}/{@code catch}/
 * {@code catch_all}/{@code delegate}/{@code rethrow} (whose clauses are control frames of their own).
 */
final class ExceptionValidator {
    /** {@code (ref exn)}: what catch_ref and catch_all_ref pass to their label. */
    static final int EXNREF_NON_NULL = TypeCode.ref(false, TypeCode.EXN);
    static final int EXNREF = TypeCode.ref(true, TypeCode.EXN);

    private final FunctionValidator v;
    private final ModuleContext ctx;

    ExceptionValidator(FunctionValidator v, ModuleContext ctx) {
        this.v = v;
        this.ctx = ctx;
    }

    /** Checks {@code insn} if it is one of these instructions; false if it is not. */
    boolean step(Instruction insn) {
        switch (insn.opcode()) {
            case Opcodes.THROW -> {
                v.popVals(ctx.typeParams[tag(insn.a())]);
                v.unreachable();
            }
            case Opcodes.THROW_REF -> {
                v.pop(EXNREF);
                v.unreachable();
            }
            case Opcodes.TRY_TABLE -> tryTable(insn);
            case Opcodes.TRY -> {
                int[] in = v.blockParams(insn);
                int[] out = v.blockResults(insn);
                v.popVals(in);
                v.pushCtrl(Opcodes.TRY, in, out);
            }
            case Opcodes.CATCH, Opcodes.CATCH_ALL -> {
                int top = v.topFrame();
                int op = v.ctrlOp(top);
                if (op != Opcodes.TRY && op != Opcodes.CATCH) {
                    throw v.fail("type mismatch", Opcodes.name(insn.opcode()) + " outside a try or after catch_all");
                }
                int[] out = v.ctrlResults(top);
                v.popCtrl();
                int[] payload = insn.opcode() == Opcodes.CATCH ? ctx.typeParams[tag(insn.a())] : ModuleContext.NO_TYPES;
                v.pushCtrl(insn.opcode(), payload, out);
            }
            case Opcodes.DELEGATE -> {
                int top = v.topFrame();
                if (v.ctrlOp(top) != Opcodes.TRY) {
                    throw v.fail("type mismatch", "delegate outside a try");
                }
                int[] out = v.ctrlResults(top);
                v.popCtrl();
                v.label(insn.a());
                v.pushVals(out);
            }
            case Opcodes.RETHROW -> {
                int frame = v.label(insn.a());
                int op = v.ctrlOp(frame);
                if (op != Opcodes.CATCH && op != Opcodes.CATCH_ALL) {
                    throw v.fail("invalid rethrow label", "label " + insn.a() + " is not a catch clause");
                }
                v.unreachable();
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private void tryTable(Instruction insn) {
        int[] in = v.blockParams(insn);
        int[] out = v.blockResults(insn);
        v.popVals(in);
        int[] clauses = insn.labels();
        for (int i = 0; i + 2 < clauses.length; i += 3) {
            int kind = clauses[i];
            int[] payload = kind < 2 ? ctx.typeParams[tag(clauses[i + 1])] : ModuleContext.NO_TYPES;
            if ((kind & 1) != 0) {
                payload = java.util.Arrays.copyOf(payload, payload.length + 1);
                payload[payload.length - 1] = EXNREF_NON_NULL;
            }
            int[] label = v.labelTypes(v.label(clauses[i + 2]));
            boolean fits = label.length == payload.length;
            for (int k = 0; fits && k < payload.length; k++) {
                fits = ctx.relations.isSubtype(payload[k], label[k]);
            }
            if (!fits) {
                throw v.fail("type mismatch", "catch clause " + (i / 3) + " passes " + ValueTypes.names(payload)
                        + " to a label expecting " + ValueTypes.names(label));
            }
        }
        v.pushCtrl(Opcodes.TRY_TABLE, in, out);
    }

    private int tag(int index) {
        if (index < 0 || index >= ctx.tagTypes.length) {
            throw v.fail("unknown tag " + Integer.toUnsignedString(index), null);
        }
        return ctx.tagTypes[index];
    }
}
