package io.wasmudf.engine.internal.model;

import io.wasmudf.engine.ValType;

/**
 * The {@code 0xFD}-prefixed vector instructions (Wasm 2.0 SIMD and 3.0 relaxed SIMD) as one table:
 * an instruction's {@link Instruction#opcode()} is {@link #BASE} plus its sub-opcode, and its
 * {@link Kind} (derived once from the text name) says its immediates, operand types and, for memory
 * accesses, its width. Decoder, validator and compiler all read this table instead of switching
 * on 260 opcodes each.
 */
public final class SimdOpcodes {
    private SimdOpcodes() {}

    /** Added to a sub-opcode to make the instruction's opcode (beyond every other opcode in use). */
    public static final int BASE = 0xFD000;
    /** Sub-opcodes at or above this are not instructions. */
    public static final int LIMIT = 276;

    public static final int V128_CONST = BASE + 12;
    public static final int I8X16_SHUFFLE = BASE + 13;

    /** What an instruction takes and leaves on the stack, and which immediates it has. */
    public enum Kind {
        /** memarg; i32 -> v128. */
        LOAD,
        /** memarg; i32 v128 -> . */
        STORE,
        /** memarg, lane; i32 v128 -> v128. */
        LOAD_LANE,
        /** memarg, lane; i32 v128 -> . */
        STORE_LANE,
        /** 16 bytes; -> v128. */
        CONST,
        /** 16 lane bytes below 32; v128 v128 -> v128. */
        SHUFFLE,
        /** scalar -> v128. */
        SPLAT,
        /** lane; v128 -> scalar. */
        EXTRACT,
        /** lane; v128 scalar -> v128. */
        REPLACE,
        /** v128 -> v128. */
        UNARY,
        /** v128 v128 -> v128. */
        BINARY,
        /** v128 v128 v128 -> v128. */
        TERNARY,
        /** v128 -> i32. */
        TEST,
        /** v128 i32 -> v128. */
        SHIFT
    }

    private static final String[] NAMES = {
        "v128.load", "v128.load8x8_s", "v128.load8x8_u", "v128.load16x4_s", "v128.load16x4_u",
        "v128.load32x2_s", "v128.load32x2_u", "v128.load8_splat", "v128.load16_splat", "v128.load32_splat",
        "v128.load64_splat", "v128.store", "v128.const", "i8x16.shuffle", "i8x16.swizzle", "i8x16.splat",
        "i16x8.splat", "i32x4.splat", "i64x2.splat", "f32x4.splat", "f64x2.splat", "i8x16.extract_lane_s",
        "i8x16.extract_lane_u", "i8x16.replace_lane", "i16x8.extract_lane_s", "i16x8.extract_lane_u",
        "i16x8.replace_lane", "i32x4.extract_lane", "i32x4.replace_lane", "i64x2.extract_lane",
        "i64x2.replace_lane", "f32x4.extract_lane", "f32x4.replace_lane", "f64x2.extract_lane",
        "f64x2.replace_lane", "i8x16.eq", "i8x16.ne", "i8x16.lt_s", "i8x16.lt_u", "i8x16.gt_s", "i8x16.gt_u",
        "i8x16.le_s", "i8x16.le_u", "i8x16.ge_s", "i8x16.ge_u", "i16x8.eq", "i16x8.ne", "i16x8.lt_s",
        "i16x8.lt_u", "i16x8.gt_s", "i16x8.gt_u", "i16x8.le_s", "i16x8.le_u", "i16x8.ge_s", "i16x8.ge_u",
        "i32x4.eq", "i32x4.ne", "i32x4.lt_s", "i32x4.lt_u", "i32x4.gt_s", "i32x4.gt_u", "i32x4.le_s",
        "i32x4.le_u", "i32x4.ge_s", "i32x4.ge_u", "f32x4.eq", "f32x4.ne", "f32x4.lt", "f32x4.gt", "f32x4.le",
        "f32x4.ge", "f64x2.eq", "f64x2.ne", "f64x2.lt", "f64x2.gt", "f64x2.le", "f64x2.ge", "v128.not",
        "v128.and", "v128.andnot", "v128.or", "v128.xor", "v128.bitselect", "v128.any_true",
        "v128.load8_lane", "v128.load16_lane", "v128.load32_lane", "v128.load64_lane", "v128.store8_lane",
        "v128.store16_lane", "v128.store32_lane", "v128.store64_lane", "v128.load32_zero", "v128.load64_zero",
        "f32x4.demote_f64x2_zero", "f64x2.promote_low_f32x4", "i8x16.abs", "i8x16.neg", "i8x16.popcnt",
        "i8x16.all_true", "i8x16.bitmask", "i8x16.narrow_i16x8_s", "i8x16.narrow_i16x8_u", "f32x4.ceil",
        "f32x4.floor", "f32x4.trunc", "f32x4.nearest", "i8x16.shl", "i8x16.shr_s", "i8x16.shr_u", "i8x16.add",
        "i8x16.add_sat_s", "i8x16.add_sat_u", "i8x16.sub", "i8x16.sub_sat_s", "i8x16.sub_sat_u", "f64x2.ceil",
        "f64x2.floor", "i8x16.min_s", "i8x16.min_u", "i8x16.max_s", "i8x16.max_u", "f64x2.trunc",
        "i8x16.avgr_u", "i16x8.extadd_pairwise_i8x16_s", "i16x8.extadd_pairwise_i8x16_u",
        "i32x4.extadd_pairwise_i16x8_s", "i32x4.extadd_pairwise_i16x8_u", "i16x8.abs", "i16x8.neg",
        "i16x8.q15mulr_sat_s", "i16x8.all_true", "i16x8.bitmask", "i16x8.narrow_i32x4_s",
        "i16x8.narrow_i32x4_u", "i16x8.extend_low_i8x16_s", "i16x8.extend_high_i8x16_s",
        "i16x8.extend_low_i8x16_u", "i16x8.extend_high_i8x16_u", "i16x8.shl", "i16x8.shr_s", "i16x8.shr_u",
        "i16x8.add", "i16x8.add_sat_s", "i16x8.add_sat_u", "i16x8.sub", "i16x8.sub_sat_s", "i16x8.sub_sat_u",
        "f64x2.nearest", "i16x8.mul", "i16x8.min_s", "i16x8.min_u", "i16x8.max_s", "i16x8.max_u", null,
        "i16x8.avgr_u", "i16x8.extmul_low_i8x16_s", "i16x8.extmul_high_i8x16_s", "i16x8.extmul_low_i8x16_u",
        "i16x8.extmul_high_i8x16_u", "i32x4.abs", "i32x4.neg", null, "i32x4.all_true", "i32x4.bitmask", null,
        null, "i32x4.extend_low_i16x8_s", "i32x4.extend_high_i16x8_s", "i32x4.extend_low_i16x8_u",
        "i32x4.extend_high_i16x8_u", "i32x4.shl", "i32x4.shr_s", "i32x4.shr_u", "i32x4.add", null, null,
        "i32x4.sub", null, null, null, "i32x4.mul", "i32x4.min_s", "i32x4.min_u", "i32x4.max_s",
        "i32x4.max_u", "i32x4.dot_i16x8_s", null, "i32x4.extmul_low_i16x8_s", "i32x4.extmul_high_i16x8_s",
        "i32x4.extmul_low_i16x8_u", "i32x4.extmul_high_i16x8_u", "i64x2.abs", "i64x2.neg", null,
        "i64x2.all_true", "i64x2.bitmask", null, null, "i64x2.extend_low_i32x4_s",
        "i64x2.extend_high_i32x4_s", "i64x2.extend_low_i32x4_u", "i64x2.extend_high_i32x4_u", "i64x2.shl",
        "i64x2.shr_s", "i64x2.shr_u", "i64x2.add", null, null, "i64x2.sub", null, null, null, "i64x2.mul",
        "i64x2.eq", "i64x2.ne", "i64x2.lt_s", "i64x2.gt_s", "i64x2.le_s", "i64x2.ge_s",
        "i64x2.extmul_low_i32x4_s", "i64x2.extmul_high_i32x4_s", "i64x2.extmul_low_i32x4_u",
        "i64x2.extmul_high_i32x4_u", "f32x4.abs", "f32x4.neg", null, "f32x4.sqrt", "f32x4.add", "f32x4.sub",
        "f32x4.mul", "f32x4.div", "f32x4.min", "f32x4.max", "f32x4.pmin", "f32x4.pmax", "f64x2.abs",
        "f64x2.neg", null, "f64x2.sqrt", "f64x2.add", "f64x2.sub", "f64x2.mul", "f64x2.div", "f64x2.min",
        "f64x2.max", "f64x2.pmin", "f64x2.pmax", "i32x4.trunc_sat_f32x4_s", "i32x4.trunc_sat_f32x4_u",
        "f32x4.convert_i32x4_s", "f32x4.convert_i32x4_u", "i32x4.trunc_sat_f64x2_s_zero",
        "i32x4.trunc_sat_f64x2_u_zero", "f64x2.convert_low_i32x4_s", "f64x2.convert_low_i32x4_u",
        "i8x16.relaxed_swizzle", "i32x4.relaxed_trunc_f32x4_s", "i32x4.relaxed_trunc_f32x4_u",
        "i32x4.relaxed_trunc_f64x2_s_zero", "i32x4.relaxed_trunc_f64x2_u_zero", "f32x4.relaxed_madd",
        "f32x4.relaxed_nmadd", "f64x2.relaxed_madd", "f64x2.relaxed_nmadd", "i8x16.relaxed_laneselect",
        "i16x8.relaxed_laneselect", "i32x4.relaxed_laneselect", "i64x2.relaxed_laneselect",
        "f32x4.relaxed_min", "f32x4.relaxed_max", "f64x2.relaxed_min", "f64x2.relaxed_max",
        "i16x8.relaxed_q15mulr_s", "i16x8.relaxed_dot_i8x16_i7x16_s", "i32x4.relaxed_dot_i8x16_i7x16_add_s",
    };

    private static final Kind[] KINDS = new Kind[LIMIT];
    /** Log2 of the bytes a memory access touches (its natural alignment); -1 for other instructions. */
    private static final byte[] WIDTH_LOG2 = new byte[LIMIT];

    static {
        for (int s = 0; s < LIMIT; s++) {
            String n = NAMES[s];
            WIDTH_LOG2[s] = -1;
            if (n != null) {
                KINDS[s] = kindOf(n);
                if (KINDS[s].ordinal() <= Kind.STORE_LANE.ordinal()) {
                    WIDTH_LOG2[s] = (byte) widthLog2(n);
                }
            }
        }
    }

    private static Kind kindOf(String n) {
        if (n.startsWith("v128.load")) {
            return n.endsWith("_lane") ? Kind.LOAD_LANE : Kind.LOAD;
        }
        if (n.startsWith("v128.store")) {
            return n.endsWith("_lane") ? Kind.STORE_LANE : Kind.STORE;
        }
        if (n.equals("v128.const")) {
            return Kind.CONST;
        }
        if (n.equals("i8x16.shuffle")) {
            return Kind.SHUFFLE;
        }
        if (n.endsWith(".splat")) {
            return Kind.SPLAT;
        }
        if (n.contains(".extract_lane")) {
            return Kind.EXTRACT;
        }
        if (n.endsWith(".replace_lane")) {
            return Kind.REPLACE;
        }
        if (n.endsWith("any_true") || n.endsWith("all_true") || n.endsWith("bitmask")) {
            return Kind.TEST;
        }
        if (n.endsWith(".shl") || n.endsWith(".shr_s") || n.endsWith(".shr_u")) {
            return Kind.SHIFT;
        }
        if (n.equals("v128.bitselect") || n.contains("relaxed_madd") || n.contains("relaxed_nmadd")
                || n.endsWith("relaxed_laneselect") || n.endsWith("_add_s")) {
            return Kind.TERNARY;
        }
        String op = n.substring(n.indexOf('.') + 1);
        if (op.equals("not") || op.equals("abs") || op.equals("neg") || op.equals("popcnt") || op.equals("sqrt")
                || op.equals("ceil") || op.equals("floor") || op.equals("trunc") || op.equals("nearest")
                || op.startsWith("extend_") || op.startsWith("extadd_") || op.startsWith("convert_")
                || op.startsWith("trunc_sat_") || op.startsWith("demote_") || op.startsWith("promote_")
                || op.startsWith("relaxed_trunc_")) {
            return Kind.UNARY;
        }
        return Kind.BINARY;
    }

    /** Log2 of the bytes an access touches, from its name ("v128.load16x4_s": 8 bytes). */
    private static int widthLog2(String n) {
        if (n.equals("v128.load") || n.equals("v128.store")) {
            return 4;
        }
        if (n.contains("x")) {
            return 3; // the extending loads read 64 bits
        }
        String digits = n.replaceAll("^v128\\.(load|store)(\\d+)_.*$", "$2");
        return Integer.numberOfTrailingZeros(Integer.parseInt(digits) / 8);
    }

    /** Whether {@code opcode} is a vector instruction. */
    public static boolean isSimd(int opcode) {
        return opcode >= BASE && opcode < BASE + LIMIT && NAMES[opcode - BASE] != null;
    }

    /** Whether sub-opcode {@code sub} names an instruction. */
    public static boolean isAssigned(long sub) {
        return sub >= 0 && sub < LIMIT && NAMES[(int) sub] != null;
    }

    public static String name(int opcode) {
        return NAMES[opcode - BASE];
    }

    public static Kind kind(int opcode) {
        return KINDS[opcode - BASE];
    }

    /** Log2 of the bytes a memory access touches, which is also its largest valid alignment. */
    public static int widthLog2(int opcode) {
        return WIDTH_LOG2[opcode - BASE];
    }

    /** The memory a vector access names ({@code labels[0]} when not memory 0, see SimdDecoder). */
    public static int memory(Instruction in) {
        return in.labels() == null ? 0 : in.labels()[0];
    }

    /** Whether the instruction reads or writes linear memory. */
    public static boolean touchesMemory(int opcode) {
        return isSimd(opcode) && WIDTH_LOG2[opcode - BASE] >= 0;
    }

    /** Lanes of the instruction's shape (i8x16: 16), by its name's prefix; v128.* lane ops by their width. */
    public static int lanes(int opcode) {
        String n = name(opcode);
        if (n.startsWith("v128.")) {
            return 16 >> widthLog2(opcode);
        }
        return Integer.parseInt(n.substring(n.indexOf('x') + 1, n.indexOf('.')));
    }

    /** The scalar type of a splat, extract or replace: i32 for the 8-, 16- and 32-bit integer shapes. */
    public static ValType scalar(int opcode) {
        String n = name(opcode);
        if (n.startsWith("i64")) {
            return ValType.I64;
        }
        if (n.startsWith("f32")) {
            return ValType.F32;
        }
        if (n.startsWith("f64")) {
            return ValType.F64;
        }
        return ValType.I32;
    }

    /** The high 64 bits (bytes 8-15) of a {@code v128.const} or {@code i8x16.shuffle}; {@code c} holds the low ones. */
    public static long high(Instruction in) {
        return (long) in.a() << 32 | (in.b() & 0xFFFF_FFFFL);
    }

    /** The Java method name of the instruction's runtime helper: its text name with '.' as '_'. */
    public static String helperName(int opcode) {
        return name(opcode).replace('.', '_');
    }
}
