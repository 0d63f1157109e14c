package io.wasmudf.engine.internal.compile;

import io.wasmudf.engine.FuncType;
import io.wasmudf.engine.ValType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code call_indirect} bridges a module needs, one per (type, table): a static method that
 * takes the call's arguments, the element index and the instance, checks the element and invokes
 * it. Call sites then need no stack shuffling.
 */
final class IndirectCalls {
    private final ModuleLayout layout;
    /** bridge name → {type index, table index}. */
    final Map<String, int[]> bridges = new LinkedHashMap<>();
    /** The class's tail-call entries (a tail call is a call bridged through the instance). */
    final TailCalls tails;

    IndirectCalls(ModuleLayout layout, String owner) {
        this.layout = layout;
        this.tails = new TailCalls(layout, owner);
    }

    private final Map<Long, String> names = new java.util.HashMap<>();
    private final Map<FuncType, String> descs = new java.util.HashMap<>();

    String bridgeFor(int typeIndex, int tableIndex) {
        return names.computeIfAbsent(((long) typeIndex << 32) | tableIndex, k -> {
            String name = "ci" + typeIndex + "_" + tableIndex;
            bridges.put(name, new int[] {typeIndex, tableIndex});
            return name;
        });
    }

    /** The {@code call_ref} bridge of a type: takes the arguments and the reference (table index -1 in {@link #bridges}). */
    String refBridgeFor(int typeIndex) {
        return names.computeIfAbsent(((long) typeIndex << 32) | 0xFFFF_FFFFL, k -> {
            String name = "cr" + typeIndex;
            bridges.put(name, new int[] {typeIndex, -1});
            return name;
        });
    }

    String refDesc(FuncType t) {
        ModuleLayout.checkParameterSlots(t, 1, "a call_ref of type " + t);
        return ModuleLayout.descWith(t, "Ljava/lang/Object;");
    }

    String desc(FuncType t) {
        return descs.computeIfAbsent(t, this::buildDesc);
    }

    private String buildDesc(FuncType t) {
        return bridgeDesc(layout, t);
    }

    /** A bridge's descriptor: the callee's params, the element index, the instance. */
    static String bridgeDesc(ModuleLayout layout, FuncType t) {
        ModuleLayout.checkParameterSlots(t, 2, "a call_indirect of type " + t);
        return ModuleLayout.descWith(t, "I" + layout.classDesc);
    }
}
