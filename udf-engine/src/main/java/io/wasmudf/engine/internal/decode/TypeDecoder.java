package io.wasmudf.engine.internal.decode;

import static io.wasmudf.engine.internal.decode.ByteReader.malformed;

import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.WasmFeatures;
import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.DefType;
import io.wasmudf.engine.internal.model.GlobalType;
import io.wasmudf.engine.internal.model.Limits;
import io.wasmudf.engine.internal.model.MemoryType;
import io.wasmudf.engine.internal.model.TableType;
import io.wasmudf.engine.internal.model.TypeCode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the binary encodings of types: value and reference types (as precise {@link TypeCode}s),
 * recursion groups of function, struct and array types, table, memory and global types.
 */
final class TypeDecoder {
    private TypeDecoder() {}

    /**
     * The reference interpreter reads type bytes as 7-bit signed LEB128, so a byte with the
     * continuation bit set is "integer representation too long" rather than an unknown type.
     */
    private static int typeByte(ByteReader r) {
        int b = r.u8();
        if ((b & 0x80) != 0) {
            throw malformed("integer representation too long", r.pos());
        }
        return b;
    }

    /** A value type as a precise {@link TypeCode}. */
    static int valType(ByteReader r) {
        int at = r.pos();
        int b = typeByte(r);
        if (b >= ValType.V128.code() && b <= ValType.I32.code()) {
            return b;
        }
        if ((b > 0x70 && !isHeapByte(b)) || (!r.features.typedReferences() && !isTwoZeroRef(b))) {
            throw malformed("malformed value type", at);
        }
        return refType(r, b, at);
    }

    /** A reference type as a precise {@link TypeCode}. */
    static int refType(ByteReader r) {
        int at = r.pos();
        return refType(r, typeByte(r), at);
    }

    private static int refType(ByteReader r, int b, int at) {
        if (!r.features.typedReferences() && !isTwoZeroRef(b)) {
            throw malformed("malformed reference type", at);
        }
        if (b == 0x63 || b == 0x64) {
            return heapType(r, b == 0x63);
        }
        if (isHeapByte(b)) {
            return b;
        }
        throw malformed("malformed reference type", at);
    }

    /** 2.0's reference types: {@code funcref} and {@code externref}. */
    static boolean isTwoZeroRef(int b) {
        return b == 0x70 || b == 0x6F;
    }

    /** The abstract heap types (3.0, {@code exn}/{@code noexn} of exception handling included). */
    private static boolean isHeapByte(int b) {
        return TypeCode.isAbstractHeap(b);
    }

    /** A heap type (s33: a type index, or a negative abstract code) of a {@code (ref null? ht)}. */
    static int heapType(ByteReader r, boolean nullable) {
        int at = r.pos();
        long v = r.s33();
        if (v >= 0) {
            return TypeCode.concrete(nullable, (int) Math.min(v, MAX_TYPE_INDEX));
        }
        int b = (int) (v & 0x7F);
        if (v < -64 || !isHeapByte(b)) {
            throw malformed("malformed reference type", at);
        }
        return TypeCode.ref(nullable, b);
    }

    /** Type indices above this are clamped (no module has this many types: the validator reports it unknown). */
    private static final int MAX_TYPE_INDEX = (1 << 21) - 1;

    /**
     * One entry of the type section: a recursion group ({@code 0x4E}) or a single sub type,
     * appended to {@code out} as defined types; {@code funcs} gets each one's JVM-level signature.
     */
    static void recType(ByteReader r, List<DefType> out, List<FuncType> funcs, DecodedTypes families) {
        int start = out.size();
        int n = 1;
        // 2.0 has no recursion groups: the 0x4E is then read as a malformed function type
        boolean group = r.features.typedReferences() && r.peek() == 0x4E;
        if (group) {
            r.u8();
            n = r.len();
        }
        List<DefType> members = new ArrayList<>(ByteReader.initialCapacity(n));
        for (int i = 0; i < n; i++) {
            members.add(subType(r, start, n));
        }
        int[] kinds = new int[start + n];
        for (int i = 0; i < start; i++) {
            kinds[i] = out.get(i).kind();
        }
        for (int i = 0; i < n; i++) {
            kinds[start + i] = members.get(i).kind();
        }
        families.kinds(kinds);
        for (DefType d : members) {
            out.add(d);
            funcs.add(d.isFunc() ? new FuncType(jvm(d.params(), families), jvm(d.results(), families)) : NOT_A_FUNCTION);
        }
    }

    /** The JVM-level signature recorded for struct and array types, which no call can use. */
    private static final FuncType NOT_A_FUNCTION = new FuncType(List.of(), List.of());

    private static List<ValType> jvm(int[] codes, DecodedTypes families) {
        List<ValType> out = new ArrayList<>(codes.length);
        for (int c : codes) {
            out.add(families.jvm(c));
        }
        return out;
    }

    private static final int[] NONE = new int[0];

    private static DefType subType(ByteReader r, int groupStart, int groupSize) {
        int at = r.pos();
        int b = typeByte(r);
        if (!r.features.typedReferences() && b != DefType.FUNC) {
            throw malformed("malformed function type", at); // 2.0: no recursion groups, sub, struct or array types
        }
        boolean isFinal = true;
        int[] supers = NONE;
        if (b == 0x50 || b == 0x4F) {
            isFinal = b == 0x4F;
            int n = r.len();
            supers = new int[n];
            for (int i = 0; i < n; i++) {
                supers[i] = r.index();
            }
            at = r.pos();
            b = typeByte(r);
        }
        switch (b) {
            case DefType.FUNC: {
                int[] params = valTypes(r);
                int[] results = valTypes(r);
                return new DefType(DefType.FUNC, params, results, NONE, new boolean[0], supers, isFinal, groupStart, groupSize);
            }
            case DefType.STRUCT: {
                int n = r.len();
                int[] fields = new int[Math.min(n, 1 << 16)];
                boolean[] mutable = new boolean[fields.length];
                for (int i = 0; i < n; i++) {
                    if (i == fields.length) {
                        fields = java.util.Arrays.copyOf(fields, i * 2);
                        mutable = java.util.Arrays.copyOf(mutable, i * 2);
                    }
                    fields[i] = storageType(r);
                    mutable[i] = mutability(r);
                }
                if (fields.length != n) {
                    fields = java.util.Arrays.copyOf(fields, n);
                    mutable = java.util.Arrays.copyOf(mutable, n);
                }
                return new DefType(DefType.STRUCT, NONE, NONE, fields, mutable, supers, isFinal, groupStart, groupSize);
            }
            case DefType.ARRAY: {
                int field = storageType(r);
                boolean mut = mutability(r);
                return new DefType(DefType.ARRAY, NONE, NONE, new int[] {field}, new boolean[] {mut}, supers, isFinal,
                        groupStart, groupSize);
            }
            default:
                throw malformed("malformed function type", at);
        }
    }

    private static int storageType(ByteReader r) {
        int b = r.peek();
        if (b == DefType.I8 || b == DefType.I16) {
            r.u8();
            return b;
        }
        return valType(r);
    }

    private static boolean mutability(ByteReader r) {
        int at = r.pos();
        int mut = r.u8();
        if (mut > 1) {
            throw malformed("malformed mutability", at);
        }
        return mut == 1;
    }

    private static int[] valTypes(ByteReader r) {
        int n = r.len();
        int[] types = new int[Math.min(n, 1 << 16)];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (k == types.length) {
                types = java.util.Arrays.copyOf(types, k * 2);
            }
            types[k++] = valType(r);
        }
        return k == types.length ? types : java.util.Arrays.copyOf(types, k);
    }

    /** Limits; min/max range checks (e.g. 65536 pages) are the validator's job. */
    static Limits limits(ByteReader r, WasmFeatures features) {
        if (!features.memory64()) {
            // 2.0: the flag is a one-bit LEB128 ("integer too large" past 1) and both limits are u32
            long flags = r.varU(1);
            long min = r.varU(32);
            return new Limits(min, flags == 1 ? r.varU(32) : -1, false);
        }
        int at = r.pos();
        int flags = r.u8();
        // bit 0: a maximum follows; bit 2: 64-bit addresses (memory64/table64); others (bit 1 is
        // the threads proposal's "shared") are not in the 3.0 core
        if ((flags & ~0x05) != 0) {
            throw malformed("malformed limits flags", at);
        }
        boolean is64 = (flags & 0x04) != 0;
        // 3.0 encodes every limit as a u64 and leaves the range (65536 pages, 2^32-1 elements for
        // i32 addresses) to validation
        long min = r.varU(64);
        long max = (flags & 0x01) != 0 ? r.varU(64) : -1;
        // u64 values of 2^63 and more would read as negative: clamp, so they stay too large for
        // every range check (and a maximum never reads as absent)
        return new Limits(min < 0 ? Long.MAX_VALUE : min, max < -1 || (max == -1 && (flags & 0x01) != 0) ? Long.MAX_VALUE : max, is64);
    }

    static TableType tableType(ByteReader r, DecodedTypes families, WasmFeatures features) {
        int elem = refType(r);
        return new TableType(families.jvm(elem), limits(r, features), elem, null);
    }

    static MemoryType memoryType(ByteReader r, WasmFeatures features) {
        return new MemoryType(limits(r, features));
    }

    static GlobalType globalType(ByteReader r, DecodedTypes families) {
        int t = valType(r);
        return new GlobalType(families.jvm(t), mutability(r), t);
    }
}
