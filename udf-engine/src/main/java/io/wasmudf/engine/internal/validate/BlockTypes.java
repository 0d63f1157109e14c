package io.wasmudf.engine.internal.validate;

import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.WasmModule;
import java.util.List;

/**
 * Resolves the block type of a {@code block}, {@code loop} or {@code if} instruction to the
 * function type it stands for; compilers use it on validated modules to size label arities.
 */
public final class BlockTypes {
    private static final FuncType EMPTY = FuncType.of(List.of(), List.of());

    private BlockTypes() {}

    /**
     * The {@code [params] -> [results]} type of a structured instruction's block type.
     *
     * @throws IllegalArgumentException if the block type refers to no type (cannot happen for a
     *         validated module)
     */
    public static FuncType of(WasmModule module, Instruction insn) {
        int bt = insn.a();
        if (bt == Instruction.BLOCK_EMPTY) {
            return EMPTY;
        }
        if (bt == Instruction.BLOCK_VALUE) {
            ValType t = ValType.fromCode(insn.b());
            if (t == null) {
                throw new IllegalArgumentException("bad block value type 0x" + Integer.toHexString(insn.b()));
            }
            return FuncType.of(List.of(), List.of(t));
        }
        if (bt < 0 || bt >= module.types().size()) {
            throw new IllegalArgumentException("unknown type " + Integer.toUnsignedString(bt));
        }
        return module.types().get(bt);
    }
}
