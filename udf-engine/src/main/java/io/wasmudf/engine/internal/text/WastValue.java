package io.wasmudf.engine.internal.text;

/** An argument or an exact result value of a script action. */
public sealed interface WastValue {

    /** {@code i32}/{@code i64}/{@code f32}/{@code f64} with its bits (floats as raw IEEE bits). */
    record Num(String type, long bits) implements WastValue {}

    /** {@code v128} as its 16 little-endian bytes. */
    record Vec(byte[] bytes) implements WastValue {}

    /** {@code (ref.null ht)}: a null reference of a heap type (null when the script omits it). */
    record RefNull(String heapType) implements WastValue {}

    /** A host reference: {@code (ref.extern n)} or {@code (ref.host n)}. */
    record HostRef(String kind, long payload) implements WastValue {}
}
