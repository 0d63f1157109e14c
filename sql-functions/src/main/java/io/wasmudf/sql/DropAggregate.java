package io.wasmudf.sql;

import java.util.List;

/** A parsed {@code DROP AGGREGATE [IF EXISTS] name (argtypes) [, …]}: PostgreSQL requires the argument types. */
public record DropAggregate(boolean ifExists, List<Target> targets) implements WasmDdl {

    public DropAggregate {
        targets = List.copyOf(targets);
    }

    /** One aggregate named by the statement. */
    public record Target(QualifiedName name, List<SqlType> argTypes) {
        public Target {
            argTypes = List.copyOf(argTypes);
        }
    }

    @Override
    public String commandTag() {
        return "DROP AGGREGATE";
    }
}
