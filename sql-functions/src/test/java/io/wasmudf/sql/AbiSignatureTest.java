package io.wasmudf.sql;

import static io.wasmudf.engine.ValType.F32;
import static io.wasmudf.engine.ValType.F64;
import static io.wasmudf.engine.ValType.I32;
import static io.wasmudf.engine.ValType.I64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.FuncType;
import java.util.List;
import org.junit.jupiter.api.Test;

class AbiSignatureTest {

    @Test
    void strictNumbersFlattenToOneValueEach() {
        AbiSignature s = AbiSignature.of(List.of(SqlType.BOOLEAN, SqlType.SMALLINT, SqlType.INTEGER, SqlType.BIGINT, SqlType.REAL,
                SqlType.DOUBLE_PRECISION), SqlType.BIGINT, true);
        assertEquals(FuncType.of(List.of(I32, I32, I32, I64, F32, F64), List.of(I64)), s.core());
        assertFalse(s.usesReturnArea());
        assertFalse(s.needsMemory());
        assertFalse(s.needsRealloc());
        assertEquals(FuncType.of(List.of(I64), List.of()), s.postType());
    }

    @Test
    void textAndByteaArepointerAndLength() {
        AbiSignature s = AbiSignature.of(List.of(SqlType.TEXT, SqlType.INTEGER, SqlType.BYTEA), SqlType.INTEGER, true);
        assertEquals(FuncType.of(List.of(I32, I32, I32, I32, I32), List.of(I32)), s.core());
        assertTrue(s.needsRealloc());
        assertTrue(s.needsMemory());
        assertFalse(s.usesReturnArea());
    }

    @Test
    void textResultComesThroughAReturnArea() {
        AbiSignature s = AbiSignature.of(List.of(SqlType.TEXT), SqlType.TEXT, true);
        assertEquals(FuncType.of(List.of(I32, I32), List.of(I32)), s.core());
        assertTrue(s.usesReturnArea());
        assertEquals("(i32 ptr, i32 len) -> i32 retptr", s.describeCore());
        assertEquals("text -> text", s.describeSql());
        AbiSignature none = AbiSignature.of(List.of(), SqlType.BYTEA, true);
        assertTrue(none.needsMemory());
        assertFalse(none.needsRealloc());
    }

    @Test
    void calledOnNullInputUsesOptions() {
        AbiSignature s = AbiSignature.of(List.of(SqlType.BIGINT, SqlType.TEXT, SqlType.DOUBLE_PRECISION), SqlType.INTEGER, false);
        assertEquals(FuncType.of(List.of(I32, I64, I32, I32, I32, I32, F64), List.of(I32)), s.core());
        assertTrue(s.usesReturnArea(), "option<T> results do not flatten to one value");
        assertEquals("(i32 is_some, i64, i32 is_some, i32 ptr, i32 len, i32 is_some, f64) -> i32 retptr", s.describeCore());
        assertEquals("(bigint, text, double precision) -> integer (CALLED ON NULL INPUT)", s.describeSql());
    }

    @Test
    void thirtyTwoBitOptionResultsMayComePackedIntoAnI64() {
        for (SqlType t : List.of(SqlType.BOOLEAN, SqlType.SMALLINT, SqlType.INTEGER, SqlType.REAL)) {
            assertTrue(AbiSignature.canPackOption(t, false), t.sqlName());
            assertFalse(AbiSignature.canPackOption(t, true), "STRICT " + t.sqlName() + " has no option to pack");
            AbiSignature p = AbiSignature.of(List.of(SqlType.TEXT, t), t, false, true);
            assertEquals(FuncType.of(List.of(I32, I32, I32, I32, t.scalar()), List.of(I64)), p.core());
            assertTrue(p.packedOption());
            assertFalse(p.usesReturnArea());
            assertEquals(FuncType.of(List.of(I64), List.of()), p.postType());
        }
        for (SqlType t : List.of(SqlType.BIGINT, SqlType.DOUBLE_PRECISION, SqlType.TEXT, SqlType.BYTEA)) {
            assertFalse(AbiSignature.canPackOption(t, false), t.sqlName() + " leaves no room for the discriminant");
            assertThrows(IllegalArgumentException.class, () -> AbiSignature.of(List.of(), t, false, true));
        }
        AbiSignature numeric = AbiSignature.of(List.of(SqlType.INTEGER), SqlType.INTEGER, false, true);
        assertFalse(numeric.needsMemory(), "numbers in, a packed option out: no memory involved");
        assertEquals("(i32 is_some, i32) -> i64 option (0 for NULL, 1 << 32 | value)", numeric.describeCore());
        assertEquals("(i32 is_some, i32) -> i32 retptr or, packed, -> i64 option (0 for NULL, 1 << 32 | value)",
                AbiSignature.of(List.of(SqlType.INTEGER), SqlType.INTEGER, false).describeAccepted());
        assertEquals("(i32 is_some, i64) -> i32 retptr", AbiSignature.of(List.of(SqlType.BIGINT), SqlType.BIGINT, false).describeAccepted());
    }

    @Test
    void optionPayloadOffsetsFollowAlignment() {
        assertEquals(4, SqlType.INTEGER.optionPayloadOffset());
        assertEquals(4, SqlType.REAL.optionPayloadOffset());
        assertEquals(4, SqlType.BOOLEAN.optionPayloadOffset());
        assertEquals(8, SqlType.BIGINT.optionPayloadOffset());
        assertEquals(8, SqlType.DOUBLE_PRECISION.optionPayloadOffset());
        assertEquals(4, SqlType.TEXT.optionPayloadOffset());
    }

    @Test
    void describesCoreTypes() {
        assertEquals("(i32, i64) -> f32", AbiSignature.describe(FuncType.of(List.of(I32, I64), List.of(F32))));
        assertEquals("() -> ()", AbiSignature.describe(FuncType.of(List.of(), List.of())));
        assertEquals("() -> (i32, i32)", AbiSignature.describe(FuncType.of(List.of(), List.of(I32, I32))));
    }
}
