package io.wasmudf.h2;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The H2 alias of a function name, shared by its overloads (H2 resolves an alias by argument
 * count only): the one function's own bridge, or the dispatching class of several
 * ({@link OverloadBridgeGenerator}). Function DDL that changes the functions of a name plans the
 * alias change here, so every statement keeps the alias, and the {@code bridge} column of the
 * name's rows, in step with the functions in force.
 */
final class NameAlias {
    private NameAlias() {}

    /** {@code group} with {@code remove} taken out and {@code add} put in (either may be null), in id order. */
    static List<FunctionDef> with(List<FunctionDef> group, FunctionDef remove, FunctionDef add) {
        List<FunctionDef> out = new ArrayList<>();
        for (FunctionDef f : group) {
            if (remove == null || f.id() != remove.id()) {
                out.add(f);
            }
        }
        if (add != null) {
            out.add(add);
        }
        out.sort(Comparator.comparingLong(FunctionDef::id));
        return out;
    }

    /**
     * Plans the change of the alias of {@code schema.name} from functions {@code before} to
     * {@code after} (both in id order; either may be empty): alias DDL with its undo, and a row
     * change recording the new target; call it after the plan's own row changes.
     */
    static void change(DdlPlan plan, CatalogService service, String schema, String name, List<FunctionDef> before, List<FunctionDef> after) {
        String alias = CatalogService.quote(schema) + "." + CatalogService.quote(name);
        if (!before.isEmpty()) {
            plan.alias("DROP ALIAS IF EXISTS " + alias, List.of(service.createAliasSql(alias, before, true)));
        }
        if (!after.isEmpty()) {
            plan.alias(service.createAliasSql(alias, after, false), List.of("DROP ALIAS IF EXISTS " + alias));
            plan.rows(sys -> CatalogStore.setBridge(sys, schema, name, service.aliasTarget(after)));
        }
    }
}
