package io.wasmudf.engine.internal.model;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Iso-recursive type equivalence (3.0): each defined type gets a JVM-wide id, equal for two types
 * exactly when their recursion groups are structurally identical and they sit at the same place in
 * them. A group is written out as a string in which references to earlier groups are their ids and
 * references inside the group their relative index, so interning the strings canonicalises.
 */
public final class TypeCanon {
    private static final ConcurrentHashMap<String, Integer> IDS = new ConcurrentHashMap<>();
    /** Per canonical id: its kind and its declared super type's id (-1 for none), for {@link #isSubtype}. */
    private static final ConcurrentHashMap<Integer, int[]> INFO = new ConcurrentHashMap<>();

    private TypeCanon() {}

    /**
     * The canonical id of each type index of {@code types}; a reference to a type after its own
     * group (invalid, reported by the validator) is written as unknown.
     */
    public static int[] ids(List<DefType> types) {
        int[] ids = new int[types.size()];
        int i = 0;
        while (i < types.size()) {
            DefType first = types.get(i);
            int start = first.groupStart();
            int n = Math.max(1, first.groupSize());
            StringBuilder group = new StringBuilder();
            for (int k = start; k < start + n && k < types.size(); k++) {
                write(types.get(k), start, n, ids, group);
            }
            String key = group.toString();
            for (int k = 0; k < n && start + k < types.size(); k++) {
                DefType t = types.get(start + k);
                ids[start + k] = t.isPlain() ? io.wasmudf.engine.internal.runtime.TypeIds.of(plain(t)) : intern(key + "@" + k);
            }
            for (int k = 0; k < n && start + k < types.size(); k++) {
                DefType t = types.get(start + k);
                int[] supers = t.supers();
                int sup = supers.length == 1 && supers[0] < start + k ? ids[supers[0]] : -1;
                INFO.putIfAbsent(ids[start + k], new int[] {t.kind(), sup});
            }
            i = start + n;
        }
        return ids;
    }

    /**
     * A module's precise type with its type index replaced by the canonical id, so it means the
     * same in every module (imports and exports are matched this way).
     */
    public static int canonical(int code, int[] ids) {
        if (!TypeCode.isConcrete(code)) {
            return code;
        }
        int i = TypeCode.typeIndex(code);
        return TypeCode.concrete(TypeCode.isNullable(code), i < ids.length ? ids[i] : (1 << 21) - 1);
    }

    /** {@code a <: b} for canonical codes ({@link #canonical}). */
    public static boolean isSubtype(int a, int b) {
        if (a == b) {
            return true;
        }
        if (!TypeCode.isRef(a) || !TypeCode.isRef(b) || TypeCode.isNullable(a) && !TypeCode.isNullable(b)) {
            return false;
        }
        int ha = TypeCode.heapOf(a);
        int hb = TypeCode.heapOf(b);
        if (ha == hb) {
            return true;
        }
        int[] ia = TypeCode.isConcrete(ha) ? INFO.get(TypeCode.typeIndex(ha)) : null;
        int[] ib = TypeCode.isConcrete(hb) ? INFO.get(TypeCode.typeIndex(hb)) : null;
        if (TypeCode.isConcrete(ha) && TypeCode.isConcrete(hb)) {
            int target = TypeCode.typeIndex(hb);
            for (int id = TypeCode.typeIndex(ha), guard = 0; id >= 0 && guard < 1_000_000; guard++) {
                if (id == target) {
                    return true;
                }
                int[] info = INFO.get(id);
                id = info == null ? -1 : info[1];
            }
            return false;
        }
        if (ia != null) {
            return TypeCode.abstractSubtype(ia[0] == DefType.FUNC ? TypeCode.FUNC : ia[0] == DefType.STRUCT ? TypeCode.STRUCT : TypeCode.ARRAY, hb);
        }
        if (ib != null) {
            return ha == (ib[0] == DefType.FUNC ? TypeCode.NOFUNC : TypeCode.NONE);
        }
        return TypeCode.abstractSubtype(ha, hb);
    }

    private static io.wasmudf.engine.FuncType plain(DefType t) {
        java.util.List<io.wasmudf.engine.ValType> p = new java.util.ArrayList<>();
        for (int c : t.params()) {
            p.add(io.wasmudf.engine.ValType.fromCode(c));
        }
        java.util.List<io.wasmudf.engine.ValType> r = new java.util.ArrayList<>();
        for (int c : t.results()) {
            r.add(io.wasmudf.engine.ValType.fromCode(c));
        }
        return new io.wasmudf.engine.FuncType(p, r);
    }

    private static int intern(String key) {
        Integer id = IDS.get(key);
        if (id == null) {
            synchronized (IDS) {
                id = IDS.get(key);
                if (id == null) {
                    id = io.wasmudf.engine.internal.runtime.TypeIds.next();
                    IDS.put(key, id);
                }
            }
        }
        return id;
    }

    private static void write(DefType t, int start, int n, int[] ids, StringBuilder out) {
        out.append(t.isFinal() ? "(F" : "(S");
        for (int s : t.supers()) {
            out.append(' ');
            ref(s, start, n, ids, out);
        }
        out.append(' ').append(t.kind());
        codes(t.params(), start, n, ids, out);
        out.append(" >");
        codes(t.results(), start, n, ids, out);
        out.append(" |");
        for (int k = 0; k < t.fields().length; k++) {
            out.append(t.mutable()[k] ? " m" : " ");
            code(t.fields()[k], start, n, ids, out);
        }
        out.append(')');
    }

    private static void codes(int[] cs, int start, int n, int[] ids, StringBuilder out) {
        for (int c : cs) {
            out.append(' ');
            code(c, start, n, ids, out);
        }
    }

    private static void code(int c, int start, int n, int[] ids, StringBuilder out) {
        if (!TypeCode.isConcrete(c)) {
            out.append(Integer.toHexString(c));
            return;
        }
        out.append(TypeCode.isNullable(c) ? "n" : "r");
        ref(TypeCode.typeIndex(c), start, n, ids, out);
    }

    private static void ref(int index, int start, int n, int[] ids, StringBuilder out) {
        if (index < start) {
            out.append('g').append(ids[index]);
        } else if (index < start + n) {
            out.append('l').append(index - start);
        } else {
            out.append('?');
        }
    }
}
