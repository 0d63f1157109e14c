package io.wasmudf.engine.difffuzz;

import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.ValType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The calls both sides make, in order: every exported function (binaryen's harness order: the
 * module's export order), {@code rounds} times, with arguments drawn from the seed, half of them
 * edge values. binaryen's {@code hangLimitInitializer}, where present, is called before every other
 * export, as binaryen's own harness does, so that one call's loops do not use up the next one's
 * budget. Float arguments are given as raw bits; NaN arguments are only the canonical ones, the
 * only NaNs JavaScript can pass reliably.
 */
record CallPlan(List<Call> calls) {
    /** One export call; {@code args} in {@code type:text} form (see {@link Observation#parse}). */
    record Call(String export, List<String> args) {}

    private static final String HANG_LIMIT = "hangLimitInitializer";
    private static final int[] I32_EDGES = {0, 1, -1, 2, Integer.MIN_VALUE, Integer.MAX_VALUE, 0x8000, 0xFFFF, 65536, 31, 32, 63, 64};
    private static final long[] I64_EDGES = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0xFFFFFFFFL, 0x80000000L, -0x80000000L, 63, 64};
    private static final float[] F32_EDGES = {0f, -0f, 1f, -1f, 0.5f, -0.5f, Float.NaN, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 2147483648f, -2147483904f,
        4294967296f, 9.223372E18f, 1.5f, 2.5f, -2.5f};
    private static final double[] F64_EDGES = {0d, -0d, 1d, -1d, 0.5d, -0.5d, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE, 2147483648d, -2147483649d, 4294967296d,
        9.223372036854775807E18, -9.223372036854777856E18, 1.8446744073709552E19, 1.5d, 2.5d, -2.5d};

    static CallPlan of(Instrumented module, long seed, int rounds) {
        Random random = new Random(seed);
        List<Call> calls = new ArrayList<>();
        Map<String, FuncType> exports = module.exportTypes();
        boolean hangLimit = exports.containsKey(HANG_LIMIT) && exports.get(HANG_LIMIT).params().isEmpty();
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, FuncType> e : exports.entrySet()) {
                if (e.getKey().equals(HANG_LIMIT) || hasV128(e.getValue())) {
                    continue; // JavaScript cannot call a function with v128 parameters or results (a TypeError)
                }
                if (hangLimit) {
                    calls.add(new Call(HANG_LIMIT, List.of()));
                }
                List<String> args = new ArrayList<>();
                for (ValType t : e.getValue().params()) {
                    args.add(arg(t, random));
                }
                calls.add(new Call(e.getKey(), List.copyOf(args)));
            }
        }
        return new CallPlan(List.copyOf(calls));
    }

    static boolean hasV128(FuncType t) {
        return t.params().contains(ValType.V128) || t.results().contains(ValType.V128);
    }

    private static String arg(ValType t, Random r) {
        boolean edge = r.nextBoolean();
        switch (t) {
            case I32: {
                int v = edge ? I32_EDGES[r.nextInt(I32_EDGES.length)] : r.nextInt(4) == 0 ? r.nextInt(256) : r.nextInt();
                return "i32:" + v;
            }
            case I64: {
                long v = edge ? I64_EDGES[r.nextInt(I64_EDGES.length)] : r.nextInt(4) == 0 ? r.nextInt(256) : r.nextLong();
                return "i64:" + v;
            }
            case F32: {
                float v = edge ? F32_EDGES[r.nextInt(F32_EDGES.length)] : randomFloat(r);
                return "f32:" + String.format("%08x", Float.floatToRawIntBits(v));
            }
            case F64: {
                double v = edge ? F64_EDGES[r.nextInt(F64_EDGES.length)] : randomDouble(r);
                return "f64:" + String.format("%016x", Double.doubleToRawLongBits(v));
            }
            case FUNCREF: return "funcref:null";
            case EXTERNREF: return "externref:null";
            default: throw new IllegalArgumentException("no arguments of type " + t);
        }
    }

    /** Random bit patterns, except that non-canonical NaNs become the canonical one. */
    private static float randomFloat(Random r) {
        float f = r.nextBoolean() ? Float.intBitsToFloat(r.nextInt()) : (r.nextFloat() - 0.5f) * (1 << r.nextInt(40));
        return Float.isNaN(f) ? Float.NaN : f;
    }

    private static double randomDouble(Random r) {
        double d = r.nextBoolean() ? Double.longBitsToDouble(r.nextLong()) : (r.nextDouble() - 0.5) * Math.pow(2, r.nextInt(80));
        return Double.isNaN(d) ? Double.NaN : d;
    }
}
