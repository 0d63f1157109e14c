package io.wasmudf.engine.internal.validate;

import static io.wasmudf.engine.internal.model.TypeCode.ANY;
import static io.wasmudf.engine.internal.model.TypeCode.ARRAY;
import static io.wasmudf.engine.internal.model.TypeCode.EQ;
import static io.wasmudf.engine.internal.model.TypeCode.EXTERN;
import static io.wasmudf.engine.internal.model.TypeCode.FUNC;
import static io.wasmudf.engine.internal.model.TypeCode.I31;
import static io.wasmudf.engine.internal.model.TypeCode.NOEXTERN;
import static io.wasmudf.engine.internal.model.TypeCode.NOFUNC;
import static io.wasmudf.engine.internal.model.TypeCode.NONE;
import static io.wasmudf.engine.internal.model.TypeCode.STRUCT;

import io.wasmudf.engine.InvalidModuleException;
import io.wasmudf.engine.internal.model.DefType;
import io.wasmudf.engine.internal.model.TypeCanon;
import io.wasmudf.engine.internal.model.TypeCode;
import java.util.List;

/**
 * Subtyping and equivalence of the 3.0 type system over one module's defined types: the type
 * section's own rules (indices within reach, declared super types that are not final and match
 * structurally) are checked on construction.
 */
final class TypeRelations {
    final List<DefType> types;
    /** Canonical id per type index ({@link TypeCanon}): equal ids, equivalent types. */
    final int[] canon;

    TypeRelations(List<DefType> types) {
        this.types = types;
        for (int i = 0; i < types.size(); i++) {
            checkReferences(i);
        }
        this.canon = TypeCanon.ids(types);
        for (int i = 0; i < types.size(); i++) {
            checkSuper(i);
        }
    }

    int size() {
        return types.size();
    }

    boolean isFunc(int typeIndex) {
        return types.get(typeIndex).isFunc();
    }

    /** {@code a <: b} for value types ({@link ValueTypes#UNKNOWN} is below everything). */
    boolean isSubtype(int a, int b) {
        if (a == b || a == ValueTypes.UNKNOWN || b == ValueTypes.UNKNOWN) {
            return true;
        }
        if (!TypeCode.isRef(a) || !TypeCode.isRef(b)) {
            return false;
        }
        if (TypeCode.isNullable(a) && !TypeCode.isNullable(b)) {
            return false;
        }
        return isHeapSubtype(TypeCode.heapOf(a), TypeCode.heapOf(b));
    }

    boolean isHeapSubtype(int a, int b) {
        if (a == b) {
            return true;
        }
        boolean ca = TypeCode.isConcrete(a);
        boolean cb = TypeCode.isConcrete(b);
        if (ca && cb) {
            int target = canon[TypeCode.typeIndex(b)];
            int i = TypeCode.typeIndex(a);
            for (int guard = 0; guard <= types.size(); guard++) {
                if (canon[i] == target) {
                    return true;
                }
                int[] supers = types.get(i).supers();
                if (supers.length == 0 || supers[0] >= i) {
                    return false;
                }
                i = supers[0];
            }
            return false;
        }
        if (ca) {
            int kind = types.get(TypeCode.typeIndex(a)).kind();
            if (kind == DefType.FUNC) {
                return b == FUNC;
            }
            return b == ANY || b == EQ || b == (kind == DefType.STRUCT ? STRUCT : ARRAY);
        }
        if (cb) {
            int kind = types.get(TypeCode.typeIndex(b)).kind();
            return kind == DefType.FUNC ? a == NOFUNC : a == NONE;
        }
        return TypeCode.abstractSubtype(a, b);
    }

    /** A type's own references reach no further than the end of its recursion group. */
    private void checkReferences(int i) {
        DefType t = types.get(i);
        int limit = t.groupStart() + t.groupSize();
        for (int[] codes : new int[][] {t.params(), t.results(), t.fields()}) {
            for (int c : codes) {
                if (TypeCode.isConcrete(c) && TypeCode.typeIndex(c) >= limit) {
                    throw new InvalidModuleException("unknown type " + TypeCode.typeIndex(c), "type " + i);
                }
            }
        }
        for (int s : t.supers()) {
            if (s >= i) {
                throw new InvalidModuleException("unknown type " + Integer.toUnsignedString(s), "type " + i + "'s super type");
            }
        }
    }

    /** A declared super type is not final, is of the same kind, and the sub type matches it. */
    private void checkSuper(int i) {
        DefType t = types.get(i);
        if (t.supers().length > 1) {
            throw new InvalidModuleException("multiple supertypes", "type " + i);
        }
        if (t.supers().length == 0) {
            return;
        }
        DefType s = types.get(t.supers()[0]);
        String where = "type " + i + " declares type " + t.supers()[0] + " its super type";
        if (s.isFinal() || s.kind() != t.kind()) {
            throw new InvalidModuleException("sub type", where);
        }
        boolean ok = switch (t.kind()) {
            case DefType.FUNC -> t.params().length == s.params().length && t.results().length == s.results().length
                    && all(s.params(), t.params()) && all(t.results(), s.results());
            case DefType.STRUCT -> t.fields().length >= s.fields().length && fieldsMatch(t, s, s.fields().length);
            default -> fieldsMatch(t, s, 1);
        };
        if (!ok) {
            throw new InvalidModuleException("sub type", where);
        }
    }

    /** Every {@code sub[k] <: sup[k]}. */
    private boolean all(int[] sub, int[] sup) {
        for (int k = 0; k < sub.length; k++) {
            if (!isSubtype(sub[k], sup[k])) {
                return false;
            }
        }
        return true;
    }

    private boolean fieldsMatch(DefType t, DefType s, int n) {
        for (int k = 0; k < n; k++) {
            boolean mut = s.mutable()[k];
            if (t.mutable()[k] != mut) {
                return false;
            }
            int a = t.fields()[k];
            int b = s.fields()[k];
            if (mut ? !(isSubtype(a, b) && isSubtype(b, a)) : !isSubtype(a, b)) {
                return false;
            }
        }
        return true;
    }
}
