package io.wasmudf.engine.internal.validate;

import static io.wasmudf.engine.internal.validate.ValueTypes.I32;
import static io.wasmudf.engine.internal.validate.ValueTypes.V128;

import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.SimdOpcodes;

/**
 * Typing of the vector instructions: operand and result types by {@link SimdOpcodes.Kind} (the
 * scalar of a splat, extract or replace by its shape), and the checks of their immediates (lane
 * indices, alignment).
 */
final class SimdSignatures {
    private SimdSignatures() {}

    private static final int[] NONE = {};
    private static final int[] V = {V128};
    private static final int[] VV = {V128, V128};
    private static final int[] VVV = {V128, V128, V128};
    private static final int[] I = {I32};
    private static final int[] IV = {I32, V128};
    private static final int[] VI = {V128, I32};

    /**
     * The reason (in the spec suite's wording) an instruction's immediates are invalid, or null;
     * {@code address32}: a memory access's memory has i32 addresses (offsets then fit u32).
     */
    static String check(Instruction in, boolean address32) {
        int op = in.opcode();
        switch (SimdOpcodes.kind(op)) {
            case LOAD: case STORE:
                return alignment(in, address32);
            case LOAD_LANE: case STORE_LANE: {
                String a = alignment(in, address32);
                return a != null ? a : lane(in.b(), SimdOpcodes.lanes(op));
            }
            case EXTRACT: case REPLACE:
                return lane(in.b(), SimdOpcodes.lanes(op));
            case SHUFFLE: {
                long hi = SimdOpcodes.high(in);
                for (int i = 0; i < 8; i++) {
                    if ((in.c() >>> (8 * i) & 0xFF) >= 32 || (hi >>> (8 * i) & 0xFF) >= 32) {
                        return "invalid lane index";
                    }
                }
                return null;
            }
            default:
                return null;
        }
    }

    private static String alignment(Instruction in, boolean address32) {
        if (in.a() > SimdOpcodes.widthLog2(in.opcode())) {
            return "alignment must not be larger than natural";
        }
        // offsets are u64 in the binary since 3.0; a memory with i32 addresses takes u32 ones
        return address32 && (in.c() < 0 || in.c() > 0xFFFF_FFFFL) ? "offset out of range" : null;
    }

    private static String lane(int lane, int lanes) {
        return lane >= lanes ? "invalid lane index" : null;
    }

    /** Operand types, bottom first; {@code address}: the address type of a memory access's memory. */
    static int[] params(Instruction in, int address) {
        int op = in.opcode();
        switch (SimdOpcodes.kind(op)) {
            case LOAD: return address == I32 ? I : new int[] {address};
            case STORE: case LOAD_LANE: case STORE_LANE: return address == I32 ? IV : new int[] {address, V128};
            case CONST: return NONE;
            case SPLAT: return new int[] {SimdOpcodes.scalar(op).code()};
            case REPLACE: return new int[] {V128, SimdOpcodes.scalar(op).code()};
            case SHIFT: return VI;
            case TERNARY: return VVV;
            case SHUFFLE: case BINARY: return VV;
            default: return V; // EXTRACT, UNARY, TEST
        }
    }

    static int[] results(Instruction in) {
        int op = in.opcode();
        switch (SimdOpcodes.kind(op)) {
            case STORE: case STORE_LANE: return NONE;
            case EXTRACT: return new int[] {SimdOpcodes.scalar(op).code()};
            case TEST: return I;
            default: return V;
        }
    }
}
