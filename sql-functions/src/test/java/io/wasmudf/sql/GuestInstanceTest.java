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
        long packed = guest.lowerText(s);
        int ptr = AbiValues.ptr(packed);
        int len = AbiValues.len(packed);
        assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), memory.read(ptr, len));
        long next = guest.lowerText("");
        assertEquals(0, AbiValues.len(next));
        assertTrue(AbiValues.ptr(next) >= ptr + len, "the allocator hands out fresh memory");
        assertEquals(0L, guest.lowerOptionalText(null));
        assertEquals(0L, guest.lowerOptionalBytes(null));
        long bytes = guest.lowerBytes(new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, memory.read(AbiValues.ptr(bytes), AbiValues.len(bytes)));
    }

    @Test
    void liftsTextAndBytesFromAReturnArea() throws Throwable {
        MethodHandle echo = guest.instance().function("echo").handle();
        long packed = guest.lowerText("日本語");
        int retptr = (int) echo.invokeExact(AbiValues.ptr(packed), AbiValues.len(packed));
        assertEquals("日本語", guest.liftText(retptr));
        assertArrayEquals("日本語".getBytes(StandardCharsets.UTF_8), guest.liftBytes(retptr));
    }

    @Test
    void liftsOptionsByDiscriminantAndAlignment() {
        int area = 60_000;
        memory.writeByte(area, (byte) 0);
        assertNull(guest.liftOptionalInteger(area));
        assertNull(guest.liftOptionalText(area));
        memory.writeByte(area, (byte) 1);
        memory.writeInt(area + 4, -5);
        assertEquals(-5, guest.liftOptionalInteger(area));
        assertEquals(true, guest.liftOptionalBoolean(area));
        assertEquals((short) -5, guest.liftOptionalSmallint(area));
        memory.writeInt(area + 4, Float.floatToRawIntBits(2.5f));
        assertEquals(2.5f, guest.liftOptionalReal(area));
        memory.writeLong(area + 8, Long.MIN_VALUE);
        assertEquals(Long.MIN_VALUE, guest.liftOptionalBigint(area));
        memory.writeLong(area + 8, Double.doubleToRawLongBits(-0.5));
        assertEquals(-0.5, guest.liftOptionalDouble(area));
        memory.write(100, "ok".getBytes(StandardCharsets.UTF_8), 0, 2);
        memory.writeInt(area + 4, 100);
        memory.writeInt(area + 8, 2);
        assertEquals("ok", guest.liftOptionalText(area));
        assertArrayEquals("ok".getBytes(StandardCharsets.UTF_8), guest.liftOptionalBytes(area));
        memory.writeInt(area + 4, 70_000);
        AbiException e = assertThrows(AbiException.class, () -> guest.liftOptionalSmallint(area));
        assertEquals(SqlStates.NUMERIC_OUT_OF_RANGE, e.sqlState());
        memory.writeByte(area, (byte) 2);
        assertEquals(SqlStates.EXTERNAL_ROUTINE_EXCEPTION, assertThrows(AbiException.class, () -> guest.liftOptionalInteger(area)).sqlState());
    }

    @Test
    void badResultsAreErrorsNotCrashes() {
        int area = 60_000;
        memory.write(200, new byte[] {(byte) 0xff, (byte) 0xfe}, 0, 2);
        memory.writeInt(area, 200);
        memory.writeInt(area + 4, 2);
        assertEquals(SqlStates.CHARACTER_NOT_IN_REPERTOIRE, assertThrows(AbiException.class, () -> guest.liftText(area)).sqlState());
        memory.writeInt(area, -100);
        assertThrows(Trap.class, () -> guest.liftText(area));
        memory.writeInt(area, 0);
        memory.writeInt(area + 4, Integer.MAX_VALUE);
        assertThrows(Trap.class, () -> guest.liftText(area));
        assertThrows(Trap.class, () -> guest.liftBytes(area));
        assertThrows(Trap.class, () -> guest.liftText(-4));
    }

    @Test
    void moduleCheckAcceptsMatchingExportsAndNamesMismatches() throws SQLException {
        ModuleCheck.check("up", module, "upper", AbiSignature.of(List.of(SqlType.TEXT), SqlType.TEXT, true));
        ModuleCheck.check("o", module, "opt_i64", AbiSignature.of(List.of(SqlType.BIGINT), SqlType.BIGINT, false));
        SQLException e = assertThrows(SQLException.class,
                () -> ModuleCheck.check("up", module, "upper", AbiSignature.of(List.of(SqlType.BIGINT), SqlType.TEXT, true)));
        assertEquals("function up: export \"upper\" has signature (i32, i32) -> i32 but bigint -> text needs (i64) -> i32 retptr", e.getMessage());
        assertEquals(SqlStates.INVALID_FUNCTION_DEFINITION, e.getSQLState());
        e = assertThrows(SQLException.class, () -> ModuleCheck.check("x", module, "nope", AbiSignature.of(List.of(), SqlType.INTEGER, true)));
        assertTrue(e.getMessage().startsWith("function x: module has no export \"nope\""), e.getMessage());
    }

    @Test
    void discardIsSticky() {
        assertTrue(!guest.isDiscarded());
        guest.discard();
        assertTrue(guest.isDiscarded());
    }
}
