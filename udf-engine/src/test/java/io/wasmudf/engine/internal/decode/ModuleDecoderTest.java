package io.wasmudf.engine.internal.decode;

import static io.wasmudf.engine.internal.decode.Wasm.body;
import static io.wasmudf.engine.internal.decode.Wasm.bytes;
import static io.wasmudf.engine.internal.decode.Wasm.code;
import static io.wasmudf.engine.internal.decode.Wasm.module;
import static io.wasmudf.engine.internal.decode.Wasm.section;
import static io.wasmudf.engine.internal.decode.Wasm.voidFunctions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.ExternKind;
import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.MalformedModuleException;
import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.DataSegment;
import io.wasmudf.engine.internal.model.ElementSegment;
import io.wasmudf.engine.internal.model.Export;
import io.wasmudf.engine.internal.model.FunctionBody;
import io.wasmudf.engine.internal.model.Import;
import io.wasmudf.engine.internal.model.ImportDesc;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.Limits;
import io.wasmudf.engine.internal.model.Opcodes;
import io.wasmudf.engine.internal.model.SimdOpcodes;
import io.wasmudf.engine.internal.model.WasmModule;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleDecoderTest {

    private static String malformedReason(byte[] module) {
        return assertThrows(MalformedModuleException.class, () -> ModuleDecoder.decode(module)).reason();
    }

    /** Decodes a module with one {@code () -> ()} function whose body is the given bytes. */
    private static FunctionBody singleBody(int... localsAndCode) {
        byte[][] types = voidFunctions(1);
        WasmModule m = ModuleDecoder.decode(module(types[0], types[1], code(body(localsAndCode))));
        return m.bodies().get(0);
    }

    private static int[] opcodes(List<Instruction> code) {
        return code.stream().mapToInt(Instruction::opcode).toArray();
    }

    @Test
    void decodeWithoutCodeKeepsEverythingButTheBodies() {
        byte[] wasm = io.wasmudf.engine.Wat.toBinary("(module (memory 1) (global i32 (i32.const 5)) (table 2 funcref)\n"
                + "(func $a (export \"a\") (param i32) (result i32) (local i64) (i32.add (local.get 0) (i32.const 1)))\n"
                + "(func (export \"b\") (drop (call $a (i32.const 2))))\n"
                + "(elem (i32.const 0) $a) (data (i32.const 8) \"hi\"))");
        WasmModule whole = ModuleDecoder.decode(wasm);
        WasmModule shell = ModuleDecoder.decodeWithoutCode(wasm);
        assertEquals(whole.types(), shell.types());
        assertArrayEquals(whole.functions(), shell.functions());
        assertEquals(whole.exports(), shell.exports());
        assertEquals(whole.globals(), shell.globals());
        assertEquals(whole.elements(), shell.elements());
        assertEquals(whole.data().size(), shell.data().size());
        assertEquals(whole.memories(), shell.memories());
        assertEquals(2, shell.bodies().size(), "one (empty) body per function");
        assertTrue(shell.bodies().stream().allMatch(b -> b.code().isEmpty() && b.locals().isEmpty()));
        assertTrue(!whole.bodies().get(0).code().isEmpty());
        // the section structure is still checked
        byte[] cut = java.util.Arrays.copyOf(wasm, wasm.length - 3);
        assertThrows(MalformedModuleException.class, () -> ModuleDecoder.decodeWithoutCode(cut));
    }

    @Test
    void emptyModule() {
        WasmModule m = ModuleDecoder.decode(module());
        assertEquals(List.of(), m.types());
        assertEquals(0, m.functions().length);
        assertEquals(-1, m.start());
        assertEquals(-1, m.dataCount());
        assertEquals(Map.of(), m.names());
    }

    @Test
    void addFunctionWithExport() {
        byte[] m = module(
                section(1, 0x01, 0x60, 0x02, 0x7F, 0x7F, 0x01, 0x7F),
                section(3, 0x01, 0x00),
                section(7, 0x01, 0x03, 'a', 'd', 'd', 0x00, 0x00),
                code(body(0x00, 0x20, 0x00, 0x20, 0x01, 0x6A, 0x0B)));
        WasmModule w = ModuleDecoder.decode(m);
        assertEquals(List.of(new FuncType(List.of(ValType.I32, ValType.I32), List.of(ValType.I32))), w.types());
        assertArrayEquals(new int[] {0}, w.functions());
        assertEquals(List.of(new Export("add", ExternKind.FUNC, 0)), w.exports());
        FunctionBody b = w.bodies().get(0);
        assertArrayEquals(new int[] {Opcodes.LOCAL_GET, Opcodes.LOCAL_GET, Opcodes.I32_ADD, Opcodes.END}, opcodes(b.code()));
        assertEquals(1, b.code().get(1).a());
        assertEquals(List.of(), b.locals());
    }

    @Test
    void localsAreExpandedFromRuns() {
        FunctionBody b = singleBody(0x02, 0x02, 0x7F, 0x01, 0x7C, 0x0B);
        assertEquals(List.of(ValType.I32, ValType.I32, ValType.F64), b.locals());
    }

    @Test
    void blockStructureIsLinked() {
        // 0: block (result i32)   1: i32.const 1   2: if   3: nop   4: else   5: nop   6: end
        // 7: i32.const 2          8: end           9: drop 10: loop (type 0)  11: end  12: end
        FunctionBody b = singleBody(0x00,
                0x02, 0x7F, 0x41, 0x01, 0x04, 0x40, 0x01, 0x05, 0x01, 0x0B, 0x41, 0x02, 0x0B,
                0x1A, 0x03, 0x00, 0x0B, 0x0B);
        List<Instruction> c = b.code();
        assertEquals(13, c.size());
        Instruction block = c.get(0);
        assertEquals(Instruction.BLOCK_VALUE, block.a());
        assertEquals(0x7F, block.b());
        assertEquals(8, block.c());
        Instruction iff = c.get(2);
        assertEquals(Instruction.BLOCK_EMPTY, iff.a());
        assertEquals(6, iff.c());
        assertEquals(4, iff.labels()[0]);
        assertEquals(Opcodes.ELSE, c.get(4).opcode());
        Instruction loop = c.get(10);
        assertEquals(0, loop.a());
        assertEquals(11, loop.c());
        assertEquals(Opcodes.END, c.get(12).opcode());
    }

    @Test
    void ifWithoutElseHasNoElseIndex() {
        FunctionBody b = singleBody(0x00, 0x41, 0x00, 0x04, 0x40, 0x0B, 0x0B);
        assertEquals(-1, b.code().get(1).labels()[0]);
        assertEquals(2, b.code().get(1).c());
    }

    @Test
    void immediates() {
        FunctionBody b = singleBody(0x00,
                0x41, 0x7F,                                     // i32.const -1
                0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F, // i64.const MIN
                0x43, 0x00, 0x00, 0xC0, 0x7F,                   // f32.const nan
                0x28, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F,       // i32.load align=2 offset=2^32-1
                0x11, 0x03, 0x01,                               // call_indirect type 3 table 1
                0x0E, 0x02, 0x00, 0x01, 0x02,                   // br_table 0 1 default 2
                0x1C, 0x01, 0x7E,                               // select (result i64)
                0xFC, 0x0C, 0x05, 0x01,                         // table.init elem 5 table 1
                0xFC, 0x0E, 0x02, 0x03,                         // table.copy dst 2 src 3
                0xD0, 0x6F,                                     // ref.null extern
                0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F,             // call 2^32-1
                0xFC, 0x00,                                     // i32.trunc_sat_f32_s
                0x0B);
        List<Instruction> c = b.code();
        assertEquals(-1L, c.get(0).c());
        assertEquals(Long.MIN_VALUE, c.get(1).c());
        assertEquals(0x7FC00000, (int) c.get(2).c());
        assertEquals(2, c.get(3).a());
        assertEquals(0xFFFF_FFFFL, c.get(3).c());
        assertEquals(3, c.get(4).a());
        assertEquals(1, c.get(4).b());
        assertArrayEquals(new int[] {0, 1}, c.get(5).labels());
        assertEquals(2, c.get(5).a());
        assertArrayEquals(new int[] {0x7E}, c.get(6).labels());
        assertEquals(Opcodes.TABLE_INIT, c.get(7).opcode());
        assertEquals(5, c.get(7).a());
        assertEquals(1, c.get(7).b());
        assertEquals(2, c.get(8).a());
        assertEquals(3, c.get(8).b());
        assertEquals(0x6F, c.get(9).a());
        assertEquals(Integer.MAX_VALUE, c.get(10).a());
        assertEquals(Opcodes.I32_TRUNC_SAT_F32_S, c.get(11).opcode());
    }

    @Test
    void importsGlobalsAndLimits() {
        byte[] m = module(
                section(1, 0x01, 0x60, 0x00, 0x00),
                section(2, 0x04,
                        0x01, 'm', 0x01, 'f', 0x00, 0x00,
                        0x01, 'm', 0x01, 't', 0x01, 0x70, 0x01, 0x01, 0x0A,
                        0x01, 'm', 0x01, 'M', 0x02, 0x00, 0x02,
                        0x01, 'm', 0x01, 'g', 0x03, 0x7E, 0x01),
                section(6, 0x01, 0x7D, 0x00, 0x43, 0x00, 0x00, 0x80, 0x3F, 0x0B));
        WasmModule w = ModuleDecoder.decode(m);
        List<Import> imports = w.imports();
        assertEquals(new ImportDesc.Func(0), imports.get(0).desc());
        ImportDesc.Table table = (ImportDesc.Table) imports.get(1).desc();
        assertEquals(ValType.FUNCREF, table.type().elemType());
        assertEquals(new Limits(1, 10), table.type().limits());
        assertEquals(new Limits(2, -1), ((ImportDesc.Memory) imports.get(2).desc()).type().limits());
        ImportDesc.Global g = (ImportDesc.Global) imports.get(3).desc();
        assertEquals(ValType.I64, g.type().type());
        assertTrue(g.type().mutable());
        assertEquals(1, w.importedFunctionCount());
        assertEquals(1, w.globals().size());
        assertEquals(Float.floatToRawIntBits(1.0f), (int) w.globals().get(0).init().get(0).c());
        assertEquals(1, w.globals().get(0).init().size(), "constant expressions omit their end");
    }

    @Test
    void elementSegmentEncodings() {
        byte[][] types = voidFunctions(1);
        byte[] m = module(types[0], types[1],
                section(4, 0x01, 0x70, 0x00, 0x01),
                section(9, 0x04,
                        0x00, 0x41, 0x00, 0x0B, 0x02, 0x00, 0x00,         // active, table 0, func indices
                        0x05, 0x6F, 0x01, 0xD0, 0x6F, 0x0B,               // passive externref exprs
                        0x06, 0x00, 0x41, 0x01, 0x0B, 0x70, 0x01, 0xD2, 0x00, 0x0B, // active table 0, exprs
                        0x03, 0x00, 0x01, 0x00),                          // declarative, func indices
                code(body(0x00, 0x0B)));
        List<ElementSegment> e = ModuleDecoder.decode(m).elements();
        assertEquals(ElementSegment.Mode.ACTIVE, e.get(0).mode());
        assertEquals(ValType.FUNCREF, e.get(0).type());
        assertEquals(2, e.get(0).init().size());
        assertEquals(Opcodes.REF_FUNC, e.get(0).init().get(1).get(0).opcode());
        assertEquals(Opcodes.I32_CONST, e.get(0).offset().get(0).opcode());
        assertEquals(ElementSegment.Mode.PASSIVE, e.get(1).mode());
        assertEquals(ValType.EXTERNREF, e.get(1).type());
        assertEquals(Opcodes.REF_NULL, e.get(1).init().get(0).get(0).opcode());
        assertEquals(1, e.get(2).offset().get(0).c());
        assertEquals(ElementSegment.Mode.DECLARATIVE, e.get(3).mode());
    }

    @Test
    void badElementKinds() {
        assertEquals("malformed elements segment kind", malformedReason(module(section(9, 0x01, 0x08))));
        assertEquals("malformed element kind", malformedReason(module(section(9, 0x01, 0x01, 0x01, 0x00))));
        assertEquals("malformed reference type", malformedReason(module(section(9, 0x01, 0x05, 0x7F, 0x00))));
    }

    @Test
    void dataSegmentEncodings() {
        byte[] m = module(
                section(5, 0x01, 0x00, 0x01),
                section(12, 0x03),
                section(11, 0x03,
                        0x00, 0x41, 0x08, 0x0B, 0x02, 'h', 'i',
                        0x01, 0x01, 'x',
                        0x02, 0x00, 0x41, 0x10, 0x0B, 0x00));
        WasmModule w = ModuleDecoder.decode(m);
        assertEquals(3, w.dataCount());
        List<DataSegment> d = w.data();
        assertTrue(d.get(0).active());
        assertArrayEquals("hi".getBytes(StandardCharsets.US_ASCII), d.get(0).bytes());
        assertEquals(8, d.get(0).offset().get(0).c());
        assertTrue(!d.get(1).active());
        assertArrayEquals(bytes('x'), d.get(1).bytes());
        assertEquals(16, d.get(2).offset().get(0).c());
        assertEquals(0, d.get(2).bytes().length);
        assertEquals("malformed data segment kind", malformedReason(module(section(11, 0x01, 0x03))));
    }

    @Test
    void functionNamesComeFromTheNameSection() {
        byte[][] types = voidFunctions(2);
        byte[] names = section(0, 0x04, 'n', 'a', 'm', 'e',
                0x01, 0x08, 0x02, 0x00, 0x02, 'f', '0', 0x01, 0x01, 'g');
        byte[] m = module(types[0], types[1], code(body(0x00, 0x0B), body(0x00, 0x0B)), names);
        assertEquals(Map.of(0, "f0", 1, "g"), ModuleDecoder.decode(m).names());
    }

    @Test
    void brokenNameSectionIsIgnored() {
        byte[][] types = voidFunctions(1);
        // Subsection claims 9 bytes but only 3 follow; the name bytes are not UTF-8 either.
        byte[] names = section(0, 0x04, 'n', 'a', 'm', 'e', 0x01, 0x09, 0x01, 0x00, 0x01);
        byte[] m = module(types[0], types[1], code(body(0x00, 0x0B)), names);
        assertEquals(Map.of(), ModuleDecoder.decode(m).names());
        byte[] badUtf8 = section(0, 0x04, 'n', 'a', 'm', 'e', 0x01, 0x04, 0x01, 0x00, 0x01, 0xFF);
        assertEquals(Map.of(), ModuleDecoder.decode(module(types[0], types[1], code(body(0x00, 0x0B)), badUtf8)).names());
    }

    @Test
    void customSectionRunningPastTheModuleEndIsMalformed() {
        // found by the decoder fuzzer: a name section claiming 11 bytes where 10 remain, whose name
        // map then read past the array (was an ArrayIndexOutOfBoundsException, not a decode error)
        byte[] pastEnd = hex("0061736d0100000001040160000003020100040401700001090b01060041000b7001d2000b0a080106000e"
                + "0100000b000b046e616d650104010001");
        MalformedModuleException e = assertThrows(MalformedModuleException.class, () -> ModuleDecoder.decode(pastEnd));
        assertTrue(e.getMessage().startsWith("unexpected end"), e.getMessage());
    }

    @Test
    void simdInstructionsAndTypesDecode() {
        byte[][] types = voidFunctions(1);
        // v128.const i8x16 0..15, then i8x16.extract_lane_u 3, drop
        byte[] constBody = body(0x00, 0xFD, 0x0C, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
                0xFD, 0x16, 0x03, 0x1A, 0x0B);
        List<Instruction> code = ModuleDecoder.decode(module(types[0], types[1], code(constBody))).bodies().get(0).code();
        Instruction c = code.get(0);
        assertEquals(SimdOpcodes.V128_CONST, c.opcode());
        assertEquals(0x0706_0504_0302_0100L, c.c());
        assertEquals(0x0F0E_0D0C_0B0A_0908L, SimdOpcodes.high(c));
        assertEquals("i8x16.extract_lane_u", Opcodes.name(code.get(1).opcode()));
        assertEquals(3, code.get(1).b());
        // v128.load8_lane align=0 offset=5 lane=7 (sub-opcode 84: a two-byte LEB128)
        byte[] laneBody = body(0x00, 0x41, 0x00, 0xFD, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0xFD, 0x54, 0x00, 0x05, 0x07, 0x1A, 0x0B);
        Instruction load = ModuleDecoder.decode(module(types[0], types[1], code(laneBody))).bodies().get(0).code().get(2);
        assertEquals("v128.load8_lane", Opcodes.name(load.opcode()));
        assertEquals(5, load.c());
        assertEquals(7, load.b());
        byte[] v128Param = module(section(1, 0x01, 0x60, 0x01, 0x7B, 0x00));
        assertEquals(List.of(ValType.V128), ModuleDecoder.decode(v128Param).types().get(0).params());
        byte[] v128Local = module(types[0], types[1], code(body(0x01, 0x01, 0x7B, 0x0B)));
        assertEquals(List.of(ValType.V128), ModuleDecoder.decode(v128Local).bodies().get(0).locals());
        // sub-opcode 154 (0x9A 0x01) is unassigned
        byte[] unassigned = module(types[0], types[1], code(body(0x00, 0xFD, 0x9A, 0x01, 0x0B)));
        MalformedModuleException e = assertThrows(MalformedModuleException.class, () -> ModuleDecoder.decode(unassigned));
        assertEquals("illegal opcode", e.reason());
    }

    @Test
    void localCountIsCapped() {
        byte[][] types = voidFunctions(1);
        int[] max = {0x01, 0xD0, 0x86, 0x03, 0x7F, 0x0B}; // 50,000 locals
        assertEquals(CodeDecoder.MAX_LOCALS, singleBody(max).locals().size());
        byte[] tooMany = module(types[0], types[1], code(body(0x02, 0xD0, 0x86, 0x03, 0x7F, 0x01, 0x7E, 0x0B)));
        assertEquals("too many locals", malformedReason(tooMany));
    }

    @Test
    void bodyStructureErrors() {
        byte[][] t = voidFunctions(1);
        assertEquals("section size mismatch", malformedReason(module(t[0], t[1], code(body(0x00, 0x0B, 0x01)))));
        assertEquals("END opcode expected", malformedReason(module(t[0], t[1], code(body(0x00, 0x05, 0x0B)))));
        assertEquals("END opcode expected",
                malformedReason(module(t[0], t[1], code(body(0x00, 0x02, 0x40, 0x05, 0x0B, 0x0B)))));
        assertEquals("END opcode expected",
                malformedReason(module(t[0], t[1], code(body(0x00, 0x41, 0x00, 0x04, 0x40, 0x05, 0x05, 0x0B, 0x0B)))));
        assertEquals("unexpected end of section or function", malformedReason(module(t[0], t[1], code(body(0x00, 0x01)))));
        assertEquals("illegal opcode", malformedReason(module(t[0], t[1], code(body(0x00, 0x27, 0x0B))))); // (0x06 is legacy try since 3.0)
        assertEquals("illegal opcode", malformedReason(module(t[0], t[1], code(body(0x00, 0xFC, 0x12, 0x0B)))));
        // memarg flags: bit 6 announces a memory index (multi-memory), 128 and more are malformed
        assertEquals("malformed memop flags", malformedReason(module(t[0], t[1], code(body(0x00, 0x28, 0x80, 0x01, 0x00, 0x0B)))));
    }

    @Test
    void deepNestingDoesNotOverflowTheStack() {
        int depth = 200_000;
        int[] code = new int[1 + depth * 3 + 1];
        code[0] = 0x00;
        for (int i = 0; i < depth; i++) {
            code[1 + 2 * i] = 0x02;
            code[2 + 2 * i] = 0x40;
            code[1 + 2 * depth + i] = 0x0B;
        }
        code[code.length - 1] = 0x0B;
        FunctionBody b = singleBody(code);
        assertEquals(2 * depth + 1, b.code().size());
        assertEquals(2 * depth - 1, b.code().get(0).c());
    }

    @Test
    void dataIndicesNeedADataCountSection() {
        byte[][] t = voidFunctions(1);
        byte[] withData = module(t[0], t[1], section(5, 0x01, 0x00, 0x00),
                code(body(0x00, 0xFC, 0x09, 0x00, 0x0B)), section(11, 0x01, 0x01, 0x00));
        assertEquals("data count section required", malformedReason(withData));
        byte[] withCount = module(t[0], t[1], section(5, 0x01, 0x00, 0x00), section(12, 0x01),
                code(body(0x00, 0xFC, 0x09, 0x00, 0x0B)), section(11, 0x01, 0x01, 0x00));
        assertEquals(1, ModuleDecoder.decode(withCount).dataCount());
    }

    @Test
    void sectionOrder() {
        assertEquals("unexpected content after last section",
                malformedReason(module(section(3, 0x00), section(1, 0x00))));
        // Custom sections may appear anywhere, and data count goes between element and code.
        ModuleDecoder.decode(module(section(0, 0x01, 'x'), section(1, 0x00), section(0, 0x01, 'y'),
                section(9, 0x00), section(12, 0x00), section(10, 0x00), section(11, 0x00)));
        assertEquals("malformed section id", malformedReason(module(section(14, 0x00)))); // 13 is the tag section (3.0)
    }

    /** The tag section (3.0 exception handling): between memory and global; a tag is an attribute byte 0 and a type index. */
    @Test
    void tagSection() {
        byte[] tags = section(13, 0x02, 0x00, 0x00, 0x00, 0x01);
        WasmModule m = ModuleDecoder.decode(module(section(5, 0x00), tags, section(6, 0x00)));
        assertArrayEquals(new int[] {0, 1}, m.tags());
        assertEquals("unexpected content after last section", malformedReason(module(section(6, 0x00), tags)));
        assertEquals("malformed tag attribute", malformedReason(module(section(13, 0x01, 0x01, 0x00))));
        assertEquals("malformed section id", assertThrows(MalformedModuleException.class,
                () -> ModuleDecoder.decode(module(tags), io.wasmudf.engine.WasmFeatures.V2_0)).reason());
        // try_table's clauses: (kind, tag, label) triples; a kind above 3 is malformed
        WasmModule t = ModuleDecoder.decode(module(voidFunctions(1)[0], voidFunctions(1)[1],
                code(body(0x00, 0x1F, 0x40, 0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x0B, 0x0B))));
        assertArrayEquals(new int[] {0, 0, 0, 2, 0, 0}, t.bodies().get(0).code().get(0).labels());
        assertEquals("malformed catch clause", malformedReason(module(voidFunctions(1)[0], voidFunctions(1)[1],
                code(body(0x00, 0x1F, 0x40, 0x01, 0x04, 0x00, 0x0B, 0x0B)))));
    }

    private static byte[] hex(String h) {
        byte[] b = new byte[h.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
