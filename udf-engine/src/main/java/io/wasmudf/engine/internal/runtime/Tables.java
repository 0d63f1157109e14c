package io.wasmudf.engine.internal.runtime;

import io.wasmudf.engine.Table;
import io.wasmudf.engine.Trap;
import io.wasmudf.engine.TrapKind;
import io.wasmudf.engine.WasmFunction;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;

/** Table instructions and the {@code call_indirect} lookup, called from generated code. */
public final class Tables {
    private Tables() {}

    private static Trap oob() {
        return new Trap(TrapKind.OUT_OF_BOUNDS_TABLE_ACCESS);
    }

    /** Resolves a {@code call_indirect} target to its raw handle, trapping as the spec says. */
    public static MethodHandle indirect(int index, Table table, int typeId) {
        return Internals.rawHandle(target(index, table, typeId));
    }

    /**
     * Checks a {@code call_indirect} target as {@link #indirect} does; returns its function index
     * when it is a defined function of {@code instance} (the caller then calls that function's
     * method directly, as a {@code call} would), else -1 (the caller goes through {@link #indirect}).
     */
    public static int direct(int index, Table table, int typeId, Object instance) {
        return Internals.directIndex(target(index, table, typeId), instance);
    }

    /** The function element {@code index} of {@code table}, if it exists, is set and has type {@code typeId}; else the spec's trap. */
    private static WasmFunction target(int index, Table table, int typeId) {
        WasmFunction f = element(index, table);
        if (Internals.typeId(f) != typeId) {
            throw new Trap(TrapKind.INDIRECT_CALL_TYPE_MISMATCH);
        }
        return f;
    }

    /** The function element {@code index} of {@code table}, if it exists and is set; else the spec's trap. */
    private static WasmFunction element(int index, Table table) {
        Object[] elements = table.elements();
        if (index < 0 || index >= elements.length) {
            throw new Trap(TrapKind.UNDEFINED_ELEMENT);
        }
        Object ref = elements[index];
        if (ref == null) {
            throw new Trap(TrapKind.UNINITIALIZED_ELEMENT);
        }
        return (WasmFunction) ref;
    }

    /**
     * The {@code call_indirect} lookup for a 3.0 type (one that may have sub types, or uses typed
     * references): the element's type must be a subtype of type {@code typeIndex} of the caller's module.
     */
    public static MethodHandle indirectSub(int index, Table table, ModuleInstance self, int typeIndex) {
        return Internals.rawHandle(elementSub(index, table, self, typeIndex));
    }

    /**
     * The function {@link #indirectSub} resolves, checked the same way: the bridge of a
     * {@code return_call_indirect} of a 3.0 type hands it to the {@code return_call_ref} bridge,
     * which calls a same-instance callee's body (not its method, whose trampoline would nest).
     */
    public static WasmFunction elementSub(int index, Table table, ModuleInstance self, int typeIndex) {
        WasmFunction f = element(index, table);
        int id = Internals.typeId(f);
        int want = self.gcTypes[typeIndex].canon;
        if (id != want && !io.wasmudf.engine.internal.model.TypeCanon.isSubtype(
                io.wasmudf.engine.internal.model.TypeCode.concrete(false, id), io.wasmudf.engine.internal.model.TypeCode.concrete(false, want))) {
            throw new Trap(TrapKind.INDIRECT_CALL_TYPE_MISMATCH);
        }
        return f;
    }

    public static Object get(int index, Table table) {
        Object[] e = table.elements();
        if (index < 0 || index >= e.length) {
            throw oob();
        }
        return e[index];
    }

    public static void set(int index, Object value, Table table) {
        Object[] e = table.elements();
        if (index < 0 || index >= e.length) {
            throw oob();
        }
        e[index] = value;
    }

    public static int size(Table table) {
        return table.size();
    }

    public static int grow(Object init, int delta, Table table) {
        return table.grow(delta, init);
    }

    private static void check(int start, int len, int size) {
        if (Integer.toUnsignedLong(start) + Integer.toUnsignedLong(len) > size) {
            throw oob();
        }
    }

    public static void fill(int start, Object value, int len, Table table) {
        Object[] e = table.elements();
        check(start, len, e.length);
        Arrays.fill(e, start, start + len, value);
    }

    public static void copy(int d, int s, int n, Table dst, Table src) {
        Object[] de = dst.elements();
        Object[] se = src.elements();
        check(d, n, de.length);
        check(s, n, se.length);
        System.arraycopy(se, s, de, d, n);
    }

    public static void init(int d, int s, int n, Table table, Object[] segment) {
        Object[] e = table.elements();
        check(d, n, e.length);
        check(s, n, segment.length);
        System.arraycopy(segment, s, e, d, n);
    }
}
