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

class AbiLayoutTest {

    @Test
    void strictNumbersFlattenToOneValueEach() {
        AbiLayout s = AbiLayout.of(List.of(SqlTypes.BOOLEAN, SqlTypes.SMALLINT, SqlTypes.INTEGER, SqlTypes.BIGINT, SqlTypes.REAL,
                SqlTypes.DOUBLE_PRECISION), SqlTypes.BIGINT, true);
        assertEquals(FuncType.of(List.of(I32, I32, I32, I64, F32, F64), List.of(I64)), s.core());
        assertFalse(s.usesReturnArea());
        assertFalse(s.needsMemory());
        assertFalse(s.needsRealloc());
        assertEquals(FuncType.of(List.of(I64), List.of()), s.postType());
    }

    @Test
    void textAndByteaArepointerAndLength() {
        AbiLayout s = AbiLayout.of(List.of(SqlTypes.TEXT, SqlTypes.INTEGER, SqlTypes.BYTEA), SqlTypes.INTEGER, true);
        assertEquals(FuncType.of(List.of(I32, I32, I32, I32, I32), List.of(I32)), s.core());
        assertTrue(s.needsRealloc());
        assertTrue(s.needsMemory());
        assertFalse(s.usesReturnArea());
    }

    @Test
    void textResultComesThroughAReturnArea() {
        AbiLayout s = AbiLayout.of(List.of(SqlTypes.TEXT), SqlTypes.TEXT, true);
        assertEquals(FuncType.of(List.of(I32, I32), List.of(I32)), s.core());
        assertTrue(s.usesReturnArea());
        assertEquals("(i32 ptr, i32 len) -> i32 retptr", s.describeCore());
        assertEquals("text -> text", s.describeSql());
        AbiLayout none = AbiLayout.of(List.of(), SqlTypes.BYTEA, true);
        assertTrue(none.needsMemory());
        assertFalse(none.needsRealloc());
    }

    @Test
    void calledOnNullInputUsesOptions() {
        AbiLayout s = AbiLayout.of(List.of(SqlTypes.BIGINT, SqlTypes.TEXT, SqlTypes.DOUBLE_PRECISION), SqlTypes.INTEGER, false);
        assertEquals(FuncType.of(List.of(I32, I64, I32, I32, I32, I32, F64), List.of(I32)), s.core());
        assertTrue(s.usesReturnArea(), "option<T> results do not flatten to one value");
        assertEquals("(i32 is_some, i64, i32 is_some, i32 ptr, i32 len, i32 is_some, f64) -> i32 retptr", s.describeCore());
        assertEquals("(bigint, text, double precision) -> integer (CALLED ON NULL INPUT)", s.describeSql());
    }

    @Test
    void thirtyTwoBitOptionResultsMayComePackedIntoAnI64() {
        for (SqlType t : List.of(SqlTypes.BOOLEAN, SqlTypes.SMALLINT, SqlTypes.INTEGER, SqlTypes.REAL)) {
            assertTrue(AbiLayout.canPackOption(t, false), t.sqlName());
            assertFalse(AbiLayout.canPackOption(t, true), "STRICT " + t.sqlName() + " has no option to pack");
            AbiLayout p = AbiLayout.of(List.of(SqlTypes.TEXT, t), t, false, true);
            assertEquals(FuncType.of(List.of(I32, I32, I32, I32, t.flat().get(0)), List.of(I64)), p.core());
            assertTrue(p.packedOption());
            assertFalse(p.usesReturnArea());
            assertEquals(FuncType.of(List.of(I64), List.of()), p.postType());
        }
        for (SqlType t : List.of(SqlTypes.BIGINT, SqlTypes.DOUBLE_PRECISION, SqlTypes.TEXT, SqlTypes.BYTEA)) {
            assertFalse(AbiLayout.canPackOption(t, false), t.sqlName() + " leaves no room for the discriminant");
            assertThrows(IllegalArgumentException.class, () -> AbiLayout.of(List.of(), t, false, true));
        }
        AbiLayout numeric = AbiLayout.of(List.of(SqlTypes.INTEGER), SqlTypes.INTEGER, false, true);
        assertFalse(numeric.needsMemory(), "numbers in, a packed option out: no memory involved");
        assertEquals("(i32 is_some, i32) -> i64 option (0 for NULL, 1 << 32 | value)", numeric.describeCore());
        assertEquals("(i32 is_some, i32) -> i32 retptr or, packed, -> i64 option (0 for NULL, 1 << 32 | value)",
                AbiLayout.of(List.of(SqlTypes.INTEGER), SqlTypes.INTEGER, false).describeAccepted());
        assertEquals("(i32 is_some, i64) -> i32 retptr", AbiLayout.of(List.of(SqlTypes.BIGINT), SqlTypes.BIGINT, false).describeAccepted());
    }

    @Test
    void optionPayloadOffsetsFollowAlignment() {
        assertEquals(4, AbiLayout.optionPayloadOffset(SqlTypes.INTEGER));
        assertEquals(4, AbiLayout.optionPayloadOffset(SqlTypes.REAL));
        assertEquals(4, AbiLayout.optionPayloadOffset(SqlTypes.BOOLEAN));
        assertEquals(8, AbiLayout.optionPayloadOffset(SqlTypes.BIGINT));
        assertEquals(8, AbiLayout.optionPayloadOffset(SqlTypes.DOUBLE_PRECISION));
        assertEquals(4, AbiLayout.optionPayloadOffset(SqlTypes.TEXT));
    }

    @Test
    void returnAreasAndParameterSlots() {
        AbiLayout text = AbiLayout.of(List.of(SqlTypes.TEXT), SqlTypes.TEXT, true);
        assertEquals(AbiLayout.ResultForm.RETURN_AREA, text.form());
        assertEquals(8, text.returnAreaSize(), "{ptr, len}");
        AbiLayout optText = AbiLayout.of(List.of(SqlTypes.INTEGER, SqlTypes.TEXT, SqlTypes.BIGINT), SqlTypes.TEXT, false);
        assertEquals(12, optText.returnAreaSize(), "u8 discriminant, payload {ptr, len} at 4");
        assertEquals(List.of(0, 2, 5), optText.firstSlots(), "is_some + i32, is_some + ptr + len, is_some + i64");
        assertEquals(16, AbiLayout.of(List.of(), SqlTypes.DOUBLE_PRECISION, false).returnAreaSize());
        AbiLayout direct = AbiLayout.of(List.of(SqlTypes.REAL, SqlTypes.BYTEA), SqlTypes.DOUBLE_PRECISION, true);
        assertEquals(AbiLayout.ResultForm.DIRECT, direct.form());
        assertEquals(0, direct.returnAreaSize());
        assertEquals(List.of(0, 1), direct.firstSlots());
    }

    @Test
    void describesCoreTypes() {
        assertEquals("(i32, i64) -> f32", AbiLayout.describe(FuncType.of(List.of(I32, I64), List.of(F32))));
        assertEquals("() -> ()", AbiLayout.describe(FuncType.of(List.of(), List.of())));
        assertEquals("() -> (i32, i32)", AbiLayout.describe(FuncType.of(List.of(), List.of(I32, I32))));
    }
}
