package io.wasmudf.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.sql.types.BooleanType;
import io.wasmudf.sql.types.FloatType;
import io.wasmudf.sql.types.IntegralType;
import org.junit.jupiter.api.Test;

/** Packed option results, lifted by the codecs of the 32-bit types through {@link AbiValues#isPackedSome}. */
class AbiValuesTest {
    private static long some(int bits) {
        return 1L << 32 | Integer.toUnsignedLong(bits);
    }

    @Test
    void packedOptionsCarryTheValueInTheLowHalf() {
        assertEquals(-6, IntegralType.fromPackedInteger(some(-6)));
        assertEquals(Integer.MIN_VALUE, IntegralType.fromPackedInteger(some(Integer.MIN_VALUE)));
        assertEquals((short) -32768, IntegralType.fromPackedSmallint(some(-32768)));
        assertEquals(Boolean.TRUE, BooleanType.fromPacked(some(2)), "any non-zero i32 is true, as for a plain bool");
        assertEquals(Boolean.FALSE, BooleanType.fromPacked(some(0)));
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(FloatType.fromPackedReal(some(Float.floatToRawIntBits(-0.0f)))));
        assertTrue(FloatType.fromPackedReal(some(0x7FC00001)).isNaN());
    }

    @Test
    void aZeroDiscriminantIsNullWhateverTheLowHalf() {
        assertNull(IntegralType.fromPackedInteger(0));
        assertNull(IntegralType.fromPackedInteger(0xFFFFFFFFL), "the canonical ABI ignores the payload of none");
        assertNull(FloatType.fromPackedReal(0));
        assertNull(BooleanType.fromPacked(0));
        assertNull(IntegralType.fromPackedSmallint(0));
    }

    @Test
    void otherDiscriminantsAndOutOfRangeSmallintsAreErrors() {
        AbiException e = assertThrows(AbiException.class, () -> IntegralType.fromPackedInteger(2L << 32 | 5));
        assertEquals(SqlStates.EXTERNAL_ROUTINE_EXCEPTION, e.sqlState());
        assertTrue(e.getMessage().contains("invalid option discriminant 2"), e.getMessage());
        assertThrows(AbiException.class, () -> FloatType.fromPackedReal(-1L));
        AbiException range = assertThrows(AbiException.class, () -> IntegralType.fromPackedSmallint(some(32768)));
        assertEquals(SqlStates.NUMERIC_OUT_OF_RANGE, range.sqlState());
    }
}
