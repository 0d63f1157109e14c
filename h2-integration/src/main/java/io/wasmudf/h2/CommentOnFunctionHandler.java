package io.wasmudf.h2;

import io.wasmudf.sql.CommentOnFunction;
import java.sql.SQLException;
import java.util.List;

/**
 * {@code COMMENT ON FUNCTION} through the {@link DdlPipeline}: the function is found as DROP
 * FUNCTION finds it, only its owner (or an administrator) may comment, and the description is a
 * row of {@code wasm.function_comments} keyed by the function's id, so it survives
 * {@code CREATE OR REPLACE} and goes with {@code DROP FUNCTION}, as in PostgreSQL's pg_description.
 */
final class CommentOnFunctionHandler implements DdlPipeline.Handler<CommentOnFunction, CommentOnFunctionHandler.Target> {

    /** The function to describe and its new description (null: none). */
    record Target(FunctionDef function, String comment) {}

    @Override
    public Target resolve(DdlPipeline.Context ctx, CommentOnFunction statement) throws SQLException {
        List<FunctionDef> found = new DropFunctionHandler().resolve(ctx,
                new io.wasmudf.sql.DropFunction(false, List.of(statement.target())));
        return new Target(found.get(0), statement.comment());
    }

    @Override
    public void check(DdlPipeline.Context ctx, Target target) throws SQLException {
        ctx.checkOwner(target.function());
    }

    @Override
    public DdlPlan plan(DdlPipeline.Context ctx, Target target) {
        return new DdlPlan().rows(sys -> CatalogStore.setComment(sys, target.function().id(), target.comment()));
    }
}
