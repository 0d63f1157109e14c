package io.wasmudf.sql;

import java.util.List;

/**
 * A parsed {@code CREATE [OR REPLACE] AGGREGATE name (argtypes) (SFUNC = f, STYPE = t [, FINALFUNC = f]
 * [, COMBINEFUNC = f] [, INITCOND = '…'] [, PARALLEL = …])}. The support functions are named, not
 * resolved: they are wasm functions looked up by name and argument types when the aggregate is
 * created, as PostgreSQL does. {@code initCond} is the text form of the initial state, or null.
 */
public record CreateAggregate(
        boolean orReplace,
        QualifiedName name,
        List<SqlType> argTypes,
        QualifiedName sfunc,
        SqlType stype,
        QualifiedName finalFunc,
        QualifiedName combineFunc,
        String initCond,
        String parallel) implements WasmDdl {

    public CreateAggregate {
        argTypes = List.copyOf(argTypes);
    }

    @Override
    public String commandTag() {
        return "CREATE AGGREGATE";
    }
}
