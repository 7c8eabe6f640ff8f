package dev.safemigrate.dialect.mysql;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.HistoryStatus;
import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.spi.DdlAction;
import dev.safemigrate.core.spi.Interrupted;
import dev.safemigrate.core.spi.JournalKind;
import dev.safemigrate.core.spi.PlannedRun;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.Run;
import dev.safemigrate.core.spi.RunPhase;
import dev.safemigrate.core.spi.StepContext;
import dev.safemigrate.core.spi.StepOutcome;
import dev.safemigrate.core.spi.Strategy;
import dev.safemigrate.core.spi.TableLocks;
import dev.safemigrate.core.sql.Sql;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.DedupeStep;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code strategy: shadow_swap}, for one dedupe (and an add_unique of the same table) of a table that nothing
 * references: the surviving rows are copied into a new table that already has the unique constraint, and one
 * atomic {@code RENAME TABLE} swaps it in; the original, renamed, is the archive (the deleted rows are its rows
 * whose key is not in the table).
 *
 * <p>Writers are held off with the run's table locks from before the copy. MySQL refuses a rename while its
 * session holds table locks, so a {@link Cutover} connection issues the rename, which queues behind the locks
 * ahead of every writer that comes later; an empty placeholder under the archive's name, locked too, makes that
 * rename fail until the run drops it, which it does only once the rename is seen waiting. The history says
 * {@link #SWAPPING} before the rename is issued: from then on only the catalog tells whether the swap happened
 * ({@link SwapTables#swapped}), and {@link #recover} completes the run if it did and drops the copy if it did not.
 *
 * <p>Listener phases: {@code prepared} once the copy exists, {@code dml_applied} once it is filled and the rename
 * is queued, {@code between_phases} once the placeholder is gone (the swap will happen).
 */
final class ShadowSwapStrategy implements Strategy {
    static final String NAME = DedupeStep.SHADOW_SWAP;
    /** The phase of a run whose rename may have been issued. */
    static final RunPhase SWAPPING = new RunPhase("swapping");

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Only on MySQL/MariaDB itself (a rename queued behind LOCK TABLES holds writers off on one server), and only
     * where nothing else is involved: the migration is one dedupe (and an add_unique) of one table, without
     * repoints or postconditions (they would read the table before its swap), no foreign key points into or out
     * of the table and no trigger is on it (they would stay with the original).
     */
    @Override
    public Optional<String> refusal(PlannedRun plan) throws SQLException {
        StepContext context = plan.context(0);
        if (!(context.dialect() instanceof MysqlDialect)) {
            return Optional.of("it renames tables under MySQL/MariaDB's LOCK TABLES, which the " + context.dialect().name() + " dialect does not use");
        }
        boolean shape = plan.steps().size() <= 2 && plan.steps().get(0) instanceof DedupeStep dedupe
                && (plan.steps().size() == 1 || plan.steps().get(1) instanceof AddUniqueStep u && u.table().equals(dedupe.table()));
        if (!shape) {
            return Optional.of("it needs a migration of exactly one dedupe, optionally followed by an add_unique of the same table");
        }
        DedupeStep dedupe = (DedupeStep) plan.steps().get(0);
        if (!dedupe.repoint().isEmpty()) {
            return Optional.of("dedupe of " + dedupe.table() + " repoints child rows, which a table swap cannot do");
        }
        if (!plan.migration().postconditions().isEmpty()) {
            return Optional.of("postconditions would read " + dedupe.table() + " before it is swapped");
        }
        // A foreign key into the table needs no check here: the dedupe refuses one not listed under repoint, and repoints are refused above.
        ResolvedTable table = context.table(dedupe.table());
        List<String> obstacles = context.db().sample(swapSql(plan).obstacles(table), 5).stream().map(o -> o.get(0)).toList();
        return obstacles.isEmpty() ? Optional.empty()
                : Optional.of(String.join(", ", obstacles) + " on " + table + " would stay with the original table instead of following its rows");
    }

    private static ShadowSwapSql swapSql(PlannedRun plan) {
        return new ShadowSwapSql(plan.context(0).dialect().sql().syntax());
    }

    @Override
    public MigrationReport.Result run(Run run) {
        DedupeStep dedupe = (DedupeStep) run.steps().get(0);
        AddUniqueStep unique = run.steps().size() > 1 ? (AddUniqueStep) run.steps().get(1) : null;
        StepContext context = run.context(0);
        SwapTables tables;
        try {
            ResolvedTable table = context.table(dedupe.table());
            // The original keeps its columns and primary key under its new name: undo's losers query needs them.
            tables = new SwapTables(table, SwapTables.named(context.archiveName(SwapTables.SHADOW, table)),
                    new ResolvedTable(null, context.archiveName("shadow_old", table), table.columns(), table.primaryKey()));
        } catch (SQLException e) {
            throw run.failed(e, "Nothing was changed");
        }
        Sql sql = context.dialect().sql();
        ShadowSwapSql swap = new ShadowSwapSql(sql.syntax());
        TableLocks.Release locks = null;
        Cutover cutover = null;
        try {
            SwapCopy copy = new SwapCopy(run, tables, dedupe, unique);
            run.start(RunPhase.PREPARING);
            copy.createTables();
            run.reached(RunListener.Phase.PREPARED);
            locks = run.lockTables(List.of(tables.shadow(), tables.old()));
            long deleted = copy.copySurvivors();
            run.inTransaction(() -> {
                journalUndo(run, tables, dedupe, unique);
                run.record(SWAPPING);
                return null;
            });
            cutover = Cutover.start(run.openConnection(), run.lockTimeout(), swap.swapTables(tables.table(), tables.shadow(), tables.old(),
                    tables.marker()));
            cutover.awaitWaiting(context.db(), swap.countSessionsRunning(tables.marker(), true));
            run.reached(RunListener.Phase.DML_APPLIED);
            context.db().execute(sql.syntax().dropTable(tables.old()));
            run.reached(RunListener.Phase.BETWEEN_PHASES);
            locks.release();
            locks = null;
            cutover.await();
            finish(run, tables, dedupe, deleted);
            return run.report();
        } catch (Exception e) {
            return failed(run, tables, locks, cutover, e);
        } finally {
            releaseQuietly(locks);
        }
    }

    /** What {@code undo} needs once the table is swapped: put the losers back from the archive, and drop the constraint first. */
    private static void journalUndo(Run run, SwapTables tables, DedupeStep dedupe, AddUniqueStep unique) throws SQLException {
        Sql sql = run.context(0).dialect().sql();
        String losers = sql.dedupe().losers(tables.old(), SwapCopy.columns(run.context(0), tables.table(), dedupe.key()),
                dedupe.orderBy().stream().map(o -> new OrderItem(run.context(0).column(tables.table(), o.column()), o.descending())).toList(),
                dedupe.nulls() == NullsMode.EQUAL);
        run.journal().add(JournalKind.RESTORE, null, null, null, sql.archive().restoreRows(tables.table(), losers), null);
        run.journal().add(JournalKind.BLOCKER, null, null, null, sql.archive().rowsBlockingRestore(tables.table(), losers),
                "rows of " + tables.table() + " inserted since the migration have the primary key of a row it would put back");
        if (unique != null) {
            for (DdlAction action : unique.ddl(run.context(1))) {
                run.journal().add(JournalKind.DDL, action.table().schema(), action.table().name(), action.objectName(), action.statement(),
                        action.undoStatement());
            }
        }
    }

    private static void finish(Run run, SwapTables tables, DedupeStep dedupe, long deleted) throws SQLException {
        for (int i = 0; i < run.steps().size(); i++) {
            run.listener().stepFinished(run.migration().id(), i + 1, run.steps().size(), run.steps().get(i).summary(), i == 0 ? deleted : 0,
                    Duration.ZERO);
        }
        if (!dedupe.archive()) {
            run.context(0).db().execute(run.context(0).dialect().sql().syntax().dropTable(tables.old()));
        }
        run.finish(dedupe.archive() ? "the original table, with the " + deleted + " deleted row(s), is kept as " + tables.old().name()
                : "archive: false, so the original table was dropped after the swap");
    }

    /**
     * Stops a rename that cannot have run (the locks are still held), waits for one that may have, and asks
     * the catalog: a swap that happened is completed, anything else is undone by dropping the copy. Before the
     * rename is issued no swap can have happened, whatever tables an earlier run left under these names.
     */
    private static MigrationReport.Result failed(Run run, SwapTables tables, TableLocks.Release locks, Cutover cutover, Exception e) {
        StepContext context = run.context(0);
        try {
            if (cutover != null && locks != null) {
                cutover.cancel();
            }
            releaseQuietly(locks);
            if (cutover != null) {
                cutover.awaitQuietly();
            }
            ShadowSwapSql swap = new ShadowSwapSql(context.dialect().sql().syntax());
            if (cutover != null && tables.swapped(context.db(), context.catalog(), swap, run.lockTimeout())) {
                finish(run, tables, (DedupeStep) run.steps().get(0), run.report().steps().get(0).outcome().deleted());
                return run.report();
            }
            if (!run.journal().entries(JournalKind.STRATEGY).isEmpty()) {
                tables.rollBack(context.db(), context.catalog(), run.journal(), context.dialect().sql().syntax());
            }
        } catch (SQLException | RuntimeException again) {
            e.addSuppressed(again);
            throw new SafeMigrateException(ExitCode.INTERMEDIATE, "migration " + run.migration().id() + " failed: " + e.getMessage()
                    + ". Settling the table swap also failed (" + again.getMessage() + "). The history says in_progress;"
                    + " `safemigrate recover` completes the run if " + tables.table() + " was swapped, and drops the copy if not", e);
        }
        throw run.failed(e, "Nothing was changed: " + tables.table() + " was not swapped, and the copy was dropped");
    }

    /** Completes a run whose swap happened, else drops the copy and marks it rolled back; from the journal and the catalog alone. */
    @Override
    public String recover(Interrupted run) throws SQLException {
        String id = run.entry().id();
        SwapTables tables = SwapTables.journaled(run.journal(), id);
        ShadowSwapSql swap = new ShadowSwapSql(run.dialect().sql().syntax());
        if (SWAPPING.value().equals(run.entry().phase()) && tables.swapped(run.db(), run.catalog(), swap, run.lockTimeout())) {
            run.save(HistoryStatus.APPLIED, "completed by recover: the table swap had happened; the original table is kept as " + tables.old().name());
            return "migration " + id + ": the interrupted run had swapped in the cleaned " + tables.table() + "; marked applied, the original is kept as "
                    + tables.old().name();
        }
        tables.rollBack(run.db(), run.catalog(), run.journal(), run.dialect().sql().syntax());
        run.save(HistoryStatus.ROLLED_BACK, "interrupted before the table swap; recover dropped the copy");
        return "migration " + id + ": the interrupted run had not swapped " + tables.table() + "; recover dropped the copy, marked rolled_back";
    }

    private static void releaseQuietly(TableLocks.Release locks) {
        if (locks != null) {
            try {
                locks.release();
            } catch (SQLException ignored) {
                // The session's end releases them.
            }
        }
    }

    /** The outcome of the dedupe step. */
    static StepOutcome outcome(long deleted) {
        return new StepOutcome(deleted, 0, deleted, deleted == 0);
    }
}
