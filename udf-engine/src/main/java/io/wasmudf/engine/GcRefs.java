package io.wasmudf.engine;

import io.wasmudf.engine.internal.runtime.GcArray;
import io.wasmudf.engine.internal.runtime.GcI31;
import io.wasmudf.engine.internal.runtime.GcStruct;

/** What a reference a guest returned is, in the terms of the 3.0 GC types (hosts see these objects as opaque). */
public final class GcRefs {
    private GcRefs() {}

    /** {@code "struct"}, {@code "array"}, {@code "i31"} for GC values, else null (host values, functions, null). */
    public static String kind(Object ref) {
        if (ref instanceof GcStruct) {
            return "struct";
        }
        if (ref instanceof GcArray) {
            return "array";
        }
        return ref instanceof GcI31 ? "i31" : null;
    }

    /** The value of an {@code i31ref}, sign-extended from 31 bits. */
    public static int i31(Object ref) {
        return (((GcI31) ref).bits << 1) >> 1;
    }
}
