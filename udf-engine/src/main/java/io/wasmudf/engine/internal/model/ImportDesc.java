package io.wasmudf.engine.internal.model;

import io.wasmudf.engine.ExternKind;

/** What an import expects. */
public sealed interface ImportDesc {
    ExternKind kind();

    /** A function import of the given type index. */
    record Func(int typeIndex) implements ImportDesc {
        public ExternKind kind() { return ExternKind.FUNC; }
    }

    record Table(TableType type) implements ImportDesc {
        public ExternKind kind() { return ExternKind.TABLE; }
    }

    record Memory(MemoryType type) implements ImportDesc {
        public ExternKind kind() { return ExternKind.MEMORY; }
    }

    record Global(GlobalType type) implements ImportDesc {
        public ExternKind kind() { return ExternKind.GLOBAL; }
    }
    /** An exception tag of the given (function) type index. */
    record Tag(int typeIndex) implements ImportDesc {
        public ExternKind kind() { return ExternKind.TAG; }
    }
}
