package io.wasmudf.engine.internal.model;

/**
 * Which memories and tables of a module (imports first) take i64 addresses (memory64, table64):
 * what every instruction naming one must know to type and compile its address operands.
 */
public final class ExternAddressTypes {
    private final boolean[] memory64;
    private final boolean[] table64;

    private ExternAddressTypes(boolean[] memory64, boolean[] table64) {
        this.memory64 = memory64;
        this.table64 = table64;
    }

    public static ExternAddressTypes of(WasmModule m) {
        boolean[] mems = new boolean[m.importedMemoryCount() + m.memories().size()];
        boolean[] tabs = new boolean[m.importedTableCount() + m.tables().size()];
        int mi = 0;
        int ti = 0;
        for (Import imp : m.imports()) {
            if (imp.desc() instanceof ImportDesc.Memory mem) {
                mems[mi++] = mem.type().limits().is64();
            } else if (imp.desc() instanceof ImportDesc.Table t) {
                tabs[ti++] = t.type().limits().is64();
            }
        }
        for (MemoryType mem : m.memories()) {
            mems[mi++] = mem.limits().is64();
        }
        for (TableType t : m.tables()) {
            tabs[ti++] = t.limits().is64();
        }
        return new ExternAddressTypes(mems, tabs);
    }

    /** Whether memory {@code index} has i64 addresses; false for an index the module does not have. */
    public boolean memory64(int index) {
        return index >= 0 && index < memory64.length && memory64[index];
    }

    /** Whether table {@code index} has i64 indexes; false for an index the module does not have. */
    public boolean table64(int index) {
        return index >= 0 && index < table64.length && table64[index];
    }

    /** Whether the module has any memory but a single one with i32 addresses, or any table64. */
    public boolean any() {
        if (memory64.length > 1) {
            return true;
        }
        for (boolean b : memory64) {
            if (b) {
                return true;
            }
        }
        for (boolean b : table64) {
            if (b) {
                return true;
            }
        }
        return false;
    }
}
