package io.wasmudf.engine.internal.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The instruction set of WebAssembly 3.0 by text name: opcode (with its 0xFB/0xFC/0xFD prefix)
 * and the kind of immediates, read from {@code instructions.txt} ("name opcode immediates" a
 * line; opcodes as {@code 0x41} or {@code fd:12}).
 */
final class Instructions {
    /** What follows the mnemonic in the text, and so how the immediates are encoded. */
    enum Imm {
        NONE, BLOCK, TRY, TRY_TABLE, ELSE, END, CATCH, CATCH_ALL, DELEGATE, LABEL, BR_TABLE, FUNC,
        CALL_INDIRECT, TYPE, LOCAL, GLOBAL, TABLE, TABLE_INIT, TABLE_COPY, ELEM, DATA, MEM,
        MEMORY_INIT, MEMORY_COPY, MEMARG, MEMARG_LANE, I32, I64, F32, F64, V128, SELECT, REF_NULL,
        LANE, SHUFFLE, FIELD, ARRAY_FIXED, TYPE_DATA, TYPE_ELEM, TYPE_TYPE, REF_TEST, BR_ON_CAST, TAG
    }

    /** One instruction: prefix byte (0 for none), opcode, immediates, natural alignment in bytes. */
    record Instr(String name, int prefix, int code, Imm imm, int naturalAlign) {
        void writeOpcode(ByteBuf out) {
            if (prefix == 0) {
                out.u8(code);
            } else {
                out.u8(prefix).u32(code);
            }
        }
    }

    private static final Map<String, Instr> BY_NAME = load();

    private Instructions() {}

    static Instr get(String name) {
        return BY_NAME.get(name);
    }

    private static Map<String, Instr> load() {
        Map<String, Instr> map = new HashMap<>(1024);
        try (InputStream in = Instructions.class.getResourceAsStream("instructions.txt")) {
            if (in == null) {
                throw new IllegalStateException("instructions.txt missing from the engine jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(" ");
                int prefix = 0;
                int code;
                if (f[1].startsWith("0x")) {
                    code = Integer.parseInt(f[1].substring(2), 16);
                } else {
                    prefix = Integer.parseInt(f[1].substring(0, 2), 16);
                    code = Integer.parseInt(f[1].substring(3));
                }
                String imm = f[2];
                int align = 0;
                if (imm.startsWith("memarg_lane")) {
                    align = Integer.parseInt(imm.substring("memarg_lane".length()));
                    imm = "memarg_lane";
                } else if (imm.startsWith("memarg")) {
                    align = Integer.parseInt(imm.substring("memarg".length()));
                    imm = "memarg";
                }
                map.put(f[0], new Instr(f[0], prefix, code, Imm.valueOf(imm.toUpperCase()), align));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return map;
    }
}
