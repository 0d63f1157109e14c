package io.wasmudf.engine.spectest;

import io.wasmudf.engine.WasmFunction;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Converts wast2json values ({@code {"type": "f32", "value": "2143289344"}}, numbers given as the
 * unsigned decimal of their raw bits) to the boxed arguments of {@link WasmFunction#call}, and
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

    /** The boxed argument for a {@code {type, value}} JSON object; ref.null becomes {@code null}. */
    static Object toArgument(Map<String, Object> value) {
        String type = string(value, "type");
        Object raw = value.get("value");
        if (!(raw instanceof String)) {
            throw new IllegalArgumentException("argument of type " + type + " has no string value: " + value);
        }
        String v = (String) raw;
        switch (type) {
            case "i32": return Integer.parseUnsignedInt(v);
            case "i64": return Long.parseUnsignedLong(v);
            case "f32": return Float.intBitsToFloat(Integer.parseUnsignedInt(v));
            case "f64": return Double.longBitsToDouble(Long.parseUnsignedLong(v));
            case "externref": return "null".equals(v) ? null : externRef(Long.parseUnsignedLong(v));
            case "funcref":
                if ("null".equals(v)) {
                    return null;
                }
                throw new IllegalArgumentException("funcref arguments other than ref.null cannot be expressed: " + v);
            default:
                throw new IllegalArgumentException("unsupported argument type " + type);
        }
    }

    /** Null when {@code actual} (a boxed result) satisfies {@code expected}, else why not. */
    static String mismatch(Map<String, Object> expected, Object actual) {
        String type = string(expected, "type");
        Object raw = expected.get("value");
        if (!(raw instanceof String)) {
            throw new IllegalArgumentException("expected value of type " + type + " has no string value: " + expected);
        }
        String v = (String) raw;
        switch (type) {
            case "i32": {
                if (!(actual instanceof Integer)) {
                    return wrongType(type, actual);
                }
                int want = Integer.parseUnsignedInt(v);
                int got = (Integer) actual;
                return want == got ? null : "expected " + describe(want) + " but got " + describe(got);
            }
            case "i64": {
                if (!(actual instanceof Long)) {
                    return wrongType(type, actual);
                }
                long want = Long.parseUnsignedLong(v);
                long got = (Long) actual;
                return want == got ? null : "expected " + describe(want) + " but got " + describe(got);
            }
            case "f32": {
                if (!(actual instanceof Float)) {
                    return wrongType(type, actual);
                }
                return f32Mismatch(v, Float.floatToRawIntBits((Float) actual));
            }
            case "f64": {
                if (!(actual instanceof Double)) {
                    return wrongType(type, actual);
                }
                return f64Mismatch(v, Double.doubleToRawLongBits((Double) actual));
            }
            case "externref": {
                if ("null".equals(v)) {
                    return actual == null ? null : "expected ref.null extern but got " + describe(actual);
                }
                ExternRef want = externRef(Long.parseUnsignedLong(v));
                return want.equals(actual) ? null : "expected " + want + " but got " + describe(actual);
            }
            case "funcref": {
                if ("null".equals(v)) {
                    return actual == null ? null : "expected ref.null func but got " + describe(actual);
                }
                return actual instanceof WasmFunction ? null : "expected a function reference but got " + describe(actual);
            }
            default:
                throw new IllegalArgumentException("unsupported result type " + type);
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
    static String resultsMismatch(List<Object> expected, Object[] actual) {
        if (actual == null) {
            return "the call returned null instead of a result array";
        }
        if (expected.size() != actual.length) {
            return "expected " + expected.size() + " result(s) but got " + actual.length + ": " + describeAll(actual);
        }
        for (int i = 0; i < actual.length; i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> want = (Map<String, Object>) expected.get(i);
            String why = mismatch(want, actual[i]);
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

    static String string(Map<String, Object> object, String key) {
        Object v = object.get(key);
        if (!(v instanceof String)) {
            throw new IllegalArgumentException("missing string field \"" + key + "\" in " + object);
        }
        return (String) v;
    }
}
