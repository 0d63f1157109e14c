package io.wasmudf.h2;

import io.wasmudf.sql.SqlStates;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The changes one DDL statement makes, applied on the database's system connection as one unit:
 * alias DDL first (H2 commits at every DDL statement, even a failing one), then the catalog rows
 * in one transaction; if anything fails, the undo statements restore the aliases, the rows roll
 * back and nothing is left behind. The catalog service learns of the new state only after both
 * succeeded ({@link #onSuccess}); definitions whose bridge H2 loads while an alias is created are
 * announced before ({@link #before}) and withdrawn on failure.
 */
final class DdlPlan {
    /** A catalog-row change, run inside the plan's transaction. */
    interface RowChange {
        void run(Connection system) throws SQLException;
    }

    /** Alias DDL with the statements that undo it. */
    private record AliasStep(String ddl, List<String> undo) {}

    private final List<AliasStep> aliasSteps = new ArrayList<>();
    /** How many alias steps ran (the ones to undo after a failure). */
    private int aliasStepsDone;
    private final List<RowChange> rows = new ArrayList<>();
    private final List<Runnable> before = new ArrayList<>();
    private final List<Runnable> onFailure = new ArrayList<>();
    private final List<Runnable> onSuccess = new ArrayList<>();
    private String duplicateMessage;

    /** Alias DDL to run, and the statements that undo it once it ran (in the order given, after a failure). */
    DdlPlan alias(String ddl, List<String> undoing) {
        aliasSteps.add(new AliasStep(ddl, List.copyOf(undoing)));
        return this;
    }

    DdlPlan rows(RowChange change) {
        rows.add(change);
        return this;
    }

    /** Runs {@code action} before anything is applied, and {@code rollback} if the plan then fails. */
    DdlPlan before(Runnable action, Runnable rollback) {
        before.add(action);
        onFailure.add(rollback);
        return this;
    }

    /** Runs {@code action} once everything is applied and committed. */
    DdlPlan onSuccess(Runnable action) {
        onSuccess.add(action);
        return this;
    }

    /** The message (42723) when H2 refuses an alias because the name is taken by something we did not see. */
    DdlPlan onDuplicate(String message) {
        duplicateMessage = message;
        return this;
    }

    void apply(CatalogService service) throws SQLException {
        service.withCatalog(system -> {
            before.forEach(Runnable::run);
            try {
                runAliasDdl(system);
                atomically(system);
            } catch (SQLException | RuntimeException e) {
                runUndo(system, e);
                onFailure.forEach(Runnable::run);
                if (e instanceof SQLException s && s.getErrorCode() == org.h2.api.ErrorCode.FUNCTION_ALIAS_ALREADY_EXISTS_1
                        && duplicateMessage != null) {
                    throw SqlStates.error(SqlStates.DUPLICATE_FUNCTION, duplicateMessage, e);
                }
                throw e;
            }
            onSuccess.forEach(Runnable::run);
            return null;
        });
    }

    private void runAliasDdl(Connection system) throws SQLException {
        try (Statement st = system.createStatement()) {
            for (AliasStep step : aliasSteps) {
                st.execute(step.ddl());
                aliasStepsDone++;
            }
        }
    }

    private void atomically(Connection system) throws SQLException {
        system.setAutoCommit(false);
        try {
            for (RowChange r : rows) {
                r.run(system);
            }
            system.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                system.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            system.setAutoCommit(true);
        }
    }

    /** Undoes the alias steps that ran, last first; a failing undo statement is reported with the failure, the others still run. */
    private void runUndo(Connection system, Exception failure) {
        for (int i = aliasStepsDone - 1; i >= 0; i--) {
            for (String sql : aliasSteps.get(i).undo()) {
                try (Statement st = system.createStatement()) {
                    st.execute(sql);
                } catch (SQLException e) {
                    failure.addSuppressed(e);
                }
            }
        }
    }
}
