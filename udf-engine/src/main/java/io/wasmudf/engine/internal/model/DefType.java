package io.wasmudf.engine.internal.model;

import io.wasmudf.engine.FuncType;
import java.util.ArrayList;
import java.util.List;

/**
 * One defined type of the type section (3.0: a sub type of a recursion group), with precise
 * {@link TypeCode}s: a function's parameters and results, or a struct's / array's fields (storage
 * types: a value type, or {@link #I8}/{@link #I16}) and their mutability. {@code supers} holds the
 * declared super type indices (at most one), {@code groupStart}/{@code groupSize} the recursion group.
 */
public record DefType(int kind, int[] params, int[] results, int[] fields, boolean[] mutable,
                      int[] supers, boolean isFinal, int groupStart, int groupSize) {
    public static final int FUNC = 0x60;
    public static final int STRUCT = 0x5F;
    public static final int ARRAY = 0x5E;
    /** Packed storage types of struct and array fields. */
    public static final int I8 = 0x78;
    public static final int I16 = 0x77;

    private static final int[] NONE = new int[0];

    /** A 2.0 function type: final, no super type, its own recursion group. */
    public static DefType of(FuncType t, int index) {
        return new DefType(FUNC, codes(t.params()), codes(t.results()), NONE, new boolean[0], NONE, true, index, 1);
    }

    /** The precise types of a module's 2.0 type section. */
    public static List<DefType> of(List<FuncType> types) {
        List<DefType> out = new ArrayList<>(types.size());
        for (int i = 0; i < types.size(); i++) {
            out.add(of(types.get(i), i));
        }
        return out;
    }

    private static int[] codes(List<io.wasmudf.engine.ValType> ts) {
        int[] r = new int[ts.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = ts.get(i).code();
        }
        return r;
    }

    /**
     * Whether this is a 2.0-style function type: final, no super type, its own group, every
     * parameter and result a type {@link io.wasmudf.engine.ValType} names exactly. Its canonical id
     * is then its {@code FuncType}'s ({@code TypeIds}), as host functions have.
     */
    public boolean isPlain() {
        if (kind != FUNC || !isFinal || supers.length != 0 || groupSize != 1) {
            return false;
        }
        for (int[] codes : new int[][] {params, results}) {
            for (int c : codes) {
                if (c >= 0x100 || io.wasmudf.engine.ValType.fromCode(c) == null) {
                    return false;
                }
            }
        }
        return true;
    }

    public boolean isFunc() {
        return kind == FUNC;
    }

    /** The value type a field's storage type reads as (packed fields read as i32). */
    public static int unpacked(int storage) {
        return storage == I8 || storage == I16 ? 0x7F : storage;
    }
}
