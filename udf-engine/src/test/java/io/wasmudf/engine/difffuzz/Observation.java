package io.wasmudf.engine.difffuzz;

import io.wasmudf.engine.Memory;
import io.wasmudf.engine.ValType;
import io.wasmudf.engine.WasmFunction;
import java.util.List;

/**
 * What one step (the instantiation or one export call) showed from outside, as canonical text
 * that {@code src/test/node/difffuzz-v8.js} builds the same way: the outcome ({@code ok [results]},
 * {@code trap <kind>}, {@code host-exception}, {@code stack-exhausted}, {@code error ...}), the host
 * calls in order, the memory hash (exact, and with NaN-pattern words canonicalised) and the globals.
 * Memory and globals are null when the step did not get that far (a failed instantiation).
 */
record Observation(String outcome, List<String> log, String mem, String memNan, String globals) {

    /**
     * A value's canonical text. NaNs are written as {@code nan} without payload: a NaN crossing
     * into JavaScript (a result, a logged value, a global read) does not keep its bits, and the
     * spec leaves the payload and sign of NaNs that arithmetic produces nondeterministic anyway.
     */
    static String format(ValType t, Object v) {
        switch (t) {
            case I32: return "i32:" + (Integer) v;
            case I64: return "i64:" + (Long) v;
            case F32: {
                float f = (Float) v;
                return Float.isNaN(f) ? "f32:nan" : "f32:" + String.format("%08x", Float.floatToRawIntBits(f));
            }
            case F64: {
                double d = (Double) v;
                return Double.isNaN(d) ? "f64:nan" : "f64:" + String.format("%016x", Double.doubleToRawLongBits(d));
            }
            case FUNCREF: return v == null ? "funcref:null" : "funcref:func";
            case EXTERNREF: return v == null ? "externref:null" : "externref:obj";
            default: throw new IllegalArgumentException("no canonical text for " + t);
        }
    }

    /** The value of an argument written {@code type:text} (floats as raw bits in hex), as the V8 side parses it. */
    static Object parse(String arg) {
        int colon = arg.indexOf(':');
        String s = arg.substring(colon + 1);
        switch (arg.substring(0, colon)) {
            case "i32": return Integer.parseInt(s);
            case "i64": return Long.parseLong(s);
            case "f32": return Float.intBitsToFloat(Integer.parseUnsignedInt(s, 16));
            case "f64": return Double.longBitsToDouble(Long.parseUnsignedLong(s, 16));
            default: return null;
        }
    }

    /** The two memory hashes, {@code words:hex}, the same FNV-1a over 32-bit words as the V8 side. */
    static String[] memoryHashes(Memory memory) {
        byte[] b = memory.buffer();
        int words = memory.pages() * (Memory.PAGE_SIZE / 4);
        int h = 0x811c9dc5;
        int hn = h;
        for (int i = 0; i < words; i++) {
            int p = i << 2;
            int w = (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | b[p + 3] << 24;
            h = (h ^ w) * 16777619;
            boolean nan = (w & 0x7f800000) == 0x7f800000 && (w & 0x7fffff) != 0;
            hn = (hn ^ (nan ? 0x7fc00000 : w)) * 16777619;
        }
        return new String[] {words + ":" + String.format("%08x", h), words + ":" + String.format("%08x", hn)};
    }

    /** The globals' canonical text, as returned by {@code __diff_globals}. */
    static String globals(List<ValType> types, WasmFunction getter) {
        if (types.isEmpty()) {
            return "";
        }
        Object[] values = getter.call();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < types.size(); i++) {
            sb.append(i == 0 ? "" : " ").append(format(types.get(i), values[i]));
        }
        return sb.toString();
    }
}
