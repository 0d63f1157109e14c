package io.wasmudf.engine.internal.validate;

import static io.wasmudf.engine.internal.validate.ValueTypes.I32;
import static io.wasmudf.engine.internal.validate.ValueTypes.UNKNOWN;

import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.RefOpcodes;
import io.wasmudf.engine.internal.model.TypeCode;
import java.util.Arrays;

/** Type-checks the typed function reference instructions (3.0) for {@link FunctionValidator}. */
final class RefValidator {
    private final FunctionValidator v;
    private final ModuleContext ctx;

    private final GcValidator gc;

    RefValidator(FunctionValidator v, ModuleContext ctx) {
        this.v = v;
        this.ctx = ctx;
        this.gc = new GcValidator(v, ctx);
    }

    /** Checks {@code insn} if it is one of these instructions; false if it is not. */
    boolean step(Instruction insn) {
        switch (insn.opcode()) {
            case RefOpcodes.CALL_REF -> {
                int type = v.funcType(insn.a());
                v.pop(TypeCode.concrete(true, type));
                v.popVals(ctx.typeParams[type]);
                v.pushVals(ctx.typeResults[type]);
            }
            case RefOpcodes.RETURN_CALL_REF -> {
                int type = v.funcType(insn.a());
                v.pop(TypeCode.concrete(true, type));
                v.tailCall(type);
            }
            case RefOpcodes.REF_AS_NON_NULL -> {
                int t = v.popRef();
                v.push(t == UNKNOWN ? UNKNOWN : TypeCode.asNonNull(t));
            }
            case RefOpcodes.BR_ON_NULL -> {
                int t = v.popRef();
                int[] types = v.labelTypes(v.label(insn.a()));
                v.popVals(types);
                v.pushVals(types);
                v.push(t == UNKNOWN ? UNKNOWN : TypeCode.asNonNull(t));
            }
            case RefOpcodes.BR_ON_NON_NULL -> {
                int[] types = v.labelTypes(v.label(insn.a()));
                int n = types.length;
                if (n == 0 || !TypeCode.isRef(types[n - 1])) {
                    throw v.fail("type mismatch", "br_on_non_null needs a label whose last type is a reference");
                }
                int t = v.popRef();
                if (t != UNKNOWN && !ctx.relations.isSubtype(TypeCode.asNonNull(t), types[n - 1])) {
                    throw v.fail("type mismatch", "br_on_non_null operand " + TypeCode.name(t)
                            + " does not match the label's " + TypeCode.name(types[n - 1]));
                }
                int[] rest = Arrays.copyOf(types, n - 1);
                v.popVals(rest);
                v.pushVals(rest);
            }
            case RefOpcodes.REF_EQ -> {
                int eqref = TypeCode.ref(true, TypeCode.EQ);
                v.pop(eqref);
                v.pop(eqref);
                v.push(I32);
            }
            default -> {
                if (insn.opcode() < RefOpcodes.STRUCT_NEW || insn.opcode() > RefOpcodes.I31_GET_U) {
                    return false;
                }
                gc.step(insn);
            }
        }
        return true;
    }
}
