package io.wasmudf.engine.internal.decode;

import static io.wasmudf.engine.internal.decode.ByteReader.malformed;

import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.SimdOpcodes;

/**
 * Decodes the immediates of a {@code 0xFD}-prefixed vector instruction by its {@link
 * SimdOpcodes.Kind}. Fields (see {@link Instruction}): memory accesses keep the alignment exponent
 * in {@code a}, the offset in {@code c} and a memory index other than 0 as {@code labels[0]}
 * ({@link SimdOpcodes#memory}), lane instructions the lane in {@code b}; the 16 bytes
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
                long flags = flags(r);
                int[] memory = memory(r, flags);
                return new Instruction(op, (int) (flags & 0x3F), 0, r.varU(64), memory); // u64 since 3.0; the validator checks the range
            }
            case LOAD_LANE: case STORE_LANE: {
                long flags = flags(r);
                int[] memory = memory(r, flags);
                long offset = r.varU(64);
                return new Instruction(op, (int) (flags & 0x3F), r.u8(), offset, memory);
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

    /** The flags of a memarg: the alignment exponent, plus 0x40 when a memory index follows (multi-memory). */
    private static long flags(ByteReader r) {
        int at = r.pos();
        long flags = r.varU(32);
        if (flags >= 0x80 || (flags & 0x3F) >= 32) {
            throw malformed("malformed memop flags", at);
        }
        return flags;
    }

    /** The memory index that follows flags with bit 6 set, as {@code labels}: null for memory 0. */
    private static int[] memory(ByteReader r, long flags) {
        if (flags < 0x40) {
            return null;
        }
        int memory = r.index();
        return memory == 0 ? null : new int[] {memory};
    }
}
