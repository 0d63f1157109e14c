package io.wasmudf.engine.internal.compile;

import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.ValType;
import io.wasmudf.engine.internal.model.GlobalType;
import io.wasmudf.engine.internal.model.WasmModule;
import java.util.ArrayList;
import java.util.List;

/**
 * How a module maps onto its generated class: names, descriptors and storage of every
 * function and global. Shared by the class and function compilers so both agree.
 */
final class ModuleLayout {
    static final String BASE = "io/wasmudf/engine/internal/runtime/ModuleInstance";
    static final String GLOBAL = "io/wasmudf/engine/Global";

    final String className;
    final String classDesc;
    final WasmModule module;
    final boolean interruptible;
    final ModuleCompiler.Checks checks;
    final List<FuncType> functionTypes = new ArrayList<>();
    final List<GlobalType> globalTypes = new ArrayList<>();
    /** A global is a shared {@code Global} cell when imported or exported, a typed field otherwise. */
    final boolean[] globalIsCell;
    final int importedFunctions;
    /** Method names and descriptors by function index, and field names and descriptors by global index: built once, so every call site reuses one String (and its cached hash). */
    final String[] functionNames;
    final String[] functionDescs;
    final String[] globalNames;
    final String[] globalDescs;
    /**
     * The internal name of the class holding each function's method: this class for imports and,
     * unless the module is split into parts (see {@link ModuleCompiler}), for every function.
     */
    final String[] functionOwners;
    /**
     * The defined functions a table may hold (those named in element segments), by interned type
     * id, in index order: the candidates of a {@code call_indirect} bridge's direct calls (see
     * {@link ModuleCompiler}).
     */
    final java.util.Map<Integer, int[]> tableFunctions;
    /** By function index: whether its body contains a tail call (see {@link TailCalls}). */
    final boolean[] tailCallers;
    /** Which memories and tables take i64 addresses (see {@link WideMemoryEmitter}). */
    final io.wasmudf.engine.internal.model.ExternAddressTypes addressTypes;
    /**
     * Whether memory 0 is the module's own 32-bit memory and no function of the module grows it:
     * the instance then keeps that memory's array exactly its size ({@code ModuleInstance#exactMemory}),
     * so memory 0's accesses are checked against the array's length alone (see
     * {@link MemoryTableEmitter#emitMemoryAccess}).
     */
    final boolean exactMemory;
    /** Estimated bytecode size above which a function's blocks are outlined (see {@link Outliner}). */
    int methodLimit = Outliner.DEFAULT_LIMIT;
    /** Lower limits for functions whose methods came out over 64 KB at the usual one (see {@link ModuleCompiler}). */
    final java.util.Map<Integer, Integer> limitOverrides = new java.util.concurrent.ConcurrentHashMap<>();

    private static boolean exactMemory(WasmModule module) {
        if (module.memories().isEmpty() || module.importedMemoryCount() > 0 || module.memories().get(0).limits().is64()) {
            return false;
        }
        for (var body : module.bodies()) {
            if (body.growsMemory()) {
                return false;
            }
        }
        return true;
    }

    /** The method size target for function {@code index}. */
    int methodLimit(int index) {
        return limitOverrides.getOrDefault(index, methodLimit);
    }

    ModuleLayout(String className, WasmModule module, ModuleCompiler.Checks checks) {
        this.className = className;
        this.classDesc = "L" + className + ";";
        this.module = module;
        this.checks = checks;
        this.interruptible = checks.interrupt();
        this.exactMemory = exactMemory(module);
        int importedGlobals = 0;
        int importedFuncs = 0;
        for (var imp : module.imports()) {
            if (imp.desc() instanceof io.wasmudf.engine.internal.model.ImportDesc.Func f) {
                functionTypes.add(module.types().get(f.typeIndex()));
                importedFuncs++;
            } else if (imp.desc() instanceof io.wasmudf.engine.internal.model.ImportDesc.Global g) {
                globalTypes.add(g.type());
                importedGlobals++;
            }
        }
        this.importedFunctions = importedFuncs;
        for (int t : module.functions()) {
            functionTypes.add(module.types().get(t));
        }
        for (var g : module.globals()) {
            globalTypes.add(g.type());
        }
        globalIsCell = new boolean[globalTypes.size()];
        for (int i = 0; i < importedGlobals; i++) {
            globalIsCell[i] = true;
        }
        for (var e : module.exports()) {
            if (e.kind() == io.wasmudf.engine.ExternKind.GLOBAL) {
                globalIsCell[e.index()] = true;
            }
        }
        functionOwners = new String[functionTypes.size()];
        java.util.Arrays.fill(functionOwners, className);
        functionNames = new String[functionTypes.size()];
        functionDescs = new String[functionTypes.size()];
        java.util.Map<FuncType, String> descs = new java.util.HashMap<>();
        for (int i = 0; i < functionNames.length; i++) {
            checkParameterSlots(functionTypes.get(i), 1, "function " + i);
            functionNames[i] = functionName(i);
            functionDescs[i] = descs.computeIfAbsent(functionTypes.get(i), this::methodDesc);
        }
        tableFunctions = tableFunctions(module, functionTypes, importedFuncs);
        tailCallers = TailCalls.callers(module, functionTypes.size(), importedFuncs);
        addressTypes = io.wasmudf.engine.internal.model.ExternAddressTypes.of(module);
        globalNames = new String[globalTypes.size()];
        globalDescs = new String[globalTypes.size()];
        for (int i = 0; i < globalNames.length; i++) {
            globalNames[i] = globalField(i);
            globalDescs[i] = globalIsCell[i] ? "L" + GLOBAL + ";" : desc(globalTypes.get(i).type());
        }
    }

    private static java.util.Map<Integer, int[]> tableFunctions(WasmModule module, List<FuncType> types, int imported) {
        java.util.BitSet named = new java.util.BitSet();
        for (var seg : module.elements()) {
            for (var expr : seg.init()) {
                for (var in : expr) {
                    if (in.opcode() == io.wasmudf.engine.internal.model.Opcodes.REF_FUNC && in.a() >= imported) {
                        named.set(in.a());
                    }
                }
            }
        }
        java.util.Map<Integer, List<Integer>> byType = new java.util.HashMap<>();
        for (int f = named.nextSetBit(0); f >= 0; f = named.nextSetBit(f + 1)) {
            byType.computeIfAbsent(io.wasmudf.engine.internal.runtime.TypeIds.of(types.get(f)), k -> new ArrayList<>()).add(f);
        }
        java.util.Map<Integer, int[]> out = new java.util.HashMap<>();
        byType.forEach((t, fs) -> out.put(t, fs.stream().mapToInt(Integer::intValue).toArray()));
        return out;
    }

    /** The JVM's limit on a method's parameter slots (JVMS 4.3.3), which long and double count twice. */
    static final int MAX_PARAMETER_SLOTS = 255;

    /**
     * Refuses a function type whose parameters, plus {@code extra} slots the compiled method adds,
     * do not fit a JVM method descriptor: a limit the module causes, not an engine defect.
     */
    /** The JVM-level type of a precise value type code (block types, {@code ref.null}). */
    io.wasmudf.engine.ValType jvm(int code) {
        return io.wasmudf.engine.internal.model.TypeCode.jvm(code, module.defTypes());
    }

    static void checkParameterSlots(FuncType t, int extra, String what) {
        int slots = extra;
        for (ValType p : t.params()) {
            slots += JvmInsns.size(p);
        }
        if (slots > MAX_PARAMETER_SLOTS) {
            throw new ModuleCompiler.TooLargeException(what + " has too many parameters for the JVM (" + slots
                    + " parameter slots with the instance, limit " + MAX_PARAMETER_SLOTS + ")");
        }
    }

    static String desc(ValType t) {
        switch (t) {
            case I32: return "I";
            case I64: return "J";
            case F32: return "F";
            case F64: return "D";
            default: return "Ljava/lang/Object;";
        }
    }

    static String returnDesc(FuncType t) {
        switch (t.results().size()) {
            case 0: return "V";
            case 1: return desc(t.results().get(0));
            default: return "[Ljava/lang/Object;";
        }
    }

    /** Descriptor of a function's static method: its params, then the instance. */
    String methodDesc(FuncType t) {
        return descWith(t, classDesc);
    }

    /** A method descriptor taking {@code t}'s params followed by {@code trailing} (descriptors), returning {@code t}'s results. */
    static String descWith(FuncType t, String trailing) {
        StringBuilder sb = new StringBuilder("(");
        for (ValType p : t.params()) {
            sb.append(desc(p));
        }
        return sb.append(trailing).append(')').append(returnDesc(t)).toString();
    }

    /** The element type of table {@code index} (imports first). */
    ValType tableType(int index) {
        int i = 0;
        for (var imp : module.imports()) {
            if (imp.desc() instanceof io.wasmudf.engine.internal.model.ImportDesc.Table t) {
                if (i++ == index) {
                    return t.type().elemType();
                }
            }
        }
        return module.tables().get(index - i).elemType();
    }

    static String functionName(int index) {
        return "f" + index;
    }

    static String globalField(int index) {
        return "g" + index;
    }

    static String importHandleField(int index) {
        return "h" + index;
    }
}
