package io.wasmudf.engine;

import java.util.List;

/** A validated module compiled to JVM bytecode; immutable and instantiable many times. */
public final class CompiledModule {
    // TODO(engine helper): implement.

    public List<ImportInfo> imports() {
        throw new UnsupportedOperationException("TODO");
    }

    public List<ExportInfo> exports() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Hex SHA-256 of the module bytes. */
    public String sha256() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Instantiates a module without imports. */
    public Instance instantiate() {
        return instantiate(Imports.empty());
    }

    /**
     * Links, initialises (element and data segments) and runs the start function.
     *
     * @throws LinkException when an import is missing or incompatible
     * @throws Trap          when initialisation or the start function traps
     */
    public Instance instantiate(Imports imports) {
        throw new UnsupportedOperationException("TODO");
    }
}
