package io.wasmudf.engine.internal.validate;

import static io.wasmudf.engine.internal.validate.ValueTypes.I32;
import static io.wasmudf.engine.internal.validate.ValueTypes.UNKNOWN;

import io.wasmudf.engine.internal.model.DefType;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.RefOpcodes;
import io.wasmudf.engine.internal.model.TypeCode;
import java.util.Arrays;

/** Type-checks the GC instructions (3.0: structs, arrays, i31, casts, extern conversions) for {@link FunctionValidator}. */
final class GcValidator {
    private final FunctionValidator v;
    private final ModuleContext ctx;
    private final TypeRelations rel;

    GcValidator(FunctionValidator v, ModuleContext ctx) {
        this.v = v;
        this.ctx = ctx;
        this.rel = ctx.relations;
    }

    void step(Instruction insn) {
        int op = insn.opcode();
        switch (op) {
            case RefOpcodes.STRUCT_NEW -> {
                DefType t = struct(insn.a());
                for (int k = t.fields().length - 1; k >= 0; k--) {
                    v.pop(DefType.unpacked(t.fields()[k]));
                }
                v.push(TypeCode.concrete(false, insn.a()));
            }
            case RefOpcodes.STRUCT_NEW_DEFAULT -> {
                DefType t = struct(insn.a());
                for (int f : t.fields()) {
                    defaultable(f);
                }
                v.push(TypeCode.concrete(false, insn.a()));
            }
            case RefOpcodes.STRUCT_GET, RefOpcodes.STRUCT_GET_S, RefOpcodes.STRUCT_GET_U -> {
                DefType t = struct(insn.a());
                int f = field(t, insn.b());
                packing(f, op != RefOpcodes.STRUCT_GET);
                v.pop(TypeCode.concrete(true, insn.a()));
                v.push(DefType.unpacked(f));
            }
            case RefOpcodes.STRUCT_SET -> {
                DefType t = struct(insn.a());
                int f = field(t, insn.b());
                if (!t.mutable()[insn.b()]) {
                    throw v.fail("immutable field", "field " + insn.b() + " of type " + insn.a() + " is immutable");
                }
                v.pop(DefType.unpacked(f));
                v.pop(TypeCode.concrete(true, insn.a()));
            }
            case RefOpcodes.ARRAY_NEW -> {
                int e = array(insn.a());
                v.pop(I32);
                v.pop(DefType.unpacked(e));
                v.push(TypeCode.concrete(false, insn.a()));
            }
            case RefOpcodes.ARRAY_NEW_DEFAULT -> {
                defaultable(array(insn.a()));
                v.pop(I32);
                v.push(TypeCode.concrete(false, insn.a()));
            }
            case RefOpcodes.ARRAY_NEW_FIXED -> {
                int e = array(insn.a());
                int n = insn.b();
                if (n < 0 || n > 10_000) {
                    throw v.fail("type mismatch", "array.new_fixed of " + Integer.toUnsignedString(n) + " elements");
                }
                for (int k = 0; k < n; k++) {
                    v.pop(DefType.unpacked(e));
                }
                v.push(TypeCode.concrete(false, insn.a()));
            }
            case RefOpcodes.ARRAY_NEW_DATA -> {
                numericElements(array(insn.a()));
                data(insn.b());
                v.pop(I32);
                v.pop(I32);
                v.push(TypeCode.concrete(false, insn.a()));
            }
            case RefOpcodes.ARRAY_NEW_ELEM -> {
                elemMatches(array(insn.a()), insn.b());
                v.pop(I32);
                v.pop(I32);
                v.push(TypeCode.concrete(false, insn.a()));
            }
            case RefOpcodes.ARRAY_GET, RefOpcodes.ARRAY_GET_S, RefOpcodes.ARRAY_GET_U -> {
                int e = array(insn.a());
                packing(e, op != RefOpcodes.ARRAY_GET);
                v.pop(I32);
                v.pop(TypeCode.concrete(true, insn.a()));
                v.push(DefType.unpacked(e));
            }
            case RefOpcodes.ARRAY_SET -> {
                int e = mutableArray(insn.a());
                v.pop(DefType.unpacked(e));
                v.pop(I32);
                v.pop(TypeCode.concrete(true, insn.a()));
            }
            case RefOpcodes.ARRAY_LEN -> {
                v.pop(TypeCode.ref(true, TypeCode.ARRAY));
                v.push(I32);
            }
            case RefOpcodes.ARRAY_FILL -> {
                int e = mutableArray(insn.a());
                v.pop(I32);
                v.pop(DefType.unpacked(e));
                v.pop(I32);
                v.pop(TypeCode.concrete(true, insn.a()));
            }
            case RefOpcodes.ARRAY_COPY -> {
                int dst = mutableArray(insn.a());
                int src = array(insn.b());
                if (!rel.isSubtype(src, dst)) {
                    throw v.fail("array types do not match", "array.copy from type " + insn.b() + " to " + insn.a());
                }
                v.pop(I32);
                v.pop(I32);
                v.pop(TypeCode.concrete(true, insn.b()));
                v.pop(I32);
                v.pop(TypeCode.concrete(true, insn.a()));
            }
            case RefOpcodes.ARRAY_INIT_DATA -> {
                numericElements(mutableArray(insn.a()));
                data(insn.b());
                popInit(insn.a());
            }
            case RefOpcodes.ARRAY_INIT_ELEM -> {
                elemMatches(mutableArray(insn.a()), insn.b());
                popInit(insn.a());
            }
            case RefOpcodes.REF_TEST, RefOpcodes.REF_TEST_NULL -> {
                castOperand(insn.a());
                v.push(I32);
            }
            case RefOpcodes.REF_CAST, RefOpcodes.REF_CAST_NULL -> {
                castOperand(insn.a());
                v.push(insn.a());
            }
            case RefOpcodes.BR_ON_CAST, RefOpcodes.BR_ON_CAST_FAIL -> brOnCast(insn, op == RefOpcodes.BR_ON_CAST);
            case RefOpcodes.ANY_CONVERT_EXTERN -> {
                int t = v.popRef();
                if (t != UNKNOWN && !rel.isSubtype(t, TypeCode.ref(true, TypeCode.EXTERN))) {
                    throw v.fail("type mismatch", "any.convert_extern of " + TypeCode.name(t));
                }
                v.push(TypeCode.ref(t == UNKNOWN || TypeCode.isNullable(t), TypeCode.ANY));
            }
            case RefOpcodes.EXTERN_CONVERT_ANY -> {
                int t = v.popRef();
                if (t != UNKNOWN && !rel.isSubtype(t, TypeCode.ref(true, TypeCode.ANY))) {
                    throw v.fail("type mismatch", "extern.convert_any of " + TypeCode.name(t));
                }
                v.push(TypeCode.ref(t == UNKNOWN || TypeCode.isNullable(t), TypeCode.EXTERN));
            }
            case RefOpcodes.REF_I31 -> {
                v.pop(I32);
                v.push(TypeCode.ref(false, TypeCode.I31));
            }
            case RefOpcodes.I31_GET_S, RefOpcodes.I31_GET_U -> {
                v.pop(TypeCode.ref(true, TypeCode.I31));
                v.push(I32);
            }
            default -> throw v.fail("illegal opcode", "unknown GC instruction");
        }
    }

    private void popInit(int type) {
        v.pop(I32);
        v.pop(I32);
        v.pop(I32);
        v.pop(TypeCode.concrete(true, type));
    }

    /** The operand of a cast: a reference of the target's hierarchy. */
    private void castOperand(int target) {
        ctx.checkValType(target, "cast");
        int t = v.popRef();
        if (t != UNKNOWN && top(t) != top(target)) {
            throw v.fail("type mismatch", "cast of " + TypeCode.name(t) + " to " + TypeCode.name(target));
        }
    }

    private int top(int code) {
        int heap = TypeCode.heapOf(code);
        if (TypeCode.isConcrete(heap)) {
            return rel.isFunc(TypeCode.typeIndex(heap)) ? TypeCode.FUNC : TypeCode.ANY;
        }
        return TypeCode.abstractTop(heap);
    }

    private void brOnCast(Instruction insn, boolean onSuccess) {
        int from = insn.labels()[0];
        int to = insn.labels()[1];
        ctx.checkValType(from, "br_on_cast");
        ctx.checkValType(to, "br_on_cast");
        if (!rel.isSubtype(to, from)) {
            throw v.fail("type mismatch", "br_on_cast target " + TypeCode.name(to) + " is not a subtype of " + TypeCode.name(from));
        }
        int[] types = v.labelTypes(v.label(insn.a()));
        int n = types.length;
        if (n == 0) {
            throw v.fail("type mismatch", "br_on_cast needs a label with a reference type");
        }
        // the type that goes to the label, and the one that falls through
        int diff = TypeCode.isNullable(to) ? TypeCode.asNonNull(from) : from;
        int branch = onSuccess ? to : diff;
        int fall = onSuccess ? diff : to;
        if (!rel.isSubtype(branch, types[n - 1])) {
            throw v.fail("type mismatch", "br_on_cast sends " + TypeCode.name(branch) + " to a label of " + TypeCode.name(types[n - 1]));
        }
        v.pop(from);
        int[] rest = Arrays.copyOf(types, n - 1);
        v.popVals(rest);
        v.pushVals(rest);
        v.push(fall);
    }

    private DefType def(int index, int kind, String what) {
        v.type(index);
        DefType t = rel.types.get(index);
        if (t.kind() != kind) {
            throw v.fail("type mismatch", "type " + index + " is not " + what);
        }
        return t;
    }

    private DefType struct(int index) {
        return def(index, DefType.STRUCT, "a struct type");
    }

    /** The array type's element storage type. */
    private int array(int index) {
        return def(index, DefType.ARRAY, "an array type").fields()[0];
    }

    private int mutableArray(int index) {
        int e = array(index);
        if (!rel.types.get(index).mutable()[0]) {
            throw v.fail("immutable array", "array type " + index + " is immutable");
        }
        return e;
    }

    private int field(DefType t, int index) {
        if (index < 0 || index >= t.fields().length) {
            throw v.fail("unknown field " + Integer.toUnsignedString(index), null);
        }
        return t.fields()[index];
    }

    private void packing(int storage, boolean wantPacked) {
        boolean packed = storage == DefType.I8 || storage == DefType.I16;
        if (packed != wantPacked) {
            throw v.fail("type mismatch", packed ? "packed field read without a sign extension" : "sign extension of an unpacked field");
        }
    }

    private void defaultable(int storage) {
        if (!TypeCode.isDefaultable(storage)) {
            throw v.fail("type mismatch", "field of type " + TypeCode.name(storage) + " has no default value");
        }
    }

    private void numericElements(int storage) {
        if (TypeCode.isRef(storage)) {
            throw v.fail("type mismatch", "array of references initialised from data");
        }
    }

    private void data(int index) {
        if (index < 0 || index >= ctx.dataCount) {
            throw v.fail("unknown data segment " + Integer.toUnsignedString(index), null);
        }
    }

    private void elemMatches(int storage, int elem) {
        if (elem < 0 || elem >= ctx.elemTypes.length) {
            throw v.fail("unknown elem segment " + Integer.toUnsignedString(elem), null);
        }
        if (!rel.isSubtype(ctx.elemTypes[elem], storage)) {
            throw v.fail("type mismatch", "element segment " + elem + " holds " + TypeCode.name(ctx.elemTypes[elem])
                    + ", the array " + TypeCode.name(storage));
        }
    }
}
