package io.wasmudf.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AbiValuesTest {
    private static long some(int bits) {
        return 1L << 32 | Integer.toUnsignedLong(bits);
    }

    @Test
    void packedOptionsCarryTheValueInTheLowHalf() {
        assertEquals(-6, AbiValues.fromPackedInteger(some(-6)));
        assertEquals(Integer.MIN_VALUE, AbiValues.fromPackedInteger(some(Integer.MIN_VALUE)));
        assertEquals((short) -32768, AbiValues.fromPackedSmallint(some(-32768)));
        assertEquals(Boolean.TRUE, AbiValues.fromPackedBoolean(some(2)), "any non-zero i32 is true, as for a plain bool");
        assertEquals(Boolean.FALSE, AbiValues.fromPackedBoolean(some(0)));
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(AbiValues.fromPackedReal(some(Float.floatToRawIntBits(-0.0f)))));
        assertTrue(AbiValues.fromPackedReal(some(0x7FC00001)).isNaN());
    }

    @Test
    void aZeroDiscriminantIsNullWhateverTheLowHalf() {
        assertNull(AbiValues.fromPackedInteger(0));
        assertNull(AbiValues.fromPackedInteger(0xFFFFFFFFL), "the canonical ABI ignores the payload of none");
        assertNull(AbiValues.fromPackedReal(0));
        assertNull(AbiValues.fromPackedBoolean(0));
        assertNull(AbiValues.fromPackedSmallint(0));
    }

    @Test
    void otherDiscriminantsAndOutOfRangeSmallintsAreErrors() {
        AbiException e = assertThrows(AbiException.class, () -> AbiValues.fromPackedInteger(2L << 32 | 5));
        assertEquals(SqlStates.EXTERNAL_ROUTINE_EXCEPTION, e.sqlState());
        assertTrue(e.getMessage().contains("invalid option discriminant 2"), e.getMessage());
        assertThrows(AbiException.class, () -> AbiValues.fromPackedReal(-1L));
        AbiException range = assertThrows(AbiException.class, () -> AbiValues.fromPackedSmallint(some(32768)));
        assertEquals(SqlStates.NUMERIC_OUT_OF_RANGE, range.sqlState());
    }
}
