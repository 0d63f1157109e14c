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

    IndirectCalls(ModuleLayout layout) {
        this.layout = layout;
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
        StringBuilder sb = new StringBuilder("(");
        for (ValType p : t.params()) {
            sb.append(ModuleLayout.desc(p));
        }
        return sb.append("Ljava/lang/Object;)").append(ModuleLayout.returnDesc(t)).toString();
    }

    String desc(FuncType t) {
        return descs.computeIfAbsent(t, this::buildDesc);
    }

    private String buildDesc(FuncType t) {
        ModuleLayout.checkParameterSlots(t, 2, "a call_indirect of type " + t);
        StringBuilder sb = new StringBuilder("(");
        for (ValType p : t.params()) {
            sb.append(ModuleLayout.desc(p));
        }
        return sb.append('I').append(layout.classDesc).append(')').append(ModuleLayout.returnDesc(t)).toString();
    }
}
