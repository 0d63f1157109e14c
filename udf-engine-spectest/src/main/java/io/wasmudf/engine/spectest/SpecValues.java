package io.wasmudf.engine.spectest;

import io.wasmudf.engine.V128;
import io.wasmudf.engine.WasmFunction;

import io.wasmudf.engine.internal.text.WastExpected;
import io.wasmudf.engine.internal.text.WastValue;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Converts script values ({@link WastValue}: numbers as their raw bits) to the boxed arguments of
 * {@link WasmFunction#call}, and
 * checks results strictly: floats by raw bits, NaN patterns by the spec's canonical/arithmetic
 * definitions, references by identity of kind.
 */
final class SpecValues {
    static final String NAN_CANONICAL = "nan:canonical";
    static final String NAN_ARITHMETIC = "nan:arithmetic";

    private static final int F32_EXPONENT = 0x7f80_0000;
    private static final int F32_QUIET = 0x0040_0000;
    private static final int F32_CANONICAL = 0x7fc0_0000;
    private static final long F64_EXPONENT = 0x7ff0_0000_0000_0000L;
    private static final long F64_QUIET = 0x0008_0000_0000_0000L;
    private static final long F64_CANONICAL = 0x7ff8_0000_0000_0000L;

    // One object per N, so hosts see the same identity for the same ref.extern N.
    private static final Map<Long, ExternRef> EXTERN_REFS = new ConcurrentHashMap<>();

    private SpecValues() {}

    static ExternRef externRef(long id) {
        return EXTERN_REFS.computeIfAbsent(id, ExternRef::new);
    }

    /** The boxed argument for a script value; ref.null becomes {@code null}, v128 a {@link V128}. */
    static Object toArgument(WastValue value) {
        if (value instanceof WastValue.Num n) {
            switch (n.type()) {
                case "i32": return (int) n.bits();
                case "i64": return n.bits();
                case "f32": return Float.intBitsToFloat((int) n.bits());
                case "f64": return Double.longBitsToDouble(n.bits());
                default: throw new IllegalArgumentException("unsupported argument type " + n.type());
            }
        }
        if (value instanceof WastValue.RefNull) {
            return null;
        }
        if (value instanceof WastValue.HostRef h) {
            return externRef(h.payload());
        }
        if (value instanceof WastValue.Vec v) {
            return V128.ofBytes(v.bytes());
        }
        throw new IllegalArgumentException("unsupported argument " + value);
    }

    /** Null when {@code actual} (a boxed result) satisfies {@code expected}, else why not. */
    static String mismatch(WastExpected expected, Object actual) {
        if (expected instanceof WastExpected.Either e) {
            List<String> whys = new java.util.ArrayList<>();
            for (WastExpected option : e.options()) {
                String why = mismatch(option, actual);
                if (why == null) {
                    return null;
                }
                whys.add(why);
            }
            return "none of the alternatives: " + String.join("; ", whys);
        }
        if (expected instanceof WastExpected.Nan nan) {
            String pattern = nan.canonical() ? NAN_CANONICAL : NAN_ARITHMETIC;
            if (nan.type().equals("f32")) {
                return actual instanceof Float f ? f32Mismatch(pattern, Float.floatToRawIntBits(f)) : wrongType("f32", actual);
            }
            return actual instanceof Double d ? f64Mismatch(pattern, Double.doubleToRawLongBits(d)) : wrongType("f64", actual);
        }
        if (expected instanceof WastExpected.Ref r) {
            return refMismatch(r, actual);
        }
        if (expected instanceof WastExpected.Exact x) {
            return exactMismatch(x.value(), actual);
        }
        if (expected instanceof WastExpected.VecLanes v) {
            return lanesMismatch(v, actual);
        }
        throw new IllegalArgumentException("unsupported result pattern " + expected);
    }

    /** A v128 given lane by lane with NaN patterns: each float lane checked as a scalar would be. */
    private static String lanesMismatch(WastExpected.VecLanes v, Object actual) {
        if (!(actual instanceof V128 got)) {
            return wrongType("v128", actual);
        }
        boolean f32 = v.shape().equals("f32x4");
        for (int i = 0; i < v.lanes().size(); i++) {
            WastExpected lane = v.lanes().get(i);
            String pattern;
            if (lane instanceof WastExpected.Nan n) {
                pattern = n.canonical() ? NAN_CANONICAL : NAN_ARITHMETIC;
            } else {
                long bits = ((WastValue.Num) ((WastExpected.Exact) lane).value()).bits();
                pattern = f32 ? Integer.toUnsignedString((int) bits) : Long.toUnsignedString(bits);
            }
            String why = f32 ? f32Mismatch(pattern, got.i32(i)) : f64Mismatch(pattern, i == 0 ? got.lo() : got.hi());
            if (why != null) {
                return "lane " + i + ": " + why + " (" + describe(actual) + ")";
            }
        }
        return null;
    }

    private static String exactMismatch(WastValue value, Object actual) {
        if (value instanceof WastValue.RefNull) {
            return actual == null ? null : "expected ref.null but got " + describe(actual);
        }
        if (value instanceof WastValue.HostRef h) {
            ExternRef want = externRef(h.payload());
            return want.equals(actual) ? null : "expected " + want + " but got " + describe(actual);
        }
        if (value instanceof WastValue.Vec v) {
            V128 want = V128.ofBytes(v.bytes());
            return want.equals(actual) ? null : "expected " + describe(want) + " but got " + describe(actual);
        }
        if (!(value instanceof WastValue.Num n)) {
            throw new IllegalArgumentException("unsupported result value " + value);
        }
        switch (n.type()) {
            case "i32": {
                if (!(actual instanceof Integer got)) {
                    return wrongType("i32", actual);
                }
                int want = (int) n.bits();
                return want == got ? null : "expected " + describe(want) + " but got " + describe(got);
            }
            case "i64": {
                if (!(actual instanceof Long got)) {
                    return wrongType("i64", actual);
                }
                return n.bits() == got ? null : "expected " + describe(n.bits()) + " but got " + describe(got);
            }
            case "f32":
                return actual instanceof Float f ? f32Mismatch(Integer.toUnsignedString((int) n.bits()), Float.floatToRawIntBits(f))
                        : wrongType("f32", actual);
            case "f64":
                return actual instanceof Double d ? f64Mismatch(Long.toUnsignedString(n.bits()), Double.doubleToRawLongBits(d))
                        : wrongType("f64", actual);
            default:
                throw new IllegalArgumentException("unsupported result type " + n.type());
        }
    }

    /** {@code (ref.null)}, {@code (ref.func)}, {@code (ref.extern N)}…: the kind of reference (and host payload). */
    private static String refMismatch(WastExpected.Ref r, Object actual) {
        switch (r.kind()) {
            case "ref.null":
                return actual == null ? null : "expected ref.null but got " + describe(actual);
            case "ref.func":
                return actual instanceof WasmFunction ? null : "expected a function reference but got " + describe(actual);
            case "ref.extern":
            case "ref.host": {
                if (r.detail() == null) {
                    // any non-null externref: a host value, or a GC value externalized (extern.convert_any)
                    return actual instanceof ExternRef || io.wasmudf.engine.GcRefs.kind(actual) != null ? null
                            : "expected a host reference but got " + describe(actual);
                }
                ExternRef want = externRef(Long.parseLong(r.detail()));
                return want.equals(actual) ? null : "expected " + want + " but got " + describe(actual);
            }
            case "ref.struct":
            case "ref.array":
            case "ref.i31": {
                String want = r.kind().substring(4);
                return want.equals(io.wasmudf.engine.GcRefs.kind(actual)) ? null
                        : "expected a " + want + " reference but got " + describe(actual);
            }
            case "ref.eq":
                return io.wasmudf.engine.GcRefs.kind(actual) != null ? null : "expected an eq reference but got " + describe(actual);
            case "ref.any":
                return actual != null && !(actual instanceof WasmFunction) ? null : "expected an any reference but got " + describe(actual);
            default:
                return "expected a 3.0 reference (" + r.kind() + ") but got " + describe(actual);
        }
    }

    /** Null when the f32 {@code bits} satisfy the expected value or NaN pattern, else why not. */
    static String f32Mismatch(String expected, int bits) {
        boolean ok;
        if (NAN_CANONICAL.equals(expected)) {
            ok = (bits & 0x7fff_ffff) == F32_CANONICAL;
        } else if (NAN_ARITHMETIC.equals(expected)) {
            ok = (bits & F32_EXPONENT) == F32_EXPONENT && (bits & F32_QUIET) != 0;
        } else {
            int want = Integer.parseUnsignedInt(expected);
            ok = want == bits;
            expected = describe(Float.intBitsToFloat(want));
        }
        return ok ? null : "expected " + expected + " but got " + describe(Float.intBitsToFloat(bits));
    }

    /** Null when the f64 {@code bits} satisfy the expected value or NaN pattern, else why not. */
    static String f64Mismatch(String expected, long bits) {
        boolean ok;
        if (NAN_CANONICAL.equals(expected)) {
            ok = (bits & 0x7fff_ffff_ffff_ffffL) == F64_CANONICAL;
        } else if (NAN_ARITHMETIC.equals(expected)) {
            ok = (bits & F64_EXPONENT) == F64_EXPONENT && (bits & F64_QUIET) != 0;
        } else {
            long want = Long.parseUnsignedLong(expected);
            ok = want == bits;
            expected = describe(Double.longBitsToDouble(want));
        }
        return ok ? null : "expected " + expected + " but got " + describe(Double.longBitsToDouble(bits));
    }

    /** Null when {@code actual} has exactly the expected values, else the first difference. */
    static String resultsMismatch(List<WastExpected> expected, Object[] actual) {
        if (actual == null) {
            return "the call returned null instead of a result array";
        }
        if (expected.size() != actual.length) {
            return "expected " + expected.size() + " result(s) but got " + actual.length + ": " + describeAll(actual);
        }
        for (int i = 0; i < actual.length; i++) {
            String why = mismatch(expected.get(i), actual[i]);
            if (why != null) {
                return (actual.length > 1 ? "result " + i + ": " : "") + why;
            }
        }
        return null;
    }

    /** A value with its Wasm type and, for numbers, its raw bits, e.g. {@code f32:NaN(0x7fc00000)}. */
    static String describe(Object value) {
        if (value == null) {
            return "ref.null";
        }
        if (value instanceof Integer) {
            int i = (Integer) value;
            return "i32:" + i + "(0x" + Integer.toHexString(i) + ")";
        }
        if (value instanceof Long) {
            long l = (Long) value;
            return "i64:" + l + "(0x" + Long.toHexString(l) + ")";
        }
        if (value instanceof Float) {
            return "f32:" + value + "(0x" + Integer.toHexString(Float.floatToRawIntBits((Float) value)) + ")";
        }
        if (value instanceof Double) {
            return "f64:" + value + "(0x" + Long.toHexString(Double.doubleToRawLongBits((Double) value)) + ")";
        }
        if (value instanceof WasmFunction) {
            return "funcref";
        }
        if (value instanceof ExternRef) {
            return value.toString();
        }
        if (value instanceof V128) {
            return "v128:" + value;
        }
        return value.getClass().getName() + ":" + value;
    }

    static String describeAll(Object[] values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(describe(values[i]));
        }
        return sb.append(']').toString();
    }

    private static String wrongType(String type, Object actual) {
        return "expected a value of type " + type + " but got " + describe(actual);
    }

}
