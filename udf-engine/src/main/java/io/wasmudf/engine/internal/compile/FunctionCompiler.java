package io.wasmudf.engine.internal.compile;

import static io.wasmudf.engine.internal.model.Opcodes.*;
import static io.wasmudf.engine.internal.compile.JvmInsns.loadOp;
import static io.wasmudf.engine.internal.compile.JvmInsns.returnOp;
import static io.wasmudf.engine.internal.compile.JvmInsns.size;
import static io.wasmudf.engine.internal.compile.JvmInsns.storeOp;
import static org.objectweb.asm.Opcodes.*;

import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.FunctionBody;
import io.wasmudf.engine.internal.model.Instruction;
import io.wasmudf.engine.internal.model.SimdOpcodes;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Compiles one validated function body into the body of a static JVM method. The Wasm operand
 * stack is the JVM operand stack; Wasm locals are JVM locals. A shadow stack of value types tells
 * which JVM instructions to use (pop vs pop2, which helper) and how many values a branch must
 * discard. Code after an unconditional branch is skipped, since it is unreachable in both
 * languages and the validator has already checked it.
 */
final class FunctionCompiler {
    static final String OPS = "io/wasmudf/engine/internal/runtime/Ops";
    static final String MEM = "io/wasmudf/engine/internal/runtime/Mem";
    static final String TABLES = "io/wasmudf/engine/internal/runtime/Tables";
    static final String MEMORY = "io/wasmudf/engine/Memory";
    static final String TABLE = "io/wasmudf/engine/Table";

    final ModuleLayout layout;
    final MethodVisitor mv;
    private final FuncType type;
    final FunctionBody body;
    private final NumericEmitter numeric;
    final IndirectCalls indirectCalls;
    final CheckEmitter checks;
    private final MemoryTableEmitter memoryOps;
    private final SimdEmitter simd;
    /** Byte-scan loops counted in one helper call, or null where loops are compiled as they are (see {@link ScanLoops}). */
    private final ScanLoops scanLoops;
    /** f32x4 dot-product loops run as vector code in one helper call, or null (see {@link DotLoops}). */
    private final DotLoops dotLoops;
    /** Lane reads of just-loaded vectors from the memory array, or null (see {@link SimdLaneWindows}). */
    private final SimdLaneWindows laneWindows;
    private final WideMemoryEmitter wideMemoryOps;
    private final GlobalEmitter globals;
    private final ClassVisitor cw;
    final int funcIndex;
    /** Null for a whole function; the region this method holds when outlined. */
    final Region region;
    /** The block/loop regions and straight-line chunks this method calls instead of inlining. */
    private final Outliner.Plan plan;
    /** Whether {@link #plan} outlines anything. */
    private final boolean outlines;
    /** Whether this method keeps every local in the frame arrays ({@link HomedLocals}); {@link #paramSlots} then holds the parameters' slots. */
    private final boolean homed;
    private final int[] paramSlots;
    private final BodyFacts facts;

    /** JVM slot of each Wasm local (see {@link SlotLayout}). */
    private final int[] localSlots;
    private final ValType[] localTypes;
    private final byte[] splitLocals;
    final int selfSlot;
    /** Slot caching {@code memory.buffer()} (the next caches its size), or -1 when the function never touches memory. */
    private final int memSlot;
    /** Whether this method is a self-recursive body with its call-depth budget in a parameter (see {@link SelfRecursion}). */
    private final boolean budgetParam;
    int nextTemp;

    final List<ValType> stack = new ArrayList<>();
    final List<Frame> frames = new ArrayList<>();
    final StackMapFrames maps;
    /** Tags, throw and the try constructs (3.0 and legacy exception handling). */
    private final ExceptionEmitter exceptions;
    final RegionCalls regionCalls;
    private final BranchEmitter branches;
    /** Set when the rest of a straight-line chunk's own code is unreachable (so its normal exit is not emitted). */
    private boolean chunkTail;

    static final int KIND_FUNC = 0;
    static final int KIND_BLOCK = 1;
    static final int KIND_LOOP = 2;
    static final int KIND_IF = 3;

    /** A control frame: where branches go and what they carry. */
    static final class Frame implements OuterLabels.Labelled {
        int kind;
        Label label;
        Label elseLabel;
        List<ValType> params;
        List<ValType> results;
        int height;
        boolean unreachable;
        int endIndex;
        int elseIndex;
        boolean inElse;
        /** Whether a jump to {@link #label} was emitted (a block's end then needs a frame). */
        boolean targeted;
        /** A try's handler state ({@link ExceptionEmitter.Try}), or null for other constructs. */
        ExceptionEmitter.Try handler;
        /** The values in flight moved off the operand stack for this construct, or null. */
        InFlightSpill spill;

        @Override
        public List<ValType> branchTypes() {
            return kind == KIND_LOOP ? params : results;
        }
    }

    /**
     * A compiler for function {@code funcIndex}'s whole body ({@code region == null}) or for one
     * outlined region of it, emitting into {@code mv}; outlined regions become further methods of
     * {@code cw}.
     */
    FunctionCompiler(ModuleLayout layout, ClassVisitor cw, MethodVisitor mv, int funcIndex, FuncType type,
                     FunctionBody body, IndirectCalls indirectCalls, Region region, BodyFacts facts) {
        this.layout = layout;
        this.cw = cw;
        this.mv = mv;
        this.funcIndex = funcIndex;
        this.type = type;
        this.body = body;
        this.indirectCalls = indirectCalls;
        this.region = region;
        this.facts = facts;
        this.numeric = new NumericEmitter(mv, new HelperFreeForms(this, mv));
        HomedLocals.Planned planned = Outliner.planFor(region, body.code(), facts, type.params().size() + body.locals().size());
        plan = planned.plan();
        outlines = !plan.blocks().isEmpty() || !plan.chunks().isEmpty();
        homed = planned.homed() && outlines;
        SlotLayout slots = new SlotLayout(layout, funcIndex, type, body, region, facts, outlines, homed);
        paramSlots = slots.paramSlots;
        localSlots = slots.localSlots;
        localTypes = slots.localTypes;
        splitLocals = slots.splitLocals;
        selfSlot = slots.selfSlot;
        memSlot = slots.memSlot;
        budgetParam = slots.budgetParam;
        int slot = slots.firstTemp;
        nextTemp = slot;
        String desc = region != null ? region.desc
                : budgetParam ? SelfRecursion.bodyDesc(layout.functionDescs[funcIndex]) : layout.functionDescs[funcIndex];
        maps = StackMapFrames.forSlots(mv, slots.entryTypes, memSlot, desc);
        checks = new CheckEmitter(layout.checks, mv, selfSlot, slot, slots.budgetSlot, budgetParam, body.code(), facts.leaf,
                maps::afterEntryCheck);
        memoryOps = new MemoryTableEmitter(layout, mv, stack, selfSlot, memSlot, facts.inlineAccesses);
        // instructions fuse only where no outlined chunk or region boundary can fall between them
        simd = new SimdEmitter(mv, stack, memSlot, !outlines && region == null, localSlots, splitLocals);
        wideMemoryOps = new WideMemoryEmitter(layout, mv, stack, selfSlot);
        scanLoops = !outlines && region == null && memSlot >= 0 && !layout.addressTypes.memory64(0)
                ? new ScanLoops(mv, localTypes, localSlots, splitLocals, memSlot, checks, this::placeHere) : null;
        dotLoops = DotLoops.where(scanLoops != null, mv, localTypes, localSlots, splitLocals, memSlot, checks, this::placeHere);
        laneWindows = SimdLaneWindows.of(slots.laneWindows, slots.laneWindowSlots, localSlots, mv, stack, memSlot, this::placeHere);
        globals = new GlobalEmitter(layout, mv, selfSlot);
        regionCalls = new RegionCalls(layout, layout.functionOwners[funcIndex], mv, stack, maps, localTypes, localSlots,
                selfSlot, slots.valuesSlot, slots.refsSlot);
        branches = new BranchEmitter(this);
        exceptions = new ExceptionEmitter(this);
    }

    void compile() {
        if (region != null) {
            compileRegion();
            return;
        }
        mv.visitCode();
        if (homed) {
            regionCalls.homeLocals(paramSlots, Math.max(facts.maxArity, type.results().size()), nextTemp);
        }
        // declared locals start at zero; the JVM insists they are assigned before use
        for (int i = type.params().size(); i < localTypes.length && !homed; i++) {
            if (splitLocals != null && splitLocals[i] == SimdEmitter.ARRAY) {
                SimdLaneSpill.create(mv, localSlots[i]); // all zero bits
                continue;
            }
            JvmInsns.pushZero(mv, localTypes[i]);
            storeLocal(i);
        }
        if (laneWindows != null) {
            laneWindows.atEntry();
        }
        if (outlines && !homed) {
            // once per activation, before any label: every region call of the activation shares it
            regionCalls.allocateFrame(Math.max(facts.maxArity, type.results().size()));
        }
        checks.atEntry();
        reloadMemory();
        List<Instruction> code = body.code();
        Frame fn = new Frame();
        fn.kind = KIND_FUNC;
        fn.label = new Label();
        fn.params = List.of();
        fn.results = type.results();
        fn.height = 0;
        fn.endIndex = code.size() - 1;
        fn.elseIndex = -1;
        frames.add(fn);
        for (int pc = 0; pc < code.size(); pc++) {
            pc = emit(code, pc);
        }
        exceptions.emitStubs();
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** Caches the memory's array and the bound of every access in their slots (see {@link MemoryTableEmitter#storeBufferAndBound}). */
    void reloadMemory() {
        if (memSlot >= 0) {
            mv.visitVarInsn(ALOAD, selfSlot);
            mv.visitFieldInsn(GETFIELD, ModuleLayout.BASE, "memory", "L" + MEMORY + ";");
            memoryOps.storeBufferAndBound();
        }
    }

    // ---- shadow stack

    void push(ValType t) {
        stack.add(t);
    }

    ValType pop() {
        return stack.remove(stack.size() - 1);
    }

    void pop(int n) {
        for (int i = 0; i < n; i++) {
            pop();
        }
    }

    private ValType peek() {
        return stack.get(stack.size() - 1);
    }

    Frame frame(int depth) {
        return frames.get(frames.size() - 1 - depth);
    }

    /** The label to jump to for a branch to {@code f}. */
    static Label target(Frame f) {
        f.targeted = true;
        return f.label;
    }

    /** Places {@code label} here, with a frame for the current operand stack. */
    void placeHere(Label label) {
        maps.place(label, stack, stack.size(), List.of());
    }

    int temp(ValType t) {
        int s = nextTemp;
        nextTemp += size(t);
        return s;
    }

    /** Makes the rest of the current block unreachable: returns the pc to continue from. */
    int skipToEnd() {
        if (frames.isEmpty()) {
            // top level of a straight-line chunk (the outliner never cuts one like this)
            stack.clear();
            chunkTail = true;
            return region.end - 1;
        }
        Frame f = frame(0);
        f.unreachable = true;
        while (stack.size() > f.height) {
            pop();
        }
        if (f.kind == KIND_IF && !f.inElse && f.elseIndex >= 0) {
            return f.elseIndex - 1;
        }
        if (f.handler != null) {
            return f.handler.nextClause(f.endIndex) - 1; // a legacy try's body or clause ends at the next catch
        }
        return f.endIndex - 1;
    }

    private List<ValType> blockParams(Instruction in) {
        return in.a() >= 0 ? layout.module.types().get(in.a()).params() : List.of();
    }

    private List<ValType> blockResults(Instruction in) {
        if (in.a() >= 0) {
            return layout.module.types().get(in.a()).results();
        }
        if (in.a() == Instruction.BLOCK_VALUE) {
            return List.of(layout.jvm(in.b()));
        }
        return List.of();
    }

    /** Moves values in flight off the operand stack around a construct that holds a loop (see {@link InFlightSpill}), or null. */
    private InFlightSpill spillInFlight(List<Instruction> code, int pc, Instruction in) {
        if (outlines || stack.isEmpty() || !blockParams(in).isEmpty() || !InFlightSpill.qualifies(code, pc, (int) in.c())) {
            return null;
        }
        InFlightSpill s = InFlightSpill.begin(stack, mv, maps, nextTemp);
        nextTemp = s.nextTemp();
        return s;
    }

    Frame pushFrame(int kind, Instruction in) {
        Frame f = new Frame();
        f.kind = kind;
        f.label = new Label();
        f.params = blockParams(in);
        f.results = blockResults(in);
        f.height = stack.size() - f.params.size();
        f.endIndex = (int) in.c();
        f.elseIndex = kind == KIND_IF && in.labels() != null ? in.labels()[0] : -1;
        frames.add(f);
        return f;
    }

    // ---- main dispatch

    private int emit(List<Instruction> code, int pc) {
        if (outlines) {
            // (most methods outline nothing: they skip these lookups, which box pc)
            Integer chunkEnd = plan.chunks().get(pc);
            if (chunkEnd != null) {
                return emitRegionCall(pc, chunkEnd, true);
            }
        }
        Instruction in = code.get(pc);
        int op = in.opcode();
        switch (op) {
            case UNREACHABLE:
                mv.visitMethodInsn(INVOKESTATIC, OPS, "trapUnreachable", "()Lio/wasmudf/engine/Trap;", false);
                mv.visitInsn(ATHROW);
                return skipToEnd();
            case io.wasmudf.engine.internal.model.Opcodes.NOP:
                return pc;
            case BLOCK: {
                if (outlines && plan.blocks().contains(pc) && Region.fits(blockParams(in))) {
                    return emitRegionCall(pc, (int) in.c(), false);
                }
                InFlightSpill spill = spillInFlight(code, pc, in);
                pushFrame(KIND_BLOCK, in).spill = spill;
                return pc;
            }
            case LOOP: {
                if (outlines && plan.blocks().contains(pc) && Region.fits(blockParams(in))) {
                    return emitRegionCall(pc, (int) in.c(), false);
                }
                InFlightSpill spill = spillInFlight(code, pc, in);
                Frame f = pushFrame(KIND_LOOP, in);
                f.spill = spill;
                placeHere(f.label);
                checks.atLoopHeader(pc);
                if (scanLoops != null) {
                    scanLoops.atHeader(code, pc, nextTemp);
                }
                if (dotLoops != null) {
                    dotLoops.atHeader(code, pc, nextTemp);
                }
                return pc;
            }
            case IF: {
                pop();
                Frame f = pushFrame(KIND_IF, in);
                f.elseLabel = new Label();
                mv.visitJumpInsn(IFEQ, f.elseLabel);
                return pc;
            }
            case ELSE: {
                Frame f = frame(0);
                if (!f.unreachable) {
                    mv.visitJumpInsn(GOTO, target(f));
                }
                maps.place(f.elseLabel, stack, f.height, f.params);
                f.elseLabel = null;
                f.inElse = true;
                f.unreachable = false;
                while (stack.size() > f.height) {
                    pop();
                }
                stack.addAll(f.params);
                return pc;
            }
            case END:
            case DELEGATE:
                return emitEnd(pc);
            case TRY_TABLE:
            case TRY:
            case CATCH:
            case CATCH_ALL:
            case THROW:
            case THROW_REF:
            case RETHROW:
                return exceptions.emit(in, pc);
            case BR:
                emitBranch(in.a());
                return skipToEnd();
            case BR_IF:
                pop();
                branches.branchIf(in.a(), IFNE);
                return pc;
            case BR_TABLE:
                pop();
                branches.brTable(in);
                return skipToEnd();
            case RETURN_CALL:
            case RETURN_CALL_INDIRECT:
            case io.wasmudf.engine.internal.model.RefOpcodes.RETURN_CALL_REF:
                // leaves the callee to the trampoline (TailCalls), then returns placeholder results
                if (op == RETURN_CALL_INDIRECT) {
                    wideMemoryOps.beforeCallIndirect(in.b()); // a table64 index becomes an int, as for call_indirect
                }
                indirectCalls.tails.emitPending(mv, in, stack, type.results(), selfSlot, nextTemp);
            case io.wasmudf.engine.internal.model.Opcodes.RETURN: // falls through from the tail calls
                // the function frame is the outermost one, possibly outside this region's method
                emitBranch(frames.size() - 1 + (region == null ? 0 : region.outer.size()));
                return skipToEnd();
            case CALL:
                emitCall(in.a());
                return pc;
            case CALL_INDIRECT:
                emitCallIndirect(in.a(), in.b());
                return pc;
            case DROP:
                mv.visitInsn(size(pop()) == 2 ? POP2 : POP);
                return pc;
            case SELECT:
            case SELECT_T:
                numeric.emitSelect(stack);
                return pc;
            case LOCAL_GET:
                if (localSlots[in.a()] < 0) {
                    regionCalls.loadLocal(in.a());
                } else if (splitLocals != null && splitLocals[in.a()] != 0) {
                    if (splitLocals[in.a()] == SimdEmitter.ARRAY && SimdLaneSpill.emitLaneRead(mv, stack, code, pc, localSlots[in.a()])
                            || laneWindows != null && laneWindows.emitLaneRead(code, pc)
                            || splitLocals[in.a()] == SimdEmitter.LONGS && SimdLaneSpill.emitWordLaneRead(mv, stack, code, pc, localSlots[in.a()])) {
                        return pc + 1; // the lane extract after it, read from the array or the loaded bytes
                    }
                    SimdEmitter.loadSplit(mv, localSlots[in.a()], splitLocals[in.a()]);
                } else {
                    mv.visitVarInsn(loadOp(localTypes[in.a()]), localSlots[in.a()]);
                }
                push(localTypes[in.a()]);
                return pc;
            case LOCAL_SET:
                storeLocal(in.a());
                pop();
                return laneWindows != null ? laneWindows.afterSet(code, pc) : pc;
            case LOCAL_TEE:
                if (laneWindows != null && laneWindows.teeIsRead(pc)) { // as local.set, then its extract as a lane read
                    storeLocal(in.a());
                    pop();
                    return laneWindows.afterSet(code, pc);
                }
                mv.visitInsn(size(localTypes[in.a()]) == 2 ? DUP2 : DUP);
                storeLocal(in.a());
                return laneWindows != null ? laneWindows.afterSet(code, pc) : pc;
            case GLOBAL_GET:
                push(globals.get(in.a()));
                return pc;
            case GLOBAL_SET:
                globals.set(in.a(), pop(), nextTemp);
                return pc;
            case I32_CONST:
                pushInt((int) in.c());
                push(ValType.I32);
                return pc;
            case I64_CONST:
                JvmInsns.pushLong(mv, in.c());
                push(ValType.I64);
                return pc;
            case F32_CONST:
                if ((int) in.c() == 0) {
                    mv.visitInsn(FCONST_0);
                } else {
                    mv.visitLdcInsn(Float.intBitsToFloat((int) in.c()));
                }
                push(ValType.F32);
                return pc;
            case F64_CONST:
                if (in.c() == 0) {
                    mv.visitInsn(DCONST_0);
                } else {
                    mv.visitLdcInsn(Double.longBitsToDouble(in.c()));
                }
                push(ValType.F64);
                return pc;
            case REF_NULL:
                mv.visitInsn(ACONST_NULL);
                push(layout.jvm(in.a()));
                return pc;
            case REF_IS_NULL:
                pop();
                mv.visitMethodInsn(INVOKESTATIC, OPS, "refIsNull", "(Ljava/lang/Object;)I", false);
                push(ValType.I32);
                return pc;
            case REF_FUNC:
                mv.visitVarInsn(ALOAD, selfSlot);
                pushInt(in.a());
                mv.visitMethodInsn(INVOKEVIRTUAL, ModuleLayout.BASE, "func", "(I)Lio/wasmudf/engine/WasmFunction;", false);
                push(ValType.FUNCREF);
                return pc;
            default:
                break;
        }
        if (io.wasmudf.engine.internal.model.RefOpcodes.isRefOp(op)) {
            return new RefEmitter(this, mv).emit(in, pc);
        }
        if (op >= I32_LOAD && op <= I64_STORE32) {
            if (!wideMemoryOps.emit(in, nextTemp)) { // other memories, memory64 (see WideMemoryEmitter)
                memoryOps.emitMemoryAccess(in, nextTemp);
            }
            return pc;
        }
        if (wideMemoryOps.emit(in, nextTemp) || memoryOps.emitMemoryOrTableOp(in)) {
            if (op == MEMORY_GROW) {
                reloadMemory(); // growth replaces the buffer
            }
            return pc;
        }
        if (pc + 1 < code.size() && CompareJumps.isFusable(op)) {
            int next = code.get(pc + 1).opcode();
            if (next == BR_IF || next == IF) {
                branches.compareAndBranch(op, code.get(pc + 1));
                return pc + 1;
            }
        }
        if (SimdOpcodes.isSimd(op)) {
            if (laneWindows != null) {
                laneWindows.beforeLoad(pc);
            }
            return simd.emit(code, pc);
        }
        numeric.emit(op, pc + 1 < code.size() ? code.get(pc + 1).opcode() : -1, stack);
        return pc;
    }

    private int emitEnd(int pc) {
        Frame f = frames.remove(frames.size() - 1);
        while (stack.size() > f.height) {
            pop();
        }
        if (f.handler != null) {
            exceptions.end(f, body.code().get(pc)); // the try's handler, between its body and its end
        }
        if (f.kind == KIND_FUNC) {
            if (!f.unreachable) {
                stack.addAll(f.results);
                emitReturn();
            }
            return pc;
        }
        // code after the construct runs only if its body falls through or something jumps to its end
        boolean reachable = !f.unreachable || f.elseLabel != null || (f.kind != KIND_LOOP && f.targeted);
        if (f.elseLabel != null) {
            // an if without else: the false path arrives here with the params, which equal the results
            maps.place(f.elseLabel, stack, f.height, f.params);
        }
        if (f.kind != KIND_LOOP && f.targeted) {
            maps.place(f.label, stack, f.height, f.results);
        }
        stack.addAll(f.results);
        if (f.spill != null) {
            nextTemp = f.spill.end(stack, f.results, reachable, mv, maps);
        }
        if (!reachable) {
            // emit no dead code: it would need frames and max-stack accounting of its own
            if (!frames.isEmpty()) {
                return skipToEnd();
            }
            if (region.chunk) {
                chunkTail = true;
                return region.end - 1;
            }
            return pc;
        }
        if (frames.isEmpty() && !region.chunk) {
            regionCalls.exit(region, 0, f.results, nextTemp); // the end of an outlined block's own frame
        }
        return pc;
    }

    // ---- branches (see BranchEmitter)

    /** Emits a branch to label {@code depth} (see {@link BranchEmitter#branch}). */
    void emitBranch(int depth) {
        branches.branch(depth);
    }

    /** Returns the function's results (boxed when more than one), the call-depth budget put back first. */
    void emitReturn() {
        checks.beforeReturn();
        List<ValType> results = type.results();
        switch (results.size()) {
            case 0:
                mv.visitInsn(org.objectweb.asm.Opcodes.RETURN);
                return;
            case 1:
                mv.visitInsn(returnOp(results.get(0)));
                return;
            default:
                Boxing.boxResults(mv, results, nextTemp);
                mv.visitInsn(ARETURN);
        }
    }

    // ---- calls

    private void emitCall(int funcIndex) {
        FuncType callee = layout.functionTypes.get(funcIndex);
        boolean viaHandle = funcIndex < layout.importedFunctions;
        if (budgetParam && funcIndex == this.funcIndex) {
            mv.visitVarInsn(ALOAD, selfSlot);
            checks.loadBudget();
            mv.visitMethodInsn(INVOKESTATIC, layout.functionOwners[funcIndex], SelfRecursion.bodyName(layout.functionNames[funcIndex]),
                    SelfRecursion.bodyDesc(layout.functionDescs[funcIndex]), false);
            afterCall(callee);
            return;
        }
        checks.beforeCall();
        if (viaHandle) {
            checks.beforeHandleCall();
        }
        mv.visitVarInsn(ALOAD, selfSlot);
        mv.visitMethodInsn(INVOKESTATIC, layout.functionOwners[funcIndex], layout.functionNames[funcIndex], layout.functionDescs[funcIndex], false);
        if (viaHandle) {
            checks.afterHandleCall();
        }
        afterCall(callee);
    }

    private void emitCallIndirect(int typeIndex, int tableIndex) {
        FuncType callee = layout.module.types().get(typeIndex);
        wideMemoryOps.beforeCallIndirect(tableIndex);
        pop(); // the table index operand
        checks.beforeCall();
        checks.beforeHandleCall();
        mv.visitVarInsn(ALOAD, selfSlot);
        String name = indirectCalls.bridgeFor(typeIndex, tableIndex);
        // each class gets the bridges its own functions use
        mv.visitMethodInsn(INVOKESTATIC, layout.functionOwners[funcIndex], name, indirectCalls.desc(callee), false);
        checks.afterHandleCall();
        afterCall(callee);
    }

    void afterCall(FuncType callee) {
        pop(callee.params().size());
        if (callee.results().size() > 1) {
            Boxing.unboxResults(mv, callee.results(), nextTemp);
        }
        stack.addAll(callee.results());
        // a callee may have grown (and so replaced) the memory buffer
        reloadMemory();
    }

    // ---- outlined regions

    /** The body of an outlined region's method. */
    private void compileRegion() {
        mv.visitCode();
        regionCalls.loadPassed(region);
        reloadMemory();
        if (region.chunk) {
            for (int pc = region.start; pc < region.end; pc++) {
                pc = emit(body.code(), pc);
            }
            if (!chunkTail) {
                regionCalls.exit(region, 0, List.of(), nextTemp);
            }
            regionCalls.epilogue(region);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
            return;
        }
        regionCalls.loadParams(region);
        Instruction in = body.code().get(region.start);
        Frame f = pushFrame(region.loop ? KIND_LOOP : KIND_BLOCK, in);
        if (region.loop) {
            placeHere(f.label);
            checks.atLoopHeader(region.start);
        }
        for (int pc = region.start + 1; pc <= region.end; pc++) {
            pc = emit(body.code(), pc);
        }
        regionCalls.epilogue(region);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /**
     * Compiles the block or loop at {@code start} (ending with the {@code end} at {@code end}), or
     * the straight-line chunk {@code [start, end)}, as its own method and calls it; returns the
     * index of the last instruction it covers.
     */
    private int emitRegionCall(int start, int end, boolean chunk) {
        List<Instruction> code = body.code();
        Instruction in = code.get(start);
        List<List<ValType>> outer = new OuterLabels(frames, frames.size(), region == null ? List.of() : region.outer);
        Region r = chunk
                ? new Region(code, start, end, false, true, List.of(), List.of(), outer,
                        "c" + funcIndex + "_" + start + "_" + end, localTypes, layout.classDesc, false, homed, facts)
                : new Region(code, start, end, in.opcode() == LOOP, false, blockParams(in), blockResults(in), outer,
                        "r" + funcIndex + "_" + start, localTypes, layout.classDesc, HomedLocals.region(facts, start, false), homed, facts);
        MethodVisitor rmv = cw.visitMethod(ACC_PRIVATE | ACC_STATIC, r.methodName, r.desc, null, null);
        // compiled before the call site is emitted: its exits decide the dispatch
        new FunctionCompiler(layout, cw, rmv, funcIndex, type, body, indirectCalls, r, facts).compile();
        int scratch = nextTemp;
        // the exit code stays live through the dispatch, whose branches may need temps
        nextTemp += RegionCalls.CALL_SLOTS;
        regionCalls.call(r, scratch);
        if (r.mayReplaceMemory) { // it may have grown (and so replaced) the memory buffer
            reloadMemory();
        }
        regionCalls.dispatch(r, scratch, this::emitBranch, region);
        nextTemp = scratch;
        return chunk ? end - 1 : end;
    }

    // ---- small emitters

    /** Pops the value on the stack into Wasm local {@code l}: its JVM slot, or its element of the frame arrays. */
    private void storeLocal(int l) {
        if (localSlots[l] < 0) {
            regionCalls.storeLocal(l, nextTemp);
        } else if (splitLocals != null && splitLocals[l] != 0) {
            SimdEmitter.storeSplit(mv, localSlots[l], splitLocals[l]);
        } else {
            mv.visitVarInsn(storeOp(localTypes[l]), localSlots[l]);
        }
    }

    private void pushInt(int v) {
        JvmInsns.pushInt(mv, v);
    }
}
