package io.wasmudf.engine.internal.compile;

import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.IFNONNULL;
import static org.objectweb.asm.Opcodes.IFNULL;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.POP;

import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.RefOpcodes;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Compiles the typed function reference instructions (3.0) for {@link FunctionCompiler}: the
 * branches on null reuse its branch emission, {@code call_ref} goes through a per-type bridge
 * ({@link IndirectCalls#refBridgeFor}) that invokes the reference's handle.
 */
final class RefEmitter {
    static final String REFS = "io/wasmudf/engine/internal/runtime/Refs";

    private final FunctionCompiler fc;
    private final MethodVisitor mv;

    RefEmitter(FunctionCompiler fc, MethodVisitor mv) {
        this.fc = fc;
        this.mv = mv;
    }

    /** Emits {@code in}; returns the pc to continue from. */
    int emit(Instruction in, int pc) {
        switch (in.opcode()) {
            case RefOpcodes.CALL_REF: {
                FuncType callee = fc.layout.module.types().get(in.a());
                fc.pop(); // the reference: the bridge takes it last
                fc.checks.beforeHandleCall();
                String name = fc.indirectCalls.refBridgeFor(in.a());
                mv.visitMethodInsn(INVOKESTATIC, fc.layout.functionOwners[fc.funcIndex], name, fc.indirectCalls.refDesc(callee), false);
                fc.checks.afterHandleCall();
                fc.afterCall(callee);
                return pc;
            }
            case RefOpcodes.REF_AS_NON_NULL:
                mv.visitMethodInsn(INVOKESTATIC, REFS, "asNonNull", "(Ljava/lang/Object;)Ljava/lang/Object;", false);
                return pc;
            case RefOpcodes.REF_EQ:
                mv.visitMethodInsn(INVOKESTATIC, REFS, "eq", "(Ljava/lang/Object;Ljava/lang/Object;)I", false);
                fc.pop(2);
                fc.push(ValType.I32);
                return pc;
            case RefOpcodes.BR_ON_NULL: {
                Label nonNull = new Label();
                mv.visitInsn(DUP);
                mv.visitJumpInsn(IFNONNULL, nonNull);
                mv.visitInsn(POP);
                ValType t = fc.pop();
                fc.emitBranch(in.a());
                fc.push(t);
                fc.placeHere(nonNull);
                return pc;
            }
            case RefOpcodes.BR_ON_NON_NULL: {
                Label isNull = new Label();
                mv.visitInsn(DUP);
                mv.visitJumpInsn(IFNULL, isNull);
                fc.emitBranch(in.a());
                fc.placeHere(isNull);
                mv.visitInsn(POP);
                fc.pop();
                return pc;
            }
            default:
                new GcEmitter(fc, mv).emit(in);
                return pc;
        }
    }

    /** Pushes minus pops of these instructions, for {@link StackHeights}. */
    static int delta(ModuleLayout layout, Instruction in) {
        switch (in.opcode()) {
            case RefOpcodes.CALL_REF: {
                FuncType t = layout.module.types().get(in.a());
                return t.results().size() - t.params().size() - 1;
            }
            case RefOpcodes.REF_EQ:
            case RefOpcodes.BR_ON_NON_NULL:
                return -1;
            default:
                return GcEmitter.delta(layout, in);
        }
    }
}
