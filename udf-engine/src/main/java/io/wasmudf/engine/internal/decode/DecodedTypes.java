package io.wasmudf.engine.internal.decode;

import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.DefType;
import io.wasmudf.engine.internal.model.TypeCode;

/**
 * The kinds of a module's defined types as the decoder learns them (the type section comes
 * first), so a concrete reference type can be given its JVM-level {@link ValType} right away.
 */
final class DecodedTypes implements TypeCode.TypeFamily {
    private int[] kinds = new int[0];

    void kinds(int[] k) {
        kinds = k;
    }

    @Override
    public int top(int heap) {
        if (TypeCode.isConcrete(heap)) {
            int i = TypeCode.typeIndex(heap);
            // an unknown index is the validator's to report; any family will do until then
            return i < kinds.length && kinds[i] != DefType.FUNC ? TypeCode.ANY : TypeCode.FUNC;
        }
        return TypeCode.abstractTop(heap);
    }

    ValType jvm(int code) {
        return TypeCode.jvm(code, this);
    }
}
