package io.wasmudf.h2;

import io.wasmudf.sql.AlterFunctionOwner;
import io.wasmudf.sql.CreateAggregate;
import io.wasmudf.sql.CreateFunction;
import io.wasmudf.sql.DropAggregate;
import io.wasmudf.sql.DropFunction;
import io.wasmudf.sql.FunctionDdlParser;
import io.wasmudf.sql.FunctionGrant;
import io.wasmudf.sql.Identifier;
import io.wasmudf.sql.QualifiedName;
import io.wasmudf.sql.SqlStates;
import io.wasmudf.sql.WasmDdl;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every wasm DDL statement takes the same path: parse (one record per form, {@link WasmDdl}) →
 * resolve (names as the database stores them, the module, the existing function) → check
 * (privileges, the module against the declaration, conflicts; nothing written yet) → plan (the
 * alias and catalog-row changes with their undo, and what the catalog service publishes) → apply
 * ({@link DdlPlan#apply}, on the database's system connection, all or nothing). A new form is a
 * record, a parser branch and a {@link Handler} registered in {@link #HANDLERS}.
 */
final class DdlPipeline {
    /** One DDL form's resolve, check and plan steps. */
    interface Handler<S extends WasmDdl, R> {
        /** Looks up what the statement names; throws for what does not exist (unless the form allows it). */
        R resolve(Context ctx, S statement) throws SQLException;

        /** Checks everything that can fail before anything is written. */
        void check(Context ctx, R resolved) throws SQLException;

        /** The changes to make. */
        DdlPlan plan(Context ctx, R resolved) throws SQLException;
    }

    /**
     * What every step can use: the user's connection (identity, name resolution), the database's
     * catalog service, the bound module, and the NOTICEs the statement raises (as SQLWarnings
     * with SQLSTATE 00000; the wire server sends them as NoticeResponses).
     */
    record Context(Connection user, CatalogService service, byte[] boundModule, List<SQLWarning> notices) {

        /** Raises a NOTICE, which the statement returns if it succeeds. */
        void notice(String message) {
            notices.add(new SQLWarning(message, GuestOutput.NOTICE_STATE));
        }

        /** A name as the database stores it, in the user's current schema when unqualified. */
        ResolvedName resolve(QualifiedName q) throws SQLException {
            DatabaseMetaData md = user.getMetaData();
            String schema = q.schema() == null ? user.getSchema() : fold(q.schema(), md);
            String name = fold(q.name(), md);
            String display = q.schema() == null ? q.name().pgName() : q.schema().pgName() + "." + q.name().pgName();
            return new ResolvedName(schema, name, display);
        }

        /** The user's name (the owner of what they create). */
        String userName() throws SQLException {
            return user.getMetaData().getUserName();
        }

        /** 42501 unless the user owns {@code f} or is a superuser (PostgreSQL: "must be owner of function f"). */
        void checkOwner(FunctionDef f) throws SQLException {
            checkOwner(service.owner(f), f.display());
        }

        /** 42501 unless the user is {@code owner} or a superuser; aggregates too are a "function" in PostgreSQL's wording. */
        void checkOwner(String owner, String display) throws SQLException {
            String me = userName();
            if (!H2Access.isSuperuser(H2Access.session(user)) && !me.equals(owner)) {
                throw SqlStates.error(SqlStates.INSUFFICIENT_PRIVILEGE, "must be owner of function " + display);
            }
        }

        private static String fold(Identifier id, DatabaseMetaData md) throws SQLException {
            if (id.quoted()) {
                return id.text();
            }
            if (md.storesUpperCaseIdentifiers()) {
                return id.text().toUpperCase(Locale.ROOT);
            }
            if (md.storesLowerCaseIdentifiers()) {
                return id.text().toLowerCase(Locale.ROOT);
            }
            return id.text();
        }
    }

    /** A function name as H2 stores it, and as messages show it. */
    record ResolvedName(String schema, String name, String display) {}

    private static final Map<Class<? extends WasmDdl>, Handler<?, ?>> HANDLERS = Map.of(
            CreateFunction.class, new CreateFunctionHandler(),
            DropFunction.class, new DropFunctionHandler(),
            FunctionGrant.class, new FunctionGrantHandler(),
            AlterFunctionOwner.class, new AlterOwnerHandler(),
            io.wasmudf.sql.CommentOnFunction.class, new CommentOnFunctionHandler(),
            io.wasmudf.sql.AlterFunctionRename.class, new AlterFunctionRenameHandler(),
            io.wasmudf.sql.AlterFunctionActions.class, new AlterFunctionActionsHandler(),
            CreateAggregate.class, new CreateAggregateHandler(),
            DropAggregate.class, new DropAggregateHandler());

    private DdlPipeline() {}

    /**
     * Runs {@code sql} for the user of {@code user}; {@code boundModule} is the byte[] bound to
     * {@code AS ?} (or null). Like H2's own DDL, it first commits the user's open transaction (so
     * the catalog sees what the user uploaded in it). Returns the statement's NOTICEs.
     */
    static List<SQLWarning> execute(Connection user, CatalogService service, String sql, byte[] boundModule) throws SQLException {
        WasmDdl statement = FunctionDdlParser.parse(sql);
        if (service == null) {
            throw SqlStates.error(SqlStates.FEATURE_NOT_SUPPORTED, "wasm function DDL needs an embedded H2 database (jdbc:wasm:mem: or jdbc:wasm:file:)");
        }
        if (!user.getAutoCommit()) {
            user.commit();
        }
        Context ctx = new Context(user, service, boundModule, new ArrayList<>());
        run(handler(statement), ctx, statement);
        return ctx.notices();
    }

    @SuppressWarnings("unchecked")
    private static <S extends WasmDdl> Handler<S, Object> handler(S statement) {
        return (Handler<S, Object>) HANDLERS.get(statement.getClass());
    }

    private static <S extends WasmDdl> void run(Handler<S, Object> handler, Context ctx, S statement) throws SQLException {
        Object resolved = handler.resolve(ctx, statement);
        handler.check(ctx, resolved);
        handler.plan(ctx, resolved).apply(ctx.service());
    }
}
