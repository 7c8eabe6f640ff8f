package dev.safemigrate.core.internal;

import dev.safemigrate.core.spi.DdlAction;
import dev.safemigrate.core.spi.JournalKind;
import dev.safemigrate.core.spi.Run;
import dev.safemigrate.core.spi.RunJournal;
import dev.safemigrate.core.spi.Step;
import dev.safemigrate.core.spi.StepKind;
import dev.safemigrate.core.spi.StepOutcome;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;

/**
 * The DDL of one run: each DDL step's statements journaled (with their undo) before any of them runs, then
 * run step by step, each after the brief exclusive lock it needs.
 */
final class RunDdl {
    private final Session session;
    private final PlannedMigration planned;
    private final RunJournal journal;
    private final StepResults results;
    private final List<List<DdlAction>> byStep = new ArrayList<>();
    private List<Checks.Left> leftToDdl = List.of();

    RunDdl(Session session, PlannedMigration planned, RunJournal journal, StepResults results) {
        this.session = session;
        this.planned = planned;
        this.journal = journal;
        this.results = results;
    }

    /** The checks after the DML that only the constraints will enforce: a DDL failure then says which of them failed. */
    void leaveChecks(List<Checks.Left> left) {
        this.leftToDdl = left;
    }

    /** Journals every DDL statement of the run, in step order; returns them all. */
    List<DdlAction> journal() throws SQLException {
        List<Step> steps = planned.steps();
        byStep.clear();
        List<DdlAction> all = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            List<DdlAction> actions = steps.get(i).kind() == StepKind.DDL ? steps.get(i).ddl(planned.context(i)) : List.of();
            for (DdlAction action : actions) {
                journal.add(JournalKind.DDL, action.table().schema(), action.table().name(), action.objectName(), action.statement(),
                        action.undoStatement());
            }
            byStep.add(actions);
            all.addAll(actions);
        }
        return all;
    }

    /** Runs {@code actions} (journaled before) step by step, with each step's progress and result. */
    void run(List<DdlAction> actions, Run.DdlProgress beforeEach) throws SQLException {
        List<Step> steps = planned.steps();
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).kind() == StepKind.DDL) {
                List<DdlAction> mine = byStep.get(i).stream().filter(actions::contains).toList();
                results.run(session.settings.listener(), planned.migration().id(), i, () -> {
                    for (DdlAction action : mine) {
                        beforeEach.before(action);
                        execute(action);
                    }
                    return mine.isEmpty() ? StepOutcome.NOOP : new StepOutcome(0, 0, 0, false);
                });
            }
        }
    }

    /**
     * Runs one DDL statement, after taking the brief exclusive lock it needs. If it fails while checks are
     * {@link Checks#enforcedByDdl left to it}, they are counted to say why, after rolling back to before the
     * statement where it ran in the transaction.
     */
    private void execute(DdlAction action) throws SQLException {
        Connection connection = session.connection;
        if (action.exclusive()) {
            session.dialect.tableLocks().beforeDdl(connection, action.table(), session.settings.lockTimeout());
        }
        Savepoint savepoint = leftToDdl.isEmpty() || connection.getAutoCommit() ? null : connection.setSavepoint();
        try {
            session.db.execute(action.statement());
        } catch (SQLException failure) {
            if (savepoint != null) {
                connection.rollback(savepoint);
            }
            Checks.explainDdlFailure(planned, leftToDdl, failure);
            throw failure;
        }
    }
}
