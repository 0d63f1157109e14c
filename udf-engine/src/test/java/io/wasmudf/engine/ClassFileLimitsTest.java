package io.wasmudf.engine;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.testsupport.ModuleBytes;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Valid modules that no JVM class can hold are refused with a {@link ResourceLimitException} that
 * says which limit, never with a {@code ClassFormatError} or an {@link EngineBugException}.
 */
class ClassFileLimitsTest {
    /** One function of type (i64 × {@code params}) -> () with {@code locals} extra i64 locals and an empty body. */
    private static byte[] module(int params, int locals) {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.writeBytes(new byte[] {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00});
        ByteArrayOutputStream types = new ByteArrayOutputStream();
        types.write(1);
        types.write(0x60);
        ModuleBytes.writeU32(types, params);
        for (int i = 0; i < params; i++) {
            types.write(0x7E);
        }
        types.write(0);
        ModuleBytes.section(m, 1, types);
        ByteArrayOutputStream funcs = new ByteArrayOutputStream();
        funcs.writeBytes(new byte[] {1, 0});
        ModuleBytes.section(m, 3, funcs);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (locals > 0) {
            body.write(1);
            ModuleBytes.writeU32(body, locals);
            body.write(0x7E);
        } else {
            body.write(0);
        }
        body.write(0x0B);
        ByteArrayOutputStream code = new ByteArrayOutputStream();
        code.write(1);
        ModuleBytes.writeU32(code, body.size());
        code.writeBytes(body.toByteArray());
        ModuleBytes.section(m, 10, code);
        return m.toByteArray();
    }

    @Test
    void tooManyParameterSlotsForAJvmMethod() {
        Engine.create().compile(module(127, 0)); // 254 slots and the instance: fits
        String message = assertThrows(ResourceLimitException.class, () -> Engine.create().compile(module(128, 0))).getMessage();
        assertTrue(message.contains("too many parameters for the JVM"), message);
    }

    @Test
    void tooManyLocalSlotsForAJvmMethod() {
        String message = assertThrows(ResourceLimitException.class, () -> Engine.create().compile(module(0, 40_000))).getMessage();
        assertTrue(message.contains("too many locals for the JVM"), message);
    }
}
