package io.wasmudf.engine.internal.validate;

import static io.wasmudf.engine.ValType.EXTERNREF;
import static io.wasmudf.engine.ValType.F32;
import static io.wasmudf.engine.ValType.FUNCREF;
import static io.wasmudf.engine.ValType.I32;
import static io.wasmudf.engine.ValType.I64;
import static io.wasmudf.engine.internal.validate.ModuleBuilder.block;
import static io.wasmudf.engine.internal.validate.ModuleBuilder.blockValue;
import static io.wasmudf.engine.internal.validate.ModuleBuilder.brTable;
import static io.wasmudf.engine.internal.validate.ModuleBuilder.f32;
import static io.wasmudf.engine.internal.validate.ModuleBuilder.i32;
import static io.wasmudf.engine.internal.validate.ModuleBuilder.i64;
import static io.wasmudf.engine.internal.validate.ModuleBuilder.memArg;
import static io.wasmudf.engine.internal.validate.ModuleBuilder.op;
import static io.wasmudf.engine.internal.validate.ModuleBuilder.selectT;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wasmudf.engine.ExternKind;
import io.wasmudf.engine.InvalidModuleException;
import io.wasmudf.engine.internal.model.ElementSegment;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.Opcodes;
import io.wasmudf.engine.internal.model.WasmModule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidatorTest {

    private static void valid(ModuleBuilder b) {
        assertDoesNotThrow(() -> Validator.validate(b.build()));
    }

    private static InvalidModuleException invalid(ModuleBuilder b, String reason) {
        InvalidModuleException e = assertThrows(InvalidModuleException.class, () -> Validator.validate(b.build()));
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }

    /**
     * A module large enough to be validated in parallel runs reports the first invalid function
     * by index, as validating in order does, not whichever run failed first.
     */
    @Test
    void aModelTheDecoderNeverProducesIsAnEngineBugNotAnInvalidModule() {
        WasmModule broken = new WasmModule(null, List.of(), new int[0], List.of(), List.of(), List.of(), List.of(), -1,
                List.of(), -1, List.of(), List.of(), java.util.Map.of());
        io.wasmudf.engine.EngineBugException e = assertThrows(io.wasmudf.engine.EngineBugException.class, () -> Validator.validate(broken));
        assertTrue(e.getCause() instanceof NullPointerException, String.valueOf(e.getCause()));
    }

    @Test
    void aLargeModuleReportsItsFirstInvalidFunction() {
        ModuleBuilder b = new ModuleBuilder();
        for (int f = 0; f < 100; f++) {
            List<Instruction> code = new ArrayList<>();
            for (int k = 0; k < 500; k++) {
                code.add(i32(k));
                code.add(op(Opcodes.DROP));
            }
            if (f == 90) {
                code.add(op(Opcodes.DROP)); // an empty stack: the later error
            }
            code.add(f == 40 ? i64(1) : i32(f)); // the wrong result type: the first error
            b.func(List.of(), List.of(I32), code.toArray(Instruction[]::new));
        }
        for (int round = 0; round < 5; round++) {
            InvalidModuleException e = invalid(b, "type mismatch");
            assertTrue(e.getMessage().contains("function 40"), e.getMessage());
        }
    }

    @Test
    void unreachableMakesTheStackPolymorphic() {
        valid(new ModuleBuilder().func(List.of(), List.of(I32), op(Opcodes.UNREACHABLE)));
        valid(new ModuleBuilder().func(List.of(), List.of(I32),
                op(Opcodes.UNREACHABLE), op(Opcodes.I32_ADD)));
        valid(new ModuleBuilder().func(List.of(), List.of(),
                op(Opcodes.UNREACHABLE), op(Opcodes.SELECT), op(Opcodes.DROP)));
        // The unknown operand still has to meet the concrete one that is on the stack.
        invalid(new ModuleBuilder().func(List.of(), List.of(I32),
                op(Opcodes.UNREACHABLE), f32(), op(Opcodes.I32_ADD)), "type mismatch");
        invalid(new ModuleBuilder().func(List.of(), List.of(I32),
                op(Opcodes.UNREACHABLE), i64(1)), "type mismatch");
        // Values pushed after unreachable count against the block's results.
        invalid(new ModuleBuilder().func(List.of(), List.of(),
                op(Opcodes.UNREACHABLE), i32(1)), "type mismatch");
    }

    @Test
    void unreachableOnlyAffectsItsOwnFrame() {
        // block (result i32) unreachable end i32.add : the outer frame has just one i32.
        invalid(new ModuleBuilder().func(List.of(), List.of(I32),
                blockValue(Opcodes.BLOCK, I32), op(Opcodes.UNREACHABLE), op(Opcodes.END),
                op(Opcodes.I32_ADD)), "type mismatch");
    }

    @Test
    void brTableTargetsMustAgreeOnArity() {
        ModuleBuilder b = new ModuleBuilder();
        b.func(List.of(), List.of(),
                block(Opcodes.BLOCK, Instruction.BLOCK_EMPTY),
                blockValue(Opcodes.BLOCK, I32),
                i32(1), i32(0), brTable(0, 1),
                op(Opcodes.END), op(Opcodes.DROP),
                op(Opcodes.END));
        invalid(b, "type mismatch");

        // Also in unreachable code, where the operands themselves are unknown.
        ModuleBuilder u = new ModuleBuilder();
        u.func(List.of(), List.of(),
                block(Opcodes.BLOCK, Instruction.BLOCK_EMPTY),
                blockValue(Opcodes.BLOCK, I32),
                op(Opcodes.UNREACHABLE), brTable(0, 1),
                op(Opcodes.END), op(Opcodes.DROP),
                op(Opcodes.END));
        invalid(u, "type mismatch");
    }

    @Test
    void brTableChecksEveryTargetsTypes() {
        ModuleBuilder ok = new ModuleBuilder();
        ok.func(List.of(), List.of(I32),
                blockValue(Opcodes.BLOCK, I32),
                blockValue(Opcodes.BLOCK, I32),
                i32(7), i32(0), brTable(0, 1, 0),
                op(Opcodes.END),
                op(Opcodes.END));
        valid(ok);

        ModuleBuilder bad = new ModuleBuilder();
        bad.func(List.of(), List.of(),
                blockValue(Opcodes.BLOCK, F32),
                blockValue(Opcodes.BLOCK, I32),
                i32(7), i32(0), brTable(0, 1),
                op(Opcodes.END), op(Opcodes.DROP), f32(),
                op(Opcodes.END), op(Opcodes.DROP));
        invalid(bad, "type mismatch");

        // Same arity, different types, operands unknown: valid under the Wasm 2.0 algorithm.
        ModuleBuilder poly = new ModuleBuilder();
        poly.func(List.of(), List.of(),
                blockValue(Opcodes.BLOCK, F32),
                blockValue(Opcodes.BLOCK, I32),
                op(Opcodes.UNREACHABLE), brTable(0, 1),
                op(Opcodes.END), op(Opcodes.DROP), f32(),
                op(Opcodes.END), op(Opcodes.DROP));
        valid(poly);
    }

    @Test
    void brTableToUnknownLabelNamesTheDepth() {
        ModuleBuilder b = new ModuleBuilder();
        b.func(List.of(), List.of(), i32(0), brTable(0, 5));
        invalid(b, "unknown label 5");
    }

    @Test
    void ifWithoutElseNeedsMatchingParamsAndResults() {
        ModuleBuilder same = new ModuleBuilder();
        int t = same.type(List.of(I32), List.of(I32));
        same.func(List.of(), List.of(I32),
                i32(5), i32(1), block(Opcodes.IF, t), i32(1), op(Opcodes.I32_ADD), op(Opcodes.END));
        valid(same);

        ModuleBuilder differ = new ModuleBuilder();
        int t2 = differ.type(List.of(I32), List.of(I64));
        differ.func(List.of(), List.of(I64),
                i32(5), i32(1), block(Opcodes.IF, t2), op(Opcodes.I64_EXTEND_I32_S), op(Opcodes.END));
        InvalidModuleException e = invalid(differ, "type mismatch");
        assertTrue(e.getMessage().contains("if without else"), e.getMessage());

        ModuleBuilder noParams = new ModuleBuilder();
        noParams.func(List.of(), List.of(I32),
                i32(1), blockValue(Opcodes.IF, I32), i32(1), op(Opcodes.END));
        invalid(noParams, "type mismatch");

        ModuleBuilder withElse = new ModuleBuilder();
        withElse.func(List.of(), List.of(I32),
                i32(1), blockValue(Opcodes.IF, I32), i32(1), op(Opcodes.ELSE), i32(2), op(Opcodes.END));
        valid(withElse);
    }

    /** if.wast has no wast2json output in our suite copy, so its key invalid cases live here. */
    @Test
    void ifArmsAndConditionAreChecked() {
        invalid(new ModuleBuilder().func(List.of(), List.of(I32),
                blockValue(Opcodes.IF, I32), i32(1), op(Opcodes.ELSE), i32(2), op(Opcodes.END)),
                "type mismatch"); // no condition
        invalid(new ModuleBuilder().func(List.of(), List.of(I32),
                i32(1), blockValue(Opcodes.IF, I32), i32(1), op(Opcodes.ELSE), i64(2), op(Opcodes.END)),
                "type mismatch"); // else arm of the wrong type
        invalid(new ModuleBuilder().func(List.of(), List.of(I32),
                i32(1), blockValue(Opcodes.IF, I32), op(Opcodes.ELSE), i32(2), op(Opcodes.END)),
                "type mismatch"); // empty then arm
        invalid(new ModuleBuilder().func(List.of(), List.of(),
                i32(1), block(Opcodes.IF, Instruction.BLOCK_EMPTY), i32(1), op(Opcodes.END)),
                "type mismatch"); // value left in a void arm
        valid(new ModuleBuilder().func(List.of(), List.of(I32),
                i32(1), blockValue(Opcodes.IF, I32), op(Opcodes.UNREACHABLE), op(Opcodes.ELSE), i32(2),
                op(Opcodes.END)));
        // br out of an if arm targets the if's results.
        valid(new ModuleBuilder().func(List.of(), List.of(I32),
                i32(1), blockValue(Opcodes.IF, I32), i32(3), op(Opcodes.BR, 0), op(Opcodes.ELSE), i32(2),
                op(Opcodes.END)));
        invalid(new ModuleBuilder().func(List.of(), List.of(I32),
                i32(1), blockValue(Opcodes.IF, I32), i64(3), op(Opcodes.BR, 0), op(Opcodes.ELSE), i32(2),
                op(Opcodes.END)), "type mismatch");
    }

    /** Likewise for table_get/set/size/fill.wast. */
    @Test
    void tableAccessTypes() {
        ModuleBuilder ok = new ModuleBuilder().table(EXTERNREF, 1, -1);
        ok.func(List.of(), List.of(I32),
                i32(0), op(Opcodes.TABLE_GET, 0), op(Opcodes.DROP),
                i32(0), op(Opcodes.REF_NULL, EXTERNREF.code()), op(Opcodes.TABLE_SET, 0),
                i32(0), op(Opcodes.REF_NULL, EXTERNREF.code()), i32(1), op(Opcodes.TABLE_FILL, 0),
                op(Opcodes.TABLE_SIZE, 0));
        valid(ok);
        invalid(new ModuleBuilder().table(EXTERNREF, 1, -1).func(List.of(), List.of(FUNCREF),
                i32(0), op(Opcodes.TABLE_GET, 0)), "type mismatch");
        invalid(new ModuleBuilder().table(EXTERNREF, 1, -1).func(List.of(), List.of(),
                i32(0), op(Opcodes.REF_NULL, FUNCREF.code()), op(Opcodes.TABLE_SET, 0)), "type mismatch");
        invalid(new ModuleBuilder().table(EXTERNREF, 1, -1).func(List.of(), List.of(),
                i64(0), op(Opcodes.REF_NULL, EXTERNREF.code()), i32(1), op(Opcodes.TABLE_FILL, 0)), "type mismatch");
        invalid(new ModuleBuilder().func(List.of(), List.of(I32), op(Opcodes.TABLE_SIZE, 0)), "unknown table 0");
        invalid(new ModuleBuilder().table(EXTERNREF, 1, -1).func(List.of(), List.of(I64),
                op(Opcodes.TABLE_SIZE, 0)), "type mismatch");
    }

    @Test
    void multiValueBlocksTakeParamsAndProduceResults() {
        ModuleBuilder b = new ModuleBuilder();
        int t = b.type(List.of(I32, I64), List.of(I64, I32));
        b.func(List.of(), List.of(I64, I32),
                i32(1), i64(2), block(Opcodes.BLOCK, t),
                op(Opcodes.DROP), op(Opcodes.DROP), i64(3), i32(4),
                op(Opcodes.END));
        valid(b);

        // A loop's label takes its parameters, not its results.
        ModuleBuilder loop = new ModuleBuilder();
        int lt = loop.type(List.of(I32), List.of(I64));
        loop.func(List.of(), List.of(I64),
                i32(1), block(Opcodes.LOOP, lt), op(Opcodes.BR_IF, 0), i64(0), op(Opcodes.END));
        invalid(loop, "type mismatch"); // br_if 0 pops the condition and needs an i32 param below it
        ModuleBuilder loopOk = new ModuleBuilder();
        int lt2 = loopOk.type(List.of(I32), List.of(I64));
        loopOk.func(List.of(), List.of(I64),
                i32(1), block(Opcodes.LOOP, lt2), i32(0), op(Opcodes.BR_IF, 0), op(Opcodes.DROP), i64(0),
                op(Opcodes.END));
        valid(loopOk);

        ModuleBuilder unknown = new ModuleBuilder();
        unknown.func(List.of(), List.of(), block(Opcodes.BLOCK, 9), op(Opcodes.END));
        invalid(unknown, "unknown type 9");
    }

    @Test
    void refFuncNeedsADeclaredFunction() {
        ModuleBuilder undeclared = new ModuleBuilder();
        undeclared.func(List.of(), List.of(), op(Opcodes.REF_FUNC, 0), op(Opcodes.DROP));
        invalid(undeclared, "undeclared function reference");

        ModuleBuilder exported = new ModuleBuilder();
        exported.func(List.of(), List.of(), op(Opcodes.REF_FUNC, 0), op(Opcodes.DROP));
        exported.export("f", ExternKind.FUNC, 0);
        valid(exported);

        ModuleBuilder inGlobal = new ModuleBuilder();
        inGlobal.func(List.of(), List.of(), op(Opcodes.REF_FUNC, 0), op(Opcodes.DROP));
        inGlobal.global(FUNCREF, false, op(Opcodes.REF_FUNC, 0));
        valid(inGlobal);

        ModuleBuilder declaredElem = new ModuleBuilder();
        declaredElem.func(List.of(), List.of(), op(Opcodes.REF_FUNC, 0), op(Opcodes.DROP));
        declaredElem.elements.add(new ElementSegment(ElementSegment.Mode.DECLARATIVE, 0, List.of(), FUNCREF,
                List.of(List.of(op(Opcodes.REF_FUNC, 0)))));
        valid(declaredElem);

        ModuleBuilder outOfRange = new ModuleBuilder();
        outOfRange.func(List.of(), List.of(), op(Opcodes.REF_FUNC, 7), op(Opcodes.DROP));
        invalid(outOfRange, "unknown function 7");
    }

    @Test
    void selectRules() {
        valid(new ModuleBuilder().func(List.of(), List.of(I64), i64(1), i64(2), i32(0), op(Opcodes.SELECT)));
        invalid(new ModuleBuilder().func(List.of(), List.of(I64), i64(1), i32(2), i32(0), op(Opcodes.SELECT)),
                "type mismatch");
        // Untyped select is for numeric operands only.
        invalid(new ModuleBuilder().func(List.of(), List.of(),
                op(Opcodes.REF_NULL, FUNCREF.code()), op(Opcodes.REF_NULL, FUNCREF.code()), i32(0),
                op(Opcodes.SELECT), op(Opcodes.DROP)), "type mismatch");
        valid(new ModuleBuilder().func(List.of(), List.of(),
                op(Opcodes.REF_NULL, EXTERNREF.code()), op(Opcodes.REF_NULL, EXTERNREF.code()), i32(0),
                selectT(EXTERNREF), op(Opcodes.DROP)));
        invalid(new ModuleBuilder().func(List.of(), List.of(),
                i32(1), i32(1), i32(1), i32(1), i32(0), selectT(I32, I32), op(Opcodes.DROP), op(Opcodes.DROP)),
                "invalid result arity");
    }

    @Test
    void localsGlobalsAndMemory() {
        invalid(new ModuleBuilder().func(List.of(I32), List.of(), List.of(I64), op(Opcodes.LOCAL_GET, 2),
                op(Opcodes.DROP)), "unknown local 2");
        valid(new ModuleBuilder().func(List.of(I32), List.of(I64), List.of(I64), op(Opcodes.LOCAL_GET, 1)));
        invalid(new ModuleBuilder().global(I32, false, i32(0))
                .func(List.of(), List.of(), i32(1), op(Opcodes.GLOBAL_SET, 0)), "global is immutable");
        valid(new ModuleBuilder().global(I32, true, i32(0))
                .func(List.of(), List.of(), i32(1), op(Opcodes.GLOBAL_SET, 0)));
        invalid(new ModuleBuilder().func(List.of(), List.of(I32), i32(0), memArg(Opcodes.I32_LOAD, 2)),
                "unknown memory 0");
        valid(new ModuleBuilder().memory(1, -1)
                .func(List.of(), List.of(I32), i32(0), memArg(Opcodes.I32_LOAD, 2)));
        invalid(new ModuleBuilder().memory(1, -1)
                .func(List.of(), List.of(I32), i32(0), memArg(Opcodes.I32_LOAD16_U, 2)),
                "alignment must not be larger than natural");
        invalid(new ModuleBuilder().memory(1, -1)
                .func(List.of(), List.of(), i32(0), i64(0), memArg(Opcodes.I64_STORE32, 3)),
                "alignment must not be larger than natural");
        invalid(new ModuleBuilder().func(List.of(), List.of(), op(Opcodes.DATA_DROP, 0)), "unknown data segment 0");
    }

    @Test
    void tableInstructions() {
        ModuleBuilder b = new ModuleBuilder().table(EXTERNREF, 1, -1).table(FUNCREF, 1, -1);
        b.func(List.of(), List.of(), i32(0), op(Opcodes.CALL_INDIRECT, b.type(List.of(), List.of()), 0));
        invalid(b, "type mismatch");
        ModuleBuilder ok = new ModuleBuilder().table(EXTERNREF, 1, -1).table(FUNCREF, 1, -1);
        ok.func(List.of(), List.of(), i32(0), op(Opcodes.CALL_INDIRECT, ok.type(List.of(), List.of()), 1));
        valid(ok);
        invalid(new ModuleBuilder().table(EXTERNREF, 1, -1).table(FUNCREF, 1, -1)
                .func(List.of(), List.of(), i32(0), i32(0), i32(0), op(Opcodes.TABLE_COPY, 0, 1)), "type mismatch");
        invalid(new ModuleBuilder().func(List.of(), List.of(), i32(0), i32(0), i32(0),
                op(Opcodes.TABLE_INIT, 4, 0)), "unknown table 0");
        invalid(new ModuleBuilder().func(List.of(), List.of(), op(Opcodes.ELEM_DROP, 0)), "unknown elem segment 0");
        valid(new ModuleBuilder().table(EXTERNREF, 1, -1).func(List.of(), List.of(I32),
                op(Opcodes.REF_NULL, EXTERNREF.code()), i32(1), op(Opcodes.TABLE_GROW, 0)));
        invalid(new ModuleBuilder().table(EXTERNREF, 1, -1).func(List.of(), List.of(I32),
                op(Opcodes.REF_NULL, FUNCREF.code()), i32(1), op(Opcodes.TABLE_GROW, 0)), "type mismatch");
    }

    @Test
    void constantExpressions() {
        // 3.0 (GC): global.get in an initializer sees imported globals and the module's earlier
        // immutable ones, not itself or later ones (2.0 allowed imported ones only)
        valid(new ModuleBuilder().global(I32, false, i32(0)).global(I32, false, op(Opcodes.GLOBAL_GET, 0)));
        invalid(new ModuleBuilder().global(I32, false, op(Opcodes.GLOBAL_GET, 0)), "unknown global 0");
        invalid(new ModuleBuilder().global(I32, false, op(Opcodes.GLOBAL_GET, 1)).global(I32, false, i32(0)),
                "unknown global 1");
        invalid(new ModuleBuilder().global(I32, true, i32(0)).global(I32, false, op(Opcodes.GLOBAL_GET, 0)),
                "constant expression required");
        invalid(new ModuleBuilder().importGlobal(I32, true).global(I32, false, op(Opcodes.GLOBAL_GET, 0)),
                "constant expression required");
        valid(new ModuleBuilder().importGlobal(I32, false).global(I32, false, op(Opcodes.GLOBAL_GET, 0)));
        invalid(new ModuleBuilder().global(I32, false, i32(1), i32(2), op(Opcodes.I32_ADD)),
                "constant expression required");
        invalid(new ModuleBuilder().global(I32, false, i64(1)), "type mismatch");
        invalid(new ModuleBuilder().global(I32, false), "type mismatch");
        invalid(new ModuleBuilder().global(I32, false, i32(1), i32(2)), "type mismatch");
    }

    @Test
    void moduleLevelRules() {
        valid(new ModuleBuilder().memory(0, -1).memory(0, -1)); // multi-memory (3.0)
        invalid(new ModuleBuilder().memory(65537, -1), "memory size must be at most 65536 pages (4GiB)");
        invalid(new ModuleBuilder().memory(2, 1), "size minimum must not be greater than maximum");
        valid(new ModuleBuilder().memory(65536, 65536).table(FUNCREF, 0, 0xFFFF_FFFFL));
        invalid(new ModuleBuilder().table(FUNCREF, 2, 1), "size minimum must not be greater than maximum");

        ModuleBuilder dup = new ModuleBuilder().func(List.of(), List.of());
        dup.export("a", ExternKind.FUNC, 0).export("a", ExternKind.FUNC, 0);
        invalid(dup, "duplicate export name");
        invalid(new ModuleBuilder().export("m", ExternKind.MEMORY, 0), "unknown memory 0");

        ModuleBuilder start = new ModuleBuilder().func(List.of(I32), List.of());
        start.start = 0;
        invalid(start, "start function");
        ModuleBuilder startOk = new ModuleBuilder().func(List.of(), List.of());
        startOk.start = 0;
        valid(startOk);
        ModuleBuilder startMissing = new ModuleBuilder();
        startMissing.start = 3;
        invalid(startMissing, "unknown function 3");
    }

    @Test
    void messagesLocateTheFailure() {
        ModuleBuilder b = new ModuleBuilder().func(List.of(), List.of()).func(List.of(), List.of(I32), f32());
        InvalidModuleException e = invalid(b, "type mismatch");
        assertTrue(e.getMessage().startsWith("type mismatch (function 1, instruction 1 end: expected i32 but found f32"),
                e.getMessage());
    }

    @Test
    void deepNestingNeedsNoRecursion() {
        int depth = 100_000;
        List<Instruction> code = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            code.add(block(Opcodes.BLOCK, Instruction.BLOCK_EMPTY));
        }
        code.add(op(Opcodes.BR, depth - 1));
        for (int i = 0; i < depth; i++) {
            code.add(op(Opcodes.END));
        }
        ModuleBuilder b = new ModuleBuilder().func(List.of(), List.of(), code.toArray(new Instruction[0]));
        valid(b);
        WasmModule m = b.build();
        assertEquals(2 * depth + 2, m.bodies().get(0).code().size());
    }

    @Test
    void blockTypesResolveToFunctionTypes() {
        ModuleBuilder b = new ModuleBuilder();
        int t = b.type(List.of(I32), List.of(I64, F32));
        WasmModule m = b.build();
        assertEquals(List.of(), BlockTypes.of(m, block(Opcodes.BLOCK, Instruction.BLOCK_EMPTY)).results());
        assertEquals(List.of(I64), BlockTypes.of(m, blockValue(Opcodes.LOOP, I64)).results());
        assertEquals(m.types().get(t), BlockTypes.of(m, block(Opcodes.IF, t)));
    }
}
