package io.wasmudf.sql;

import java.util.List;

/**
 * A parsed {@code DROP FUNCTION [IF EXISTS] name [(argtypes)] [, …]}; a target's {@code argTypes}
 * is null when no parenthesised list was given.
 */
public record DropFunction(boolean ifExists, List<Target> targets) implements WasmDdl {

    public DropFunction {
        targets = List.copyOf(targets);
    }

    /** One function named by the statement. */
    public record Target(QualifiedName name, List<SqlType> argTypes) {
        public Target {
            argTypes = argTypes == null ? null : List.copyOf(argTypes);
        }
    }

    @Override
    public String commandTag() {
        return "DROP FUNCTION";
    }
}
