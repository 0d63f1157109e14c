package io.wasmudf.engine.internal.validate;

import static io.wasmudf.engine.internal.validate.ValueTypes.FUNCREF;
import static io.wasmudf.engine.internal.validate.ValueTypes.I32;
import static io.wasmudf.engine.internal.validate.ValueTypes.UNKNOWN;

import io.wasmudf.engine.InvalidModuleException;
import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.FunctionBody;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.Opcodes;
import io.wasmudf.engine.internal.model.SimdOpcodes;
import io.wasmudf.engine.internal.model.TypeCode;
import java.util.Arrays;
import java.util.List;

/**
 * Type-checks function bodies with the spec appendix's algorithm: an operand stack of value
 * types (with {@link ValueTypes#UNKNOWN} for values popped in unreachable code) and a stack of
 * control frames. Both stacks are flat arrays, so block nesting depth costs no Java recursion and
 * every instruction is checked in constant time plus its operand count. One instance validates
 * the functions of one module in turn; it is not thread-safe.
 */
final class FunctionValidator {
    private final ModuleContext ctx;

    private int[] vals = new int[64];
    private int sp;

    private int[] ctrlOp = new int[16];
    private int[][] ctrlStart = new int[16][];
    private int[][] ctrlEnd = new int[16][];
    private int[] ctrlHeight = new int[16];
    private boolean[] ctrlUnreachable = new boolean[16];
    /** Per frame: the height of {@link #initStack} when it began. */
    private int[] ctrlInit = new int[16];
    private int csp;
    /** Which locals are set (defaultable ones always); the non-defaultable ones set, in order. */
    private boolean[] initialized;
    /** Whether the body has a non-defaultable local, whose sets are tracked; most bodies have none and skip the work. */
    private boolean tracksInit;
    private int[] initStack = new int[16];
    private int initSp;
    private final TypeRelations rel;
    private final RefValidator refs;
    private final ExceptionValidator exceptions;

    /** Single-result block types by value-type byte, shared to avoid allocating per block. */
    private final int[][] singleTypes = new int[256][];

    private int[] locals;
    private int funcIndex;
    private int pc;
    private int opcode;

    FunctionValidator(ModuleContext ctx) {
        this.ctx = ctx;
        this.rel = ctx.relations;
        this.refs = new RefValidator(this, ctx);
        this.exceptions = new ExceptionValidator(this, ctx);
    }

    /** Validates the body of function {@code funcIndex} (an index in the function index space). */
    void validate(int funcIndex, FunctionBody body) {
        this.funcIndex = funcIndex;
        this.pc = -1;
        this.opcode = -1;
        int typeIndex = ctx.funcTypes[funcIndex];
        int[] params = ctx.typeParams[typeIndex];
        int[] results = ctx.typeResults[typeIndex];
        List<ValType> declared = body.locals();
        locals = Arrays.copyOf(params, params.length + declared.size());
        initialized = new boolean[locals.length];
        tracksInit = false;
        Arrays.fill(initialized, 0, params.length, true);
        for (int i = 0; i < declared.size(); i++) {
            int t = body.localCode(i);
            if (TypeCode.isConcrete(t)) {
                // only a reference to a defined type can be wrong: no message is built for the rest
                ctx.checkValType(t, "function " + funcIndex + " local " + (params.length + i));
            }
            locals[params.length + i] = t;
            initialized[params.length + i] = TypeCode.isDefaultable(t);
            tracksInit |= !initialized[params.length + i];
        }
        initSp = 0;
        sp = 0;
        csp = 0;
        pushCtrl(Opcodes.BLOCK, ModuleContext.NO_TYPES, results);
        List<Instruction> code = body.code();
        int n = code.size();
        for (pc = 0; pc < n; pc++) {
            Instruction insn = code.get(pc);
            opcode = insn.opcode();
            if (csp == 0) {
                throw fail("type mismatch", "instruction after the end of the function");
            }
            step(insn);
        }
        if (csp != 0) {
            throw fail("type mismatch", "function body ends inside a block");
        }
    }

    /** Types a constant expression (already checked to hold constant instructions only) as a block yielding {@code expected}. */
    void validateConst(List<Instruction> expr, int expected, String where) {
        this.funcIndex = -1;
        this.pc = -1;
        this.opcode = -1;
        locals = ModuleContext.NO_TYPES;
        initialized = new boolean[0];
        tracksInit = false;
        initSp = 0;
        sp = 0;
        csp = 0;
        pushCtrl(Opcodes.BLOCK, ModuleContext.NO_TYPES, new int[] {expected});
        try {
            for (Instruction insn : expr) {
                opcode = insn.opcode();
                step(insn);
            }
            popCtrl();
        } catch (InvalidModuleException e) {
            throw new InvalidModuleException(e.reason(), where + ": " + e.getMessage());
        }
    }

    private void step(Instruction insn) {
        switch (opcode) {
            case Opcodes.UNREACHABLE -> unreachable();
            case Opcodes.NOP -> { }
            case Opcodes.BLOCK, Opcodes.LOOP -> {
                int[] in = blockParams(insn);
                int[] out = blockResults(insn);
                popVals(in);
                pushCtrl(opcode, in, out);
            }
            case Opcodes.IF -> {
                int[] in = blockParams(insn);
                int[] out = blockResults(insn);
                pop(I32);
                popVals(in);
                pushCtrl(Opcodes.IF, in, out);
            }
            case Opcodes.ELSE -> {
                int top = csp - 1;
                if (ctrlOp[top] != Opcodes.IF) {
                    throw fail("type mismatch", "else without a matching if");
                }
                int[] in = ctrlStart[top];
                int[] out = ctrlEnd[top];
                popCtrl();
                pushCtrl(Opcodes.ELSE, in, out);
            }
            case Opcodes.END -> {
                int top = csp - 1;
                int op = ctrlOp[top];
                int[] in = ctrlStart[top];
                int[] out = ctrlEnd[top];
                popCtrl();
                if (op == Opcodes.IF && !Arrays.equals(in, out)) {
                    throw fail("type mismatch", "if without else must produce its parameters "
                            + ValueTypes.names(in) + " but its type has results " + ValueTypes.names(out));
                }
                if (csp > 0) {
                    pushVals(out);
                }
            }
            case Opcodes.BR -> {
                popVals(labelTypes(label(insn.a())));
                unreachable();
            }
            case Opcodes.BR_IF -> {
                int frame = label(insn.a());
                pop(I32);
                int[] types = labelTypes(frame);
                popVals(types);
                pushVals(types);
            }
            case Opcodes.BR_TABLE -> brTable(insn);
            case Opcodes.RETURN -> {
                popVals(ctrlEnd[0]);
                unreachable();
            }
            case Opcodes.CALL -> {
                int type = ctx.funcTypes[function(insn.a())];
                popVals(ctx.typeParams[type]);
                pushVals(ctx.typeResults[type]);
            }
            case Opcodes.CALL_INDIRECT -> {
                int type = indirectType(insn);
                popVals(ctx.typeParams[type]);
                pushVals(ctx.typeResults[type]);
            }
            case Opcodes.RETURN_CALL -> tailCall(ctx.funcTypes[function(insn.a())]);
            case Opcodes.RETURN_CALL_INDIRECT -> tailCall(indirectType(insn));
            case Opcodes.DROP -> popVal();
            case Opcodes.SELECT -> select();
            case Opcodes.SELECT_T -> {
                int[] declared = insn.labels();
                if (declared == null || declared.length != 1) {
                    throw fail("invalid result arity", "select must declare exactly one result type");
                }
                int t = declared[0];
                ctx.checkValType(t, "select");
                pop(I32);
                pop(t);
                pop(t);
                push(t);
            }
            case Opcodes.LOCAL_GET -> {
                int l = local(insn.a());
                if (tracksInit && !initialized[l]) {
                    throw fail("uninitialized local", "local " + l + " of type " + TypeCode.name(locals[l]) + " read before it is set");
                }
                push(locals[l]);
            }
            case Opcodes.LOCAL_SET -> {
                int l = local(insn.a());
                pop(locals[l]);
                initialize(l);
            }
            case Opcodes.LOCAL_TEE -> {
                int l = local(insn.a());
                int t = locals[l];
                pop(t);
                push(t);
                initialize(l);
            }
            case Opcodes.GLOBAL_GET -> push(ctx.globalTypes[global(insn.a())]);
            case Opcodes.GLOBAL_SET -> {
                int g = global(insn.a());
                if (!ctx.globalMutable[g]) {
                    throw fail("global is immutable", "global.set of immutable global " + g);
                }
                pop(ctx.globalTypes[g]);
            }
            case Opcodes.TABLE_GET -> {
                int t = ctx.tableTypes[table(insn.a())];
                pop(tableAddress(insn.a()));
                push(t);
            }
            case Opcodes.TABLE_SET -> {
                int t = ctx.tableTypes[table(insn.a())];
                pop(t);
                pop(tableAddress(insn.a()));
            }
            case Opcodes.MEMORY_SIZE -> push(memory(insn.a()));
            case Opcodes.MEMORY_GROW -> {
                int at = memory(insn.a());
                pop(at);
                push(at);
            }
            case Opcodes.I32_CONST -> push(I32);
            case Opcodes.I64_CONST -> push(ValueTypes.I64);
            case Opcodes.F32_CONST -> push(ValueTypes.F32);
            case Opcodes.F64_CONST -> push(ValueTypes.F64);
            case Opcodes.REF_NULL -> {
                int t = insn.a();
                if (!TypeCode.isRef(t)) {
                    throw fail("type mismatch", "ref.null needs a reference type");
                }
                ctx.checkValType(t, "ref.null");
                push(t);
            }
            case Opcodes.REF_IS_NULL -> {
                popRef();
                push(I32);
            }
            case Opcodes.REF_FUNC -> {
                int f = function(insn.a());
                if (!ctx.declaredFunctions.get(f)) {
                    throw fail("undeclared function reference", "function " + f
                            + " is not referenced by an export, element segment or global initializer");
                }
                push(TypeCode.concrete(false, ctx.funcTypes[f]));
            }
            case Opcodes.MEMORY_INIT -> {
                int at = memory(insn.b());
                data(insn.a());
                pop(I32);
                pop(I32);
                pop(at);
            }
            case Opcodes.DATA_DROP -> data(insn.a());
            case Opcodes.MEMORY_COPY -> {
                // the length is an i64 only when both memories are (memory64's min of the two)
                int dst = memory(insn.a());
                int src = memory(insn.b());
                pop(dst == ValueTypes.I64 && src == ValueTypes.I64 ? ValueTypes.I64 : I32);
                pop(src);
                pop(dst);
            }
            case Opcodes.MEMORY_FILL -> {
                int at = memory(insn.a());
                pop(at);
                pop(I32);
                pop(at);
            }
            case Opcodes.TABLE_INIT -> {
                int table = table(insn.b());
                int elem = elem(insn.a());
                if (!rel.isSubtype(ctx.elemTypes[elem], ctx.tableTypes[table])) {
                    throw fail("type mismatch", "element segment " + elem + " holds "
                            + ValueTypes.name(ctx.elemTypes[elem]) + " but table " + table + " holds "
                            + ValueTypes.name(ctx.tableTypes[table]));
                }
                pop(I32);
                pop(I32);
                pop(tableAddress(table));
            }
            case Opcodes.ELEM_DROP -> elem(insn.a());
            case Opcodes.TABLE_COPY -> {
                int dst = table(insn.a());
                int src = table(insn.b());
                if (!rel.isSubtype(ctx.tableTypes[src], ctx.tableTypes[dst])) {
                    throw fail("type mismatch", "table " + src + " holds " + ValueTypes.name(ctx.tableTypes[src])
                            + " but table " + dst + " holds " + ValueTypes.name(ctx.tableTypes[dst]));
                }
                int dstAt = tableAddress(dst);
                int srcAt = tableAddress(src);
                pop(dstAt == ValueTypes.I64 && srcAt == ValueTypes.I64 ? ValueTypes.I64 : I32);
                pop(srcAt);
                pop(dstAt);
            }
            case Opcodes.TABLE_GROW -> {
                int t = ctx.tableTypes[table(insn.a())];
                int at = tableAddress(insn.a());
                pop(at);
                pop(t);
                push(at);
            }
            case Opcodes.TABLE_SIZE -> {
                table(insn.a());
                push(tableAddress(insn.a()));
            }
            case Opcodes.TABLE_FILL -> {
                int t = ctx.tableTypes[table(insn.a())];
                int at = tableAddress(insn.a());
                pop(at);
                pop(t);
                pop(at);
            }
            default -> {
                // numeric instructions and scalar loads/stores, most of a body, before the 3.0 families' switches
                if (SimpleSignatures.arity(opcode) > 0 || SimpleSignatures.naturalAlignment(opcode) >= 0) {
                    simple(insn);
                } else if (SimdOpcodes.isSimd(opcode)) {
                    simd(insn);
                } else if (!refs.step(insn) && !exceptions.step(insn)) {
                    simple(insn);
                }
            }
        }
    }

    /** Vector instructions: typed by {@link SimdSignatures}. */
    private void simd(Instruction insn) {
        // a vector access takes its memory's address type (i64 for memory64)
        int address = SimdOpcodes.touchesMemory(opcode) ? memory(SimdOpcodes.memory(insn)) : I32;
        String invalid = SimdSignatures.check(insn, address == I32);
        if (invalid != null) {
            throw fail(invalid, null);
        }
        popVals(SimdSignatures.params(insn, address));
        pushVals(SimdSignatures.results(insn));
    }

    /** Numeric operators, conversions and memory accesses: typed by opcode tables. */
    private void simple(Instruction insn) {
        int arity = SimpleSignatures.arity(opcode);
        if (arity > 0) {
            int operand = SimpleSignatures.operand(opcode);
            pop(operand);
            if (arity == 2) {
                pop(operand);
            }
            push(SimpleSignatures.result(opcode));
            return;
        }
        int natural = SimpleSignatures.naturalAlignment(opcode);
        if (natural < 0) {
            throw fail("type mismatch", "unsupported instruction");
        }
        int at = memory(insn.b());
        if (insn.a() < 0 || insn.a() > natural) {
            throw fail("alignment must not be larger than natural", "alignment 2^"
                    + Integer.toUnsignedString(insn.a()) + " exceeds " + (1 << natural) + " bytes");
        }
        if (at == I32 && (insn.c() < 0 || insn.c() > 0xFFFF_FFFFL)) {
            throw fail("offset out of range", "offset " + Long.toUnsignedString(insn.c()) + " of a memory with i32 addresses");
        }
        int t = SimpleSignatures.memoryValueType(opcode);
        if (opcode >= Opcodes.I32_STORE) {
            pop(t);
            pop(at);
        } else {
            pop(at);
            push(t);
        }
    }

    private void select() {
        pop(I32);
        int t1 = popVal();
        int t2 = popVal();
        if (!(ValueTypes.isNumOrUnknown(t1) && ValueTypes.isNumOrUnknown(t2))
                && !(isVecOrUnknown(t1) && isVecOrUnknown(t2))) {
            throw fail("type mismatch", "select without a type needs numeric operands, found "
                    + ValueTypes.name(t2) + " and " + ValueTypes.name(t1));
        }
        if (t1 != t2 && t1 != UNKNOWN && t2 != UNKNOWN) {
            throw fail("type mismatch", "select operands differ: " + ValueTypes.name(t2) + " and "
                    + ValueTypes.name(t1));
        }
        push(t1 == UNKNOWN ? t2 : t1);
    }

    private static boolean isVecOrUnknown(int t) {
        return t == UNKNOWN || t == ValueTypes.V128;
    }

    private void brTable(Instruction insn) {
        pop(I32);
        int[] targets = insn.labels() != null ? insn.labels() : ModuleContext.NO_TYPES;
        int defaultFrame = label(insn.a());
        int[] defaultTypes = labelTypes(defaultFrame);
        int arity = defaultTypes.length;
        int top = csp - 1;
        int[] checked = null;
        for (int target : targets) {
            int[] types = labelTypes(label(target));
            if (types.length != arity) {
                throw fail("type mismatch", "br_table targets have different arities (" + types.length
                        + " and " + arity + ")");
            }
            if (types == checked) {
                continue; // label types are shared arrays; most tables repeat one type many times
            }
            checked = types;
            // Checks the operands in place; equivalent to the spec's push_vals(pop_vals(types)).
            for (int i = 0; i < arity; i++) {
                int pos = sp - arity + i;
                int actual;
                if (pos >= ctrlHeight[top]) {
                    actual = vals[pos];
                } else if (ctrlUnreachable[top]) {
                    actual = UNKNOWN;
                } else {
                    throw fail("type mismatch", "expected " + ValueTypes.names(types)
                            + " for a br_table target but the stack is too short");
                }
                if (!rel.isSubtype(actual, types[i])) {
                    throw fail("type mismatch", "expected " + ValueTypes.name(types[i]) + " but found "
                            + ValueTypes.name(actual));
                }
            }
        }
        popVals(defaultTypes);
        unreachable();
    }

    /** The type of a {@code (return_)call_indirect}, its table checked and its i32 operand popped. */
    private int indirectType(Instruction insn) {
        int table = table(insn.b());
        int type = funcType(insn.a());
        if (!rel.isSubtype(ctx.tableTypes[table], FUNCREF)) {
            throw fail("type mismatch", Opcodes.name(opcode) + " needs a funcref table but table "
                    + table + " holds " + ValueTypes.name(ctx.tableTypes[table]));
        }
        pop(tableAddress(table));
        return type;
    }

    /** A tail call: the callee's results must be subtypes of the function's own, and nothing follows it. */
    void tailCall(int type) {
        int[] results = ctx.typeResults[type];
        boolean fits = results.length == ctrlEnd[0].length;
        for (int i = 0; fits && i < results.length; i++) {
            fits = rel.isSubtype(results[i], ctrlEnd[0][i]);
        }
        if (!fits) {
            throw fail("type mismatch", Opcodes.name(opcode) + " to a function with results "
                    + ValueTypes.names(ctx.typeResults[type]) + " from one with results " + ValueTypes.names(ctrlEnd[0]));
        }
        popVals(ctx.typeParams[type]);
        unreachable();
    }

    // ---- block types and index spaces

    int[] blockParams(Instruction insn) {
        int bt = insn.a();
        if (bt >= 0) {
            return ctx.typeParams[funcType(bt)];
        }
        return ModuleContext.NO_TYPES;
    }

    int[] blockResults(Instruction insn) {
        int bt = insn.a();
        if (bt == Instruction.BLOCK_EMPTY) {
            return ModuleContext.NO_TYPES;
        }
        if (bt == Instruction.BLOCK_VALUE) {
            int code = insn.b();
            if (code >= 256) {
                ctx.checkValType(code, "block type");
                return new int[] {code};
            }
            if (ValType.fromCode(code) == null && !TypeCode.isRef(code)) {
                throw fail("type mismatch", "bad block type 0x" + Integer.toHexString(code));
            }
            int[] single = singleTypes[code];
            if (single == null) {
                single = singleTypes[code] = new int[] {code};
            }
            return single;
        }
        return ctx.typeResults[funcType(bt)];
    }

    /** Resolves a label depth to a control-stack index. */
    int label(int depth) {
        if (depth < 0 || depth >= csp) {
            throw fail("unknown label " + Integer.toUnsignedString(depth), null);
        }
        return csp - 1 - depth;
    }

    /** The opcode that opened control frame {@code frame} (a block, or a legacy catch clause). */
    int ctrlOp(int frame) {
        return ctrlOp[frame];
    }

    /** The index of the innermost control frame. */
    int topFrame() {
        return csp - 1;
    }

    /** The result types of control frame {@code frame}. */
    int[] ctrlResults(int frame) {
        return ctrlEnd[frame];
    }

    int[] labelTypes(int frame) {
        return ctrlOp[frame] == Opcodes.LOOP ? ctrlStart[frame] : ctrlEnd[frame];
    }

    int type(int index) {
        return checkIndex(index, ctx.typeParams.length, "unknown type ");
    }

    /** A type index that must name a function type. */
    int funcType(int index) {
        type(index);
        if (!rel.isFunc(index)) {
            throw fail("type mismatch", "type " + index + " is not a function type");
        }
        return index;
    }

    int function(int index) {
        return checkIndex(index, ctx.funcTypes.length, "unknown function ");
    }

    private int table(int index) {
        return checkIndex(index, ctx.tableTypes.length, "unknown table ");
    }

    private int global(int index) {
        return checkIndex(index, ctx.globalTypes.length, "unknown global ");
    }

    private int local(int index) {
        return checkIndex(index, locals.length, "unknown local ");
    }

    private int elem(int index) {
        return checkIndex(index, ctx.elemTypes.length, "unknown elem segment ");
    }

    private int data(int index) {
        return checkIndex(index, ctx.dataCount, "unknown data segment ");
    }

    /** Checks a memory index; returns its address type (i64 for memory64). */
    private int memory(int index) {
        checkIndex(index, ctx.memoryCount, "unknown memory ");
        return ctx.memory64[index] ? ValueTypes.I64 : I32;
    }

    /** A (checked) table's address type (i64 for table64). */
    private int tableAddress(int table) {
        return ctx.table64[table] ? ValueTypes.I64 : I32;
    }

    private int checkIndex(int index, int size, String what) {
        if (index < 0 || index >= size) {
            throw fail(what + Integer.toUnsignedString(index), null);
        }
        return index;
    }

    // ---- the operand and control stacks

    void push(int t) {
        if (sp == vals.length) {
            vals = Arrays.copyOf(vals, sp * 2);
        }
        vals[sp++] = t;
    }

    void pushVals(int[] ts) {
        for (int t : ts) {
            push(t);
        }
    }

    int popVal() {
        int top = csp - 1;
        if (sp == ctrlHeight[top]) {
            if (ctrlUnreachable[top]) {
                return UNKNOWN;
            }
            throw fail("type mismatch", "expected a value but the stack is empty");
        }
        return vals[--sp];
    }

    void pop(int expect) {
        int top = csp - 1;
        if (sp == ctrlHeight[top]) {
            if (ctrlUnreachable[top]) {
                return;
            }
            throw fail("type mismatch", "expected " + ValueTypes.name(expect) + " but the stack is empty");
        }
        int actual = vals[--sp];
        if (actual != expect && !rel.isSubtype(actual, expect)) {
            throw fail("type mismatch", "expected " + ValueTypes.name(expect) + " but found "
                    + ValueTypes.name(actual));
        }
    }

    /** Pops a reference (of any type), or UNKNOWN in unreachable code. */
    int popRef() {
        int t = popVal();
        if (t != UNKNOWN && !TypeCode.isRef(t)) {
            throw fail("type mismatch", "expected a reference but found " + ValueTypes.name(t));
        }
        return t;
    }

    /** Marks a non-defaultable local set until the end of the current block. */
    private void initialize(int l) {
        if (tracksInit && !initialized[l]) {
            initialized[l] = true;
            if (initSp == initStack.length) {
                initStack = Arrays.copyOf(initStack, initSp * 2);
            }
            initStack[initSp++] = l;
        }
    }

    /** Forgets the locals set since the current block began (the spec's local.set effects end with the block). */
    private void resetInit(int height) {
        while (initSp > height) {
            initialized[initStack[--initSp]] = false;
        }
    }

    void popVals(int[] ts) {
        for (int i = ts.length - 1; i >= 0; i--) {
            pop(ts[i]);
        }
    }

    void pushCtrl(int op, int[] in, int[] out) {
        if (csp == ctrlOp.length) {
            int n = csp * 2;
            ctrlOp = Arrays.copyOf(ctrlOp, n);
            ctrlStart = Arrays.copyOf(ctrlStart, n);
            ctrlEnd = Arrays.copyOf(ctrlEnd, n);
            ctrlHeight = Arrays.copyOf(ctrlHeight, n);
            ctrlUnreachable = Arrays.copyOf(ctrlUnreachable, n);
            ctrlInit = Arrays.copyOf(ctrlInit, n);
        }
        ctrlOp[csp] = op;
        ctrlStart[csp] = in;
        ctrlEnd[csp] = out;
        ctrlHeight[csp] = sp;
        ctrlInit[csp] = initSp;
        ctrlUnreachable[csp] = false;
        csp++;
        pushVals(in);
    }

    void popCtrl() {
        int top = csp - 1;
        popVals(ctrlEnd[top]);
        if (sp != ctrlHeight[top]) {
            throw fail("type mismatch", (sp - ctrlHeight[top]) + " value(s) left on the stack at the end of the block, expected "
                    + ValueTypes.names(ctrlEnd[top]));
        }
        ctrlStart[top] = null;
        ctrlEnd[top] = null;
        resetInit(ctrlInit[top]);
        csp--;
    }

    void unreachable() {
        int top = csp - 1;
        sp = ctrlHeight[top];
        ctrlUnreachable[top] = true;
    }

    InvalidModuleException fail(String reason, String detail) {
        StringBuilder where = new StringBuilder("function ").append(funcIndex);
        String name = ctx.module.names() != null ? ctx.module.names().get(funcIndex) : null;
        if (name != null) {
            where.append(" ($").append(name).append(')');
        }
        if (pc >= 0) {
            where.append(", instruction ").append(pc).append(' ').append(Opcodes.name(opcode));
        }
        if (detail != null) {
            where.append(": ").append(detail);
        }
        return new InvalidModuleException(reason, where.toString());
    }
}
