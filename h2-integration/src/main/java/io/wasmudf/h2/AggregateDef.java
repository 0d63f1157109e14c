package io.wasmudf.h2;

import io.wasmudf.sql.SqlType;
import io.wasmudf.sql.SqlTypes;
import java.util.List;

/**
 * One wasm aggregate as the catalog ({@code wasm.aggregates}) records it. Its support functions
 * are wasm functions referred to by id, so a {@code CREATE OR REPLACE FUNCTION} of one is seen by
 * the aggregate (its signature is checked again when a statement uses the aggregate).
 *
 * @param id          from the functions' id sequence, so bridge class names never collide
 * @param version     bumped by every {@code CREATE OR REPLACE AGGREGATE}
 * @param schema      the schema as H2 stores its name
 * @param name        the name as H2 stores it
 * @param display     the name as messages show it
 * @param owner       the user who created it
 * @param argTypes    the aggregated arguments' types
 * @param sfunc       the transition function's id
 * @param stype       the state type
 * @param finalFunc   the final function's id, 0 for none (the state is the result)
 * @param combineFunc the combine function's id, 0 for none (recorded; H2 never runs aggregates in parallel)
 * @param initCond    the initial state's text form, null for a NULL initial state
 * @param result      the final function's result type, or the state type
 * @param parallel    PARALLEL as declared (safe, restricted, unsafe)
 */
record AggregateDef(long id, int version, String schema, String name, String display, String owner, List<SqlType> argTypes,
                    long sfunc, SqlType stype, long finalFunc, long combineFunc, String initCond, SqlType result, String parallel) {

    AggregateDef {
        argTypes = List.copyOf(argTypes);
    }

    /** {@code integer, text}, as {@code pg_get_function_arguments} shows it. */
    String argumentsText() {
        return SqlTypes.names(argTypes);
    }

    /** {@code name(integer, text)} for messages. */
    String signature() {
        return display + "(" + argumentsText() + ")";
    }

    AggregateDef withIdentity(long newId, int v) {
        return new AggregateDef(newId, v, schema, name, display, owner, argTypes, sfunc, stype, finalFunc, combineFunc, initCond, result,
                parallel);
    }
}
