package io.wasmudf.sql.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.V128;
import io.wasmudf.engine.ValType;
import io.wasmudf.sql.AbiException;
import io.wasmudf.sql.AbiLayout;
import io.wasmudf.sql.SqlType;
import io.wasmudf.sql.SqlTypes;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** uuid and 16-byte bytea values passed as one v128: byte order, length errors, the layouts. */
class V128TypeTest {
    @Test
    void aUuidIsItsSixteenRfcBytesLaneZeroFirst() {
        UUID u = UUID.fromString("a1b2c3d4-e5f6-0718-293a-4b5c6d7e8f90");
        V128 v = (V128) V128Type.toCoreUuid(u);
        // lane 0 (the low byte of lo) is the first byte of the text form, as a v128.load of uuid_send's bytes gives
        assertEquals(0xa1, v.lo() & 0xFF);
        assertEquals(0x90, (int) (v.hi() >>> 56));
        assertArrayEquals(HexFormat.of().parseHex("a1b2c3d4e5f60718293a4b5c6d7e8f90"), V128Type.liftBytes(v));
        assertEquals(u, V128Type.liftUuid(v));
        assertEquals(V128.ZERO, V128Type.orZeroUuid(null));
    }

    @Test
    void aByteaOfSixteenBytesRoundTripsAndOtherLengthsAre22026() {
        byte[] b = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
        V128 v = (V128) V128Type.toCoreBytes(b);
        assertEquals(0x0706050403020100L, v.lo());
        assertEquals(0x0f0e0d0c0b0a0908L, v.hi());
        assertArrayEquals(b, V128Type.liftBytes(v));
        for (int n : new int[] {0, 15, 17}) {
            AbiException e = assertThrows(AbiException.class, () -> V128Type.toCoreBytes(new byte[n]));
            assertEquals("22026", e.sqlState());
            assertEquals("bytea length " + n + " does not match the function's v128 parameter (16 bytes)", e.getMessage());
        }
        assertEquals(V128.ZERO, V128Type.orZeroBytes(null));
    }

    @Test
    void theVectorFormOfALayout() {
        AbiLayout plain = AbiLayout.of(List.of(SqlTypes.UUID, SqlTypes.INTEGER, SqlTypes.BYTEA), SqlTypes.UUID, true);
        AbiLayout v = plain.vectorForm();
        assertTrue(v.isVectorForm());
        assertEquals(FuncType.of(List.of(ValType.V128, ValType.I32, ValType.V128), List.of(ValType.V128)), v.core());
        assertEquals(AbiLayout.ResultForm.DIRECT, v.form(), "a STRICT uuid comes back directly, not through a return area");
        assertEquals("(uuid, integer, bytea) -> uuid", v.describeSql());
        assertNull(v.vectorForm());
        assertNull(AbiLayout.of(List.of(SqlTypes.INTEGER), SqlTypes.TEXT, true).vectorForm());
        // CALLED ON NULL INPUT: option<v128>, the result in a return area, payload at 16
        AbiLayout optional = AbiLayout.of(List.of(SqlTypes.BYTEA), SqlTypes.BYTEA, false).vectorForm();
        assertEquals(FuncType.of(List.of(ValType.I32, ValType.V128), List.of(ValType.I32)), optional.core());
        assertEquals(16, optional.optionPayloadOffset());
        assertEquals(32, optional.returnAreaSize());
        assertTrue(!optional.needsRealloc() && optional.needsMemory());
    }

    /** As GuestInstanceTest#everyCodecRoutineResolves for the registered codecs. */
    @Test
    void theRoutinesResolveWithTheTypesTheBridgesUse() {
        for (SqlType declared : List.of(SqlTypes.UUID, SqlTypes.BYTEA)) {
            SqlType t = SqlTypes.vectorForm(declared);
            assertTrue(t instanceof V128Type);
            assertEquals(declared.sqlName(), t.sqlName());
            assertEquals(declared.javaType(), t.javaType());
            SqlType.Lowering.Scalar s = (SqlType.Lowering.Scalar) t.lowering();
            assertEquals(t.boxedType(), s.orZero().handle().type().parameterType(0));
            assertEquals(Object.class, s.orZero().type().returnType());
            assertEquals(t.javaType(), s.toCore().handle().type().parameterType(0));
            assertEquals(t.javaType(), t.liftDirect().handle().type().returnType());
            assertEquals(t.javaType(), t.liftArea().handle().type().returnType());
            assertEquals(t.boxedType(), t.liftOptional().handle().type().returnType());
        }
        assertSame(SqlTypes.INTEGER, SqlTypes.vectorForm(SqlTypes.INTEGER));
    }
}
