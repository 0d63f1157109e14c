package io.wasmudf.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.CompiledModule;
import io.wasmudf.engine.Engine;
import io.wasmudf.engine.Memory;
import io.wasmudf.engine.Trap;
import io.wasmudf.sql.types.BooleanType;
import io.wasmudf.sql.types.ByteaType;
import io.wasmudf.sql.types.FloatType;
import io.wasmudf.sql.types.IntegralType;
import io.wasmudf.sql.types.TextType;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Marshalling against a real instance of the test module (h2-integration/src/test/resources/wasm/abi.wat,
 * built into abi.wasm): what the host writes through cabi_realloc and reads from return areas.
 */
class GuestInstanceTest {
    private static CompiledModule module;
    private GuestInstance guest;
    private Memory memory;

    @BeforeEach
    void instantiate() throws IOException {
        if (module == null) {
            try (InputStream in = GuestInstanceTest.class.getResourceAsStream("/abi.wasm")) {
                module = Engine.create().compile(in.readAllBytes());
            }
        }
        guest = GuestInstance.instantiate(module);
        memory = guest.instance().memory("memory");
    }

    @Test
    void lowersTextAsUtf8AtTheAllocatedBlock() throws Throwable {
        String s = "héllo 😀";
        long packed = guest.lowerIntoMemory(SqlTypes.TEXT, s);
        int ptr = AbiValues.ptr(packed);
        int len = AbiValues.len(packed);
        assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), memory.read(ptr, len));
        long next = guest.lowerIntoMemory(SqlTypes.TEXT, "");
        assertEquals(0, AbiValues.len(next));
        assertTrue(AbiValues.ptr(next) >= ptr + len, "the allocator hands out fresh memory");
        assertEquals(0L, guest.lowerIntoMemory(SqlTypes.TEXT, null));
        assertEquals(0L, guest.lowerIntoMemory(SqlTypes.BYTEA, null));
        long bytes = guest.lowerIntoMemory(SqlTypes.BYTEA, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, memory.read(AbiValues.ptr(bytes), AbiValues.len(bytes)));
    }

    @Test
    void liftsTextAndBytesFromAReturnArea() throws Throwable {
        MethodHandle echo = guest.instance().function("echo").handle();
        long packed = guest.lowerIntoMemory(SqlTypes.TEXT, "日本語");
        int retptr = (int) echo.invokeExact(AbiValues.ptr(packed), AbiValues.len(packed));
        assertEquals("日本語", TextType.lift(guest, retptr));
        assertArrayEquals("日本語".getBytes(StandardCharsets.UTF_8), ByteaType.lift(guest, retptr));
    }

    @Test
    void liftsOptionsByDiscriminantAndAlignment() {
        int area = 60_000;
        memory.writeByte(area, (byte) 0);
        assertNull(IntegralType.liftOptionalInteger(guest, area));
        assertNull(TextType.liftOptional(guest, area));
        memory.writeByte(area, (byte) 1);
        memory.writeInt(area + 4, -5);
        assertEquals(-5, IntegralType.liftOptionalInteger(guest, area));
        assertEquals(true, BooleanType.liftOptional(guest, area));
        assertEquals((short) -5, IntegralType.liftOptionalSmallint(guest, area));
        memory.writeInt(area + 4, Float.floatToRawIntBits(2.5f));
        assertEquals(2.5f, FloatType.liftOptionalReal(guest, area));
        memory.writeLong(area + 8, Long.MIN_VALUE);
        assertEquals(Long.MIN_VALUE, IntegralType.liftOptionalBigint(guest, area));
        memory.writeLong(area + 8, Double.doubleToRawLongBits(-0.5));
        assertEquals(-0.5, FloatType.liftOptionalDouble(guest, area));
        memory.write(100, "ok".getBytes(StandardCharsets.UTF_8), 0, 2);
        memory.writeInt(area + 4, 100);
        memory.writeInt(area + 8, 2);
        assertEquals("ok", TextType.liftOptional(guest, area));
        assertArrayEquals("ok".getBytes(StandardCharsets.UTF_8), ByteaType.liftOptional(guest, area));
        memory.writeInt(area + 4, 70_000);
        AbiException e = assertThrows(AbiException.class, () -> IntegralType.liftOptionalSmallint(guest, area));
        assertEquals(SqlStates.NUMERIC_OUT_OF_RANGE, e.sqlState());
        memory.writeByte(area, (byte) 2);
        assertEquals(SqlStates.EXTERNAL_ROUTINE_EXCEPTION, assertThrows(AbiException.class, () -> IntegralType.liftOptionalInteger(guest, area)).sqlState());
    }

    @Test
    void badResultsAreErrorsNotCrashes() {
        int area = 60_000;
        memory.write(200, new byte[] {(byte) 0xff, (byte) 0xfe}, 0, 2);
        memory.writeInt(area, 200);
        memory.writeInt(area + 4, 2);
        assertEquals(SqlStates.CHARACTER_NOT_IN_REPERTOIRE, assertThrows(AbiException.class, () -> TextType.lift(guest, area)).sqlState());
        memory.writeInt(area, -100);
        assertThrows(Trap.class, () -> TextType.lift(guest, area));
        memory.writeInt(area, 0);
        memory.writeInt(area + 4, Integer.MAX_VALUE);
        assertThrows(Trap.class, () -> TextType.lift(guest, area));
        assertThrows(Trap.class, () -> ByteaType.lift(guest, area));
        assertThrows(Trap.class, () -> TextType.lift(guest, -4));
    }

    @Test
    void moduleCheckAcceptsMatchingExportsAndNamesMismatches() throws SQLException {
        ModuleCheck.check("up", module, "upper", AbiLayout.of(List.of(SqlTypes.TEXT), SqlTypes.TEXT, true));
        ModuleCheck.check("o", module, "opt_i64", AbiLayout.of(List.of(SqlTypes.BIGINT), SqlTypes.BIGINT, false));
        SQLException e = assertThrows(SQLException.class,
                () -> ModuleCheck.check("up", module, "upper", AbiLayout.of(List.of(SqlTypes.BIGINT), SqlTypes.TEXT, true)));
        assertEquals("function up: export \"upper\" has signature (i32, i32) -> i32 but bigint -> text needs (i64) -> i32 retptr",
                ((HintedSQLException) e).primaryMessage());
        assertEquals("The export's signature matches up(integer, integer) RETURNS integer STRICT (or another type with the same core values:"
                + " docs/ABI.md lists each type's).", ((HintedSQLException) e).hint());
        assertEquals(SqlStates.INVALID_FUNCTION_DEFINITION, e.getSQLState());
        e = assertThrows(SQLException.class, () -> ModuleCheck.check("x", module, "nope", AbiLayout.of(List.of(), SqlTypes.INTEGER, true)));
        assertTrue(e.getMessage().startsWith("function x: module has no export \"nope\""), e.getMessage());
    }

    @Test
    void discardIsSticky() {
        assertTrue(!guest.isDiscarded());
        guest.discard();
        assertTrue(guest.isDiscarded());
    }

    /** Every registered codec's routines exist with the types the bridge generator emits calls for. */
    @Test
    void everyCodecRoutineResolves() {
        List<SqlType> types = new java.util.ArrayList<>(SqlTypes.all());
        SqlTypes.all().forEach(t -> types.add(SqlTypes.arrayOf(t)));
        for (SqlType t : types) {
            if (t.lowering() instanceof SqlType.Lowering.Scalar s) {
                assertEquals(t.boxedType(), s.orZero().type().parameterType(0), t + " orZero");
                assertEquals(t.flat().get(0).javaType(), s.orZero().type().returnType(), t + " orZero");
                s.orZero().handle();
                if (s.toCore() != null) {
                    s.toCore().handle();
                }
            } else if (t.lowering() instanceof SqlType.Lowering.Flat f) {
                assertEquals(t.flat().size(), f.toCore().size(), t + " toCore");
                assertEquals(t.flat().size(), f.orZero().size(), t + " orZero");
                for (int i = 0; i < t.flat().size(); i++) {
                    assertEquals(t.javaType(), f.toCore().get(i).handle().type().parameterType(0), t + " toCore");
                    assertEquals(t.flat().get(i).javaType(), f.toCore().get(i).type().returnType(), t + " toCore");
                    assertEquals(t.boxedType(), f.orZero().get(i).handle().type().parameterType(0), t + " orZero");
                    assertEquals(t.flat().get(i).javaType(), f.orZero().get(i).type().returnType(), t + " orZero");
                }
            } else {
                SqlType.Lowering.Allocated a = (SqlType.Lowering.Allocated) t.lowering();
                for (StaticCall c : List.of(a.plan(), a.align(), a.size(), a.write())) {
                    c.handle();
                }
                // arrays: one routine for every Object[] subclass
                assertTrue(a.plan().type().parameterType(1).isAssignableFrom(t.javaType()), t + " plan");
                assertTrue(a.write().type().parameterType(1).isAssignableFrom(t.javaType()), t + " write");
            }
            assertEquals(t.boxedType(), t.liftOptional().handle().type().returnType(), t + " liftOptional");
            if (t.flat().size() == 1) {
                assertEquals(t.liftDirect() == null ? t.flat().get(0).javaType() : t.javaType(),
                        t.liftDirect() == null ? t.javaType() : t.liftDirect().type().returnType(), t + " liftDirect");
            } else {
                assertEquals(t.javaType(), t.liftArea().handle().type().returnType(), t + " liftArea");
            }
            assertEquals(t.packsIntoI64(), t.liftPacked() != null, t + " liftPacked");
            if (t.liftPacked() != null) {
                assertEquals(t.boxedType(), t.liftPacked().handle().type().returnType());
            }
            assertEquals(t, SqlTypes.byName(t.sqlName()));
        }
    }
}
