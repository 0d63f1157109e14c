package io.wasmudf.engine.internal.text;

import java.util.List;

/** A result pattern of {@code assert_return}. */
public sealed interface WastExpected {

    /** Exactly this value (bit for bit for floats). */
    record Exact(WastValue value) implements WastExpected {}

    /** {@code nan:canonical} or {@code nan:arithmetic} of {@code f32}/{@code f64}. */
    record Nan(String type, boolean canonical) implements WastExpected {}

    /** A {@code v128} given lane by lane in a shape such as {@code f32x4}; lanes are Exact or Nan. */
    record VecLanes(String shape, List<WastExpected> lanes) implements WastExpected {}

    /**
     * A reference of a kind, such as {@code ref.func}, {@code ref.extern}, {@code ref.struct},
     * {@code ref.i31}, {@code ref.null} (then {@code detail} is the heap type, or null for any
     * null); {@code detail} is otherwise the payload or function index, or null for "any".
     */
    record Ref(String kind, String detail) implements WastExpected {}

    /** {@code (either p*)}: any one of the patterns. */
    record Either(List<WastExpected> options) implements WastExpected {}
}
