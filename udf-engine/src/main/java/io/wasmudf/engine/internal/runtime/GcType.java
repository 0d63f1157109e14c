package io.wasmudf.engine.internal.runtime;

import io.wasmudf.engine.internal.model.DefType;
import io.wasmudf.engine.internal.model.TypeCode;

/**
 * The runtime type of a GC object (3.0): its defined type's canonical id (casts compare those
 * across modules) and, for structs, where each field lives: numbers (as raw bits) in a
 * {@code long[]}, references and v128 values (immutable {@code V128} objects) in an {@code Object[]},
 * {@code slot[k]} the index in its array.
 */
public final class GcType {
    public final int canon;
    public final int kind;
    /** Storage type per field (one for an array): a value type code, or {@link DefType#I8}/{@link DefType#I16}. */
    public final int[] storage;
    public final int[] slot;
    public final int numSlots;
    public final int refSlots;
    /** Bytes charged to the GC budget for the fields: 8 a field, 16 a v128 one. */
    final long fieldBytes;
    public GcType(DefType d, int canon) {
        this.canon = canon;
        this.kind = d.kind();
        this.storage = d.fields();
        this.slot = new int[storage.length];
        int nums = 0;
        int refs = 0;
        long bytes = 0;
        for (int k = 0; k < storage.length; k++) {
            slot[k] = heldAsObject(storage[k]) ? refs++ : nums++;
            bytes += storage[k] == V128 ? 16 : 8;
        }
        this.fieldBytes = bytes;
        this.numSlots = nums;
        this.refSlots = refs;
    }

    private static final int V128 = io.wasmudf.engine.ValType.V128.code();

    /** Whether a field or element of this storage type lives in {@code refs}: references and v128 values. */
    public static boolean heldAsObject(int storage) {
        return TypeCode.isRef(storage) || storage == V128;
    }

    boolean isRefArray() {
        return heldAsObject(storage[0]);
    }

    boolean isV128Array() {
        return storage[0] == V128;
    }

    /** Bytes of one array element in a data segment. */
    int elementBytes() {
        switch (storage[0]) {
            case DefType.I8: return 1;
            case DefType.I16: return 2;
            case 0x7F: case 0x7D: return 4;
            case 0x7B: return 16;
            default: return 8;
        }
    }
}
