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

    String bridgeFor(int typeIndex, int tableIndex) {
        String name = "ci" + typeIndex + "_" + tableIndex;
        bridges.putIfAbsent(name, new int[] {typeIndex, tableIndex});
        return name;
    }

    String desc(FuncType t) {
        StringBuilder sb = new StringBuilder("(");
        for (ValType p : t.params()) {
            sb.append(ModuleLayout.desc(p));
        }
        return sb.append('I').append(layout.classDesc).append(')').append(ModuleLayout.returnDesc(t)).toString();
    }
}
