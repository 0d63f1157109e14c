package io.wasmudf.engine.internal.runtime;

import io.wasmudf.engine.Trap;
import io.wasmudf.engine.TrapKind;
import io.wasmudf.engine.V128;
import io.wasmudf.engine.WasmFunction;
import io.wasmudf.engine.internal.model.DefType;
import io.wasmudf.engine.internal.model.TypeCanon;
import io.wasmudf.engine.internal.model.TypeCode;

/** The GC instructions (3.0), called from generated code; numbers travel as raw bits. */
public final class Gc {
    private Gc() {}

    private static final int HEADER_BYTES = 16;

    private static void charge(ModuleInstance self, long bytes) {
        if ((self.gcBudget -= bytes) < 0) {
            self.gcBudget += bytes;
            throw new Trap(TrapKind.GC_MEMORY_EXHAUSTED);
        }
    }

    // ---- structs

    public static Object structNew(ModuleInstance self, int typeIndex) {
        GcType t = self.gcTypes[typeIndex];
        charge(self, HEADER_BYTES * 3L + t.fieldBytes);
        return new GcStruct(t);
    }

    private static GcStruct struct(Object ref) {
        if (ref == null) {
            throw new Trap(TrapKind.NULL_STRUCTURE_REFERENCE);
        }
        return (GcStruct) ref;
    }

    public static long getBits(Object ref, int slot) {
        return struct(ref).nums[slot];
    }

    public static Object getRef(Object ref, int slot) {
        return struct(ref).refs[slot];
    }

    public static void setBits(Object ref, long bits, int slot) {
        struct(ref).nums[slot] = bits;
    }

    public static void setRef(Object ref, Object value, int slot) {
        struct(ref).refs[slot] = value;
    }

    // ---- arrays

    public static Object arrayNew(int length, ModuleInstance self, int typeIndex) {
        if (length < 0) {
            // a length the JVM cannot allocate is also beyond any memory limit
            throw new Trap(TrapKind.GC_MEMORY_EXHAUSTED);
        }
        GcType t = self.gcTypes[typeIndex];
        charge(self, HEADER_BYTES * 2L + (t.isV128Array() ? 16L : 8L) * length);
        return new GcArray(t, length);
    }

    public static Object arrayNewBits(long bits, int length, ModuleInstance self, int typeIndex) {
        GcArray a = (GcArray) arrayNew(length, self, typeIndex);
        java.util.Arrays.fill(a.nums, bits);
        return a;
    }

    public static Object arrayNewRef(Object value, int length, ModuleInstance self, int typeIndex) {
        GcArray a = (GcArray) arrayNew(length, self, typeIndex);
        java.util.Arrays.fill(a.refs, value);
        return a;
    }

    private static GcArray array(Object ref) {
        if (ref == null) {
            throw new Trap(TrapKind.NULL_ARRAY_REFERENCE);
        }
        return (GcArray) ref;
    }

    private static void check(long index, long count, int length) {
        if (index < 0 || count < 0 || index + count > length) {
            throw new Trap(TrapKind.OUT_OF_BOUNDS_ARRAY_ACCESS);
        }
    }

    public static long arrayGetBits(Object ref, int index) {
        GcArray a = array(ref);
        check(Integer.toUnsignedLong(index), 1, a.nums.length);
        return a.nums[index];
    }

    public static Object arrayGetRef(Object ref, int index) {
        GcArray a = array(ref);
        check(Integer.toUnsignedLong(index), 1, a.refs.length);
        return a.refs[index];
    }

    public static void arraySetBits(Object ref, int index, long bits) {
        GcArray a = array(ref);
        check(Integer.toUnsignedLong(index), 1, a.nums.length);
        a.nums[index] = bits;
    }

    public static void arraySetRef(Object ref, int index, Object value) {
        GcArray a = array(ref);
        check(Integer.toUnsignedLong(index), 1, a.refs.length);
        a.refs[index] = value;
    }

    public static int arrayLen(Object ref) {
        return array(ref).length();
    }

    public static void arrayFillBits(Object ref, int offset, long bits, int n) {
        GcArray a = array(ref);
        check(Integer.toUnsignedLong(offset), Integer.toUnsignedLong(n), a.nums.length);
        java.util.Arrays.fill(a.nums, offset, offset + n, bits);
    }

    public static void arrayFillRef(Object ref, int offset, Object value, int n) {
        GcArray a = array(ref);
        check(Integer.toUnsignedLong(offset), Integer.toUnsignedLong(n), a.refs.length);
        java.util.Arrays.fill(a.refs, offset, offset + n, value);
    }

    public static void arrayCopy(Object dst, int d, Object src, int s, int n) {
        GcArray da = array(dst);
        GcArray sa = array(src);
        check(Integer.toUnsignedLong(d), Integer.toUnsignedLong(n), da.length());
        check(Integer.toUnsignedLong(s), Integer.toUnsignedLong(n), sa.length());
        if (da.nums != null) {
            System.arraycopy(sa.nums, s, da.nums, d, n);
        } else {
            System.arraycopy(sa.refs, s, da.refs, d, n);
        }
    }

    /** The elements of data segment {@code data} from byte {@code offset}, as the array's element type reads them. */
    private static long[] dataElements(ModuleInstance self, GcType t, int data, int offset, int n) {
        byte[] bytes = self.data[data];
        int size = t.elementBytes();
        long from = Integer.toUnsignedLong(offset);
        long count = Integer.toUnsignedLong(n);
        if (from + count * size > bytes.length) {
            throw new Trap(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS);
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long v = 0;
            int at = (int) from + i * size;
            for (int b = Math.min(size, 8) - 1; b >= 0; b--) {
                v = (v << 8) | (bytes[at + b] & 0xFF);
            }
            out[i] = v;
        }
        return out;
    }

    /** The v128 elements of data segment {@code data} from byte {@code offset}: 16 bytes each, little-endian. */
    private static V128[] dataVectors(ModuleInstance self, int data, int offset, int n) {
        byte[] bytes = self.data[data];
        long from = Integer.toUnsignedLong(offset);
        if (from + Integer.toUnsignedLong(n) * 16 > bytes.length) {
            throw new Trap(TrapKind.OUT_OF_BOUNDS_MEMORY_ACCESS);
        }
        V128[] out = new V128[n];
        for (int i = 0; i < n; i++) {
            int at = (int) from + i * 16;
            out[i] = V128.ofBytes(java.util.Arrays.copyOfRange(bytes, at, at + 16));
        }
        return out;
    }

    public static Object arrayNewData(int offset, int n, ModuleInstance self, int typeIndex, int data) {
        GcType t = self.gcTypes[typeIndex];
        if (t.isV128Array()) {
            V128[] vectors = dataVectors(self, data, offset, n);
            GcArray a = (GcArray) arrayNew(n, self, typeIndex);
            System.arraycopy(vectors, 0, a.refs, 0, n);
            return a;
        }
        long[] elements = dataElements(self, t, data, offset, n);
        GcArray a = (GcArray) arrayNew(n, self, typeIndex);
        System.arraycopy(elements, 0, a.nums, 0, n);
        return a;
    }

    public static Object arrayNewElem(int offset, int n, ModuleInstance self, int typeIndex, int elem) {
        Object[] seg = self.elements[elem];
        if (Integer.toUnsignedLong(offset) + Integer.toUnsignedLong(n) > seg.length) {
            throw new Trap(TrapKind.OUT_OF_BOUNDS_TABLE_ACCESS);
        }
        GcArray a = (GcArray) arrayNew(n, self, typeIndex);
        System.arraycopy(seg, offset, a.refs, 0, n);
        return a;
    }

    public static void arrayInitData(Object ref, int d, int s, int n, ModuleInstance self, int data) {
        GcArray a = array(ref);
        if (a.type.isV128Array()) {
            check(Integer.toUnsignedLong(d), Integer.toUnsignedLong(n), a.refs.length);
            V128[] vectors = dataVectors(self, data, s, n);
            System.arraycopy(vectors, 0, a.refs, d, n);
            return;
        }
        check(Integer.toUnsignedLong(d), Integer.toUnsignedLong(n), a.nums.length);
        long[] elements = dataElements(self, a.type, data, s, n);
        System.arraycopy(elements, 0, a.nums, d, n);
    }

    public static void arrayInitElem(Object ref, int d, int s, int n, ModuleInstance self, int elem) {
        GcArray a = array(ref);
        check(Integer.toUnsignedLong(d), Integer.toUnsignedLong(n), a.refs.length);
        Object[] seg = self.elements[elem];
        if (Integer.toUnsignedLong(s) + Integer.toUnsignedLong(n) > seg.length) {
            throw new Trap(TrapKind.OUT_OF_BOUNDS_TABLE_ACCESS);
        }
        System.arraycopy(seg, s, a.refs, d, n);
    }

    // ---- i31

    public static Object i31(int value) {
        return new GcI31(value);
    }

    public static int i31GetS(Object ref) {
        if (ref == null) {
            throw new Trap(TrapKind.NULL_I31_REFERENCE);
        }
        return (((GcI31) ref).bits << 1) >> 1;
    }

    public static int i31GetU(Object ref) {
        if (ref == null) {
            throw new Trap(TrapKind.NULL_I31_REFERENCE);
        }
        return ((GcI31) ref).bits;
    }

    // ---- casts

    /** {@code ref.test}: whether {@code ref} is of {@code code}, a precise type of the instance's module. */
    public static int test(Object ref, ModuleInstance self, int code) {
        if (ref == null) {
            return TypeCode.isNullable(code) ? 1 : 0;
        }
        int heap = TypeCode.heapOf(code);
        if (TypeCode.isConcrete(heap)) {
            GcType target = self.gcTypes[TypeCode.typeIndex(heap)];
            if (target.kind == DefType.FUNC) {
                return ref instanceof WasmFunction f && TypeCanon.isSubtype(TypeCode.concrete(false, Internals.typeId(f)),
                        TypeCode.concrete(false, target.canon)) ? 1 : 0;
            }
            GcType actual = ref instanceof GcStruct s ? s.type : ref instanceof GcArray a ? a.type : null;
            return actual != null && TypeCanon.isSubtype(TypeCode.concrete(false, actual.canon),
                    TypeCode.concrete(false, target.canon)) ? 1 : 0;
        }
        switch (heap) {
            case TypeCode.ANY: case TypeCode.EXTERN: case TypeCode.FUNC: return 1;
            case TypeCode.EQ: return ref instanceof GcStruct || ref instanceof GcArray || ref instanceof GcI31 ? 1 : 0;
            case TypeCode.I31: return ref instanceof GcI31 ? 1 : 0;
            case TypeCode.STRUCT: return ref instanceof GcStruct ? 1 : 0;
            case TypeCode.ARRAY: return ref instanceof GcArray ? 1 : 0;
            default: return 0; // the bottom types hold null only
        }
    }

    public static Object cast(Object ref, ModuleInstance self, int code) {
        if (test(ref, self, code) == 0) {
            throw new Trap(TrapKind.CAST_FAILURE);
        }
        return ref;
    }
}
