package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.compile.JvmInsns.loadOp;
import static io.wasmudf.engine.internal.compile.JvmInsns.storeOp;

import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.Opcodes;
import io.wasmudf.engine.internal.model.RefOpcodes;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.MethodVisitor;

/**
 * Values in flight below a block or loop that holds a loop, moved to JVM locals for the
 * construct's duration and put back under its results at its end. HotSpot compiles no
 * on-stack-replacement entry at a loop header whose operand stack is not empty ("OSR starts with
 * non-empty stack"), so a function called rarely whose long loop sits inside an expression never
 * leaves the interpreter (sql.js's {@code f1061}: ~8 % of the settled SQLite workload). Only
 * constructs no branch leaves (other than {@code return}) qualify: the values are then off the
 * operand stack everywhere inside, and the stack model simply drops them; the locals are declared
 * in every stack map frame placed inside, as a try's spilled values are.
 */
final class InFlightSpill {
    /** Whether constructs are spilled at all ({@code -Dwasmudf.compile.inFlightSpill=false} turns it off, for comparisons). */
    static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("wasmudf.compile.inFlightSpill"));
    /** Bodies longer than this are not scanned (a nest of such constructs would scan quadratically). */
    private static final int MAX_SCAN = 20_000;

    private final List<ValType> types;
    private final int[] slots;
    private final Object[] outerLocals;
    private final int savedTemp;

    private InFlightSpill(List<ValType> types, int[] slots, Object[] outerLocals, int savedTemp) {
        this.types = types;
        this.slots = slots;
        this.outerLocals = outerLocals;
        this.savedTemp = savedTemp;
    }

    /**
     * Whether the construct at {@code pc} (its {@code end} at {@code end}) contains a loop, and no
     * branch in it targets a label outside it (nor any instruction that might: exception handling,
     * the reference branches).
     */
    static boolean qualifies(List<Instruction> code, int pc, int end) {
        if (!ENABLED || end - pc > MAX_SCAN) {
            return false;
        }
        boolean loop = code.get(pc).opcode() == Opcodes.LOOP;
        int depth = 0; // of the instruction's innermost label below the construct's own (0)
        for (int i = pc + 1; i < end; i++) {
            Instruction in = code.get(i);
            switch (in.opcode()) {
                case Opcodes.LOOP:
                    loop = true;
                    depth++;
                    break;
                case Opcodes.BLOCK:
                case Opcodes.IF:
                    depth++;
                    break;
                case Opcodes.END:
                    depth--;
                    break;
                case Opcodes.BR:
                case Opcodes.BR_IF:
                    if (in.a() > depth) {
                        return false;
                    }
                    break;
                case Opcodes.BR_TABLE:
                    if (in.a() > depth) {
                        return false;
                    }
                    for (int l : in.labels()) {
                        if (l > depth) {
                            return false;
                        }
                    }
                    break;
                case Opcodes.TRY:
                case Opcodes.TRY_TABLE:
                case Opcodes.DELEGATE:
                case Opcodes.RETHROW:
                case Opcodes.THROW:
                case Opcodes.THROW_REF:
                case RefOpcodes.BR_ON_NULL:
                case RefOpcodes.BR_ON_NON_NULL:
                case RefOpcodes.BR_ON_CAST:
                case RefOpcodes.BR_ON_CAST_FAIL:
                    return false;
                default:
                    break;
            }
        }
        return loop;
    }

    /** Moves the whole operand stack (the construct has no params) to new locals; call before pushing its frame. */
    static InFlightSpill begin(List<ValType> stack, MethodVisitor mv, StackMapFrames maps, int nextTemp) {
        List<ValType> types = new ArrayList<>(stack);
        int[] slots = new int[types.size()];
        int temp = nextTemp;
        Object[] locals = maps.locals();
        for (int i = 0; i < slots.length; i++) {
            slots[i] = temp; // ascending, as the frames list them
            temp += JvmInsns.size(types.get(i));
            locals = StackMapFrames.extend(locals, slots[i], StackMapFrames.type(types.get(i)));
        }
        for (int i = slots.length - 1; i >= 0; i--) {
            mv.visitVarInsn(storeOp(types.get(i)), slots[i]);
        }
        InFlightSpill s = new InFlightSpill(types, slots, maps.locals(), nextTemp);
        maps.setLocals(locals);
        stack.clear();
        return s;
    }

    /** The first temp slot free while the construct is open. */
    int nextTemp() {
        return slots.length == 0 ? savedTemp : slots[slots.length - 1] + JvmInsns.size(types.get(types.size() - 1));
    }

    /**
     * At the construct's end, its {@code results} on the model stack: puts the values back under
     * them when the code after it is {@code reachable}; returns the temp slot to continue from.
     */
    int end(List<ValType> stack, List<ValType> results, boolean reachable, MethodVisitor mv, StackMapFrames maps) {
        if (reachable) {
            int temp = nextTemp();
            int[] top = new int[results.size()];
            for (int i = 0; i < top.length; i++) {
                top[i] = temp;
                temp += JvmInsns.size(results.get(i));
            }
            for (int i = top.length - 1; i >= 0; i--) {
                mv.visitVarInsn(storeOp(results.get(i)), top[i]);
            }
            for (int i = 0; i < slots.length; i++) {
                mv.visitVarInsn(loadOp(types.get(i)), slots[i]);
            }
            for (int i = 0; i < top.length; i++) {
                mv.visitVarInsn(loadOp(results.get(i)), top[i]);
            }
        }
        stack.addAll(0, types);
        maps.setLocals(outerLocals);
        return savedTemp;
    }
}
