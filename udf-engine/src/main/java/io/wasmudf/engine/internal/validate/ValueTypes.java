package io.wasmudf.engine.internal.validate;

import io.wasmudf.engine.ValType;
import java.util.List;

/**
 * Value types as small ints for the validator's unboxed stacks: a type's binary-format byte, and
 * {@link #UNKNOWN} for the bottom type that unreachable code pops from an empty stack.
 */
final class ValueTypes {
    static final int UNKNOWN = 0;
    static final int I32 = 0x7F;
    static final int I64 = 0x7E;
    static final int F32 = 0x7D;
    static final int F64 = 0x7C;
    static final int V128 = 0x7B;
    static final int FUNCREF = 0x70;
    static final int EXTERNREF = 0x6F;

    private ValueTypes() {}

    static int[] codes(List<ValType> types) {
        if (types.isEmpty()) {
            return ModuleContext.NO_TYPES;
        }
        int[] r = new int[types.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = types.get(i).code();
        }
        return r;
    }

    /** True for numeric types and for {@link #UNKNOWN}, which may stand for one. */
    static boolean isNumOrUnknown(int t) {
        return t == UNKNOWN || (t >= F64 && t <= I32);
    }

    static boolean isRefOrUnknown(int t) {
        return t == UNKNOWN || io.wasmudf.engine.internal.model.TypeCode.isRef(t);
    }

    static String name(int t) {
        return io.wasmudf.engine.internal.model.TypeCode.name(t);
    }

    static String names(int[] ts) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < ts.length; i++) {
            sb.append(i > 0 ? " " : "").append(name(ts[i]));
        }
        return sb.append(']').toString();
    }
}
