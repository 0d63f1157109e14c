package io.wasmudf.engine.internal.runtime;

import io.wasmudf.engine.V128;

/**
 * The halves of a v128 held as {@code Object} (as compiled code passes it). The SIMD helpers read
 * their operands through these rather than casting into locals, which keeps a binary helper under
 * 35 bytes of bytecode: HotSpot then inlines it at every call site, hot or not ({@code
 * MaxInlineSize}), so escape analysis sees the {@code V128} it returns. At 40 bytes, C2 left
 * {@code f32x4.add}/{@code mul} as calls in the dot product kernel ("too big"), allocating each result.
 */
final class Vec {
    private Vec() {}

    static long lo(Object v) {
        return ((V128) v).lo();
    }

    static long hi(Object v) {
        return ((V128) v).hi();
    }

}
