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
