package io.wasmudf.engine.internal.text;

import java.util.Arrays;

/**
 * One defined type (a sub type of a recursion group): its composite type with value types
 * already encoded, field names for structs, and what the binary type section needs.
 */
final class TypeDef {
    static final int FUNC = 0x60;
    static final int STRUCT = 0x5F;
    static final int ARRAY = 0x5E;

    final int kind;
    final boolean isFinal;
    final int[] supers;
    /** Parameters and results of a function type; fields of a struct or array (storage type + mut). */
    final byte[][] params;
    final byte[][] results;
    final byte[][] fields;
    final Space fieldNames;
    /** Index of the first type of its recursion group and the group's size (1 for a plain type). */
    int groupStart;
    int groupSize = 1;

    private TypeDef(int kind, boolean isFinal, int[] supers, byte[][] params, byte[][] results,
            byte[][] fields, Space fieldNames) {
        this.kind = kind;
        this.isFinal = isFinal;
        this.supers = supers;
        this.params = params;
        this.results = results;
        this.fields = fields;
        this.fieldNames = fieldNames;
    }

    static TypeDef func(boolean isFinal, int[] supers, byte[][] params, byte[][] results) {
        return new TypeDef(FUNC, isFinal, supers, params, results, null, null);
    }

    static TypeDef aggregate(int kind, boolean isFinal, int[] supers, byte[][] fields, Space names) {
        return new TypeDef(kind, isFinal, supers, null, null, fields, names);
    }

    /** Whether an inline type use {@code (param ...) (result ...)} may denote this type. */
    boolean isPlainFunc(byte[][] p, byte[][] r) {
        return kind == FUNC && isFinal && supers.length == 0 && groupSize == 1
                && sameTypes(params, p) && sameTypes(results, r);
    }

    static boolean sameTypes(byte[][] a, byte[][] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int k = 0; k < a.length; k++) {
            if (!Arrays.equals(a[k], b[k])) {
                return false;
            }
        }
        return true;
    }

    /** The sub type's encoding (without the recursion group prefix). */
    void encode(ByteBuf out) {
        if (!isFinal || supers.length > 0) {
            out.u8(isFinal ? 0x4F : 0x50).u32(supers.length);
            for (int s : supers) {
                out.u32(s);
            }
        }
        out.u8(kind);
        if (kind == FUNC) {
            vec(out, params);
            vec(out, results);
        } else if (kind == STRUCT) {
            vec(out, fields);
        } else {
            out.bytes(fields[0]);
        }
    }

    private static void vec(ByteBuf out, byte[][] items) {
        out.u32(items.length);
        for (byte[] item : items) {
            out.bytes(item);
        }
    }
}
