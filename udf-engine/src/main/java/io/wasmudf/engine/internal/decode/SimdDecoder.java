package io.wasmudf.engine.internal.decode;

import static io.wasmudf.engine.internal.decode.ByteReader.malformed;

import io.wasmudf.engine.UnsupportedFeatureException;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.SimdOpcodes;

/**
 * Decodes the immediates of a {@code 0xFD}-prefixed vector instruction by its {@link
 * SimdOpcodes.Kind}. Fields (see {@link Instruction}): memory accesses keep the alignment exponent
 * in {@code a} and the offset in {@code c}, lane instructions the lane in {@code b}; the 16 bytes
 * of {@code v128.const} and {@code i8x16.shuffle} are {@code c} (bytes 0-7) and {@code a:b}
 * (bytes 8-15, {@code a} the high half). Lane ranges and alignment are the validator's to check.
 */
final class SimdDecoder {
    private SimdDecoder() {}

    static Instruction instruction(ByteReader r, int at) {
        long sub = r.varU(32);
        if (!SimdOpcodes.isAssigned(sub)) {
            throw malformed("illegal opcode", at);
        }
        int op = SimdOpcodes.BASE + (int) sub;
        switch (SimdOpcodes.kind(op)) {
            case LOAD: case STORE: {
                int align = align(r);
                return new Instruction(op, align, 0, r.varU(64), null); // u64 since 3.0; the validator checks the range
            }
            case LOAD_LANE: case STORE_LANE: {
                int align = align(r);
                long offset = r.varU(64);
                return new Instruction(op, align, r.u8(), offset, null);
            }
            case EXTRACT: case REPLACE:
                return new Instruction(op, 0, r.u8(), 0, null);
            case CONST: case SHUFFLE: {
                long lo = r.fixed64();
                long hi = r.fixed64();
                return new Instruction(op, (int) (hi >>> 32), (int) hi, lo, null);
            }
            default:
                return Instruction.of(op);
        }
    }

    /** The alignment of a memarg; a memory index (multi-memory's flag 0x40) other than 0 is not supported. */
    private static int align(ByteReader r) {
        int at = r.pos();
        long align = r.varU(32);
        if (align >= 0x40 && align < 0x80) {
            align -= 0x40;
            if (r.index() != 0) {
                throw new UnsupportedFeatureException("SIMD access to a memory other than memory 0 not supported", at);
            }
        }
        if (align >= 32) {
            throw malformed("malformed memop flags", at);
        }
        return (int) align;
    }
}
