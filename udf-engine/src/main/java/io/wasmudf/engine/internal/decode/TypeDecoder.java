package io.wasmudf.engine.internal.decode;

import static io.wasmudf.engine.internal.decode.ByteReader.malformed;

import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.UnsupportedFeatureException;
import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.GlobalType;
import io.wasmudf.engine.internal.model.Limits;
import io.wasmudf.engine.internal.model.MemoryType;
import io.wasmudf.engine.internal.model.TableType;
import java.util.ArrayList;
import java.util.List;

/** Reads the binary encodings of types: value, reference, function, table, memory and global types. */
final class TypeDecoder {
    private TypeDecoder() {}

    static final String SIMD_NOT_SUPPORTED = "SIMD not supported";

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

    static ValType valType(ByteReader r) {
        int at = r.pos();
        int b = typeByte(r);
        ValType t = ValType.fromCode(b);
        if (t == ValType.V128) {
            throw new UnsupportedFeatureException(SIMD_NOT_SUPPORTED, at);
        }
        if (t == null) {
            // Bytes below the numeric/vector range are where reference types live.
            throw malformed(b <= 0x70 ? "malformed reference type" : "malformed value type", at);
        }
        return t;
    }

    static ValType refType(ByteReader r) {
        int at = r.pos();
        int b = typeByte(r);
        if (b == 0x70) {
            return ValType.FUNCREF;
        }
        if (b == 0x6F) {
            return ValType.EXTERNREF;
        }
        throw malformed("malformed reference type", at);
    }

    static FuncType funcType(ByteReader r) {
        int at = r.pos();
        if (typeByte(r) != 0x60) {
            throw malformed("malformed function type", at);
        }
        List<ValType> params = valTypes(r);
        List<ValType> results = valTypes(r);
        return new FuncType(params, results);
    }

    private static List<ValType> valTypes(ByteReader r) {
        int n = r.len();
        List<ValType> types = new ArrayList<>(ByteReader.initialCapacity(n));
        for (int i = 0; i < n; i++) {
            types.add(valType(r));
        }
        return types;
    }

    /** Limits; min/max range checks (e.g. 65536 pages) are the validator's job. */
    static Limits limits(ByteReader r) {
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

    static TableType tableType(ByteReader r) {
        ValType elem = refType(r);
        return new TableType(elem, limits(r));
    }

    static MemoryType memoryType(ByteReader r) {
        return new MemoryType(limits(r));
    }

    static GlobalType globalType(ByteReader r) {
        ValType t = valType(r);
        int at = r.pos();
        int mut = r.u8();
        if (mut > 1) {
            throw malformed("malformed mutability", at);
        }
        return new GlobalType(t, mut == 1);
    }
}
