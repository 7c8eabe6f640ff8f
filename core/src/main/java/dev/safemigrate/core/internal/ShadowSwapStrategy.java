package dev.safemigrate.core.internal;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.HistoryEntry;
import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.spi.DdlAction;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.StandardSql;
import dev.safemigrate.core.spi.StepOutcome;
import dev.safemigrate.core.spi.TableLocks;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.DedupeStep;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * {@code strategy: shadow_swap} (the Planner allows it for one dedupe, optionally with an add_unique of
 * the same table, with no foreign key into it): the surviving rows are copied into a new table that
 * already has the unique constraint, and one atomic rename swaps it in; the original, renamed, is the
 * archive (the deleted rows are its rows whose key is not in the table).
 *
 * <p>Writers are held off with the run's table locks from before the copy. MySQL refuses a rename
 * while its session holds table locks, so a {@link Cutover} connection issues the rename, which queues
 * behind the locks ahead of every writer that comes later; an empty placeholder under the archive's
 * name, locked too, makes that rename fail until the run drops it, which it does only once the rename
 * is seen waiting. The history says {@link #SWAPPING} before the rename is issued: from then on only
 * the catalog tells whether the swap happened ({@link #settle}), and {@link #recover} completes the run
 * if it did and drops the copy if it did not.
 *
 * <p>Listener phases: {@code PREPARED} once the copy exists, {@code DML_APPLIED} once it is filled and
 * the rename is queued, {@code BETWEEN_PHASES} once the placeholder is gone (the swap will happen);
 * each step finishes after the swap.
 */
final class ShadowSwapStrategy {
    /** The phase of a run whose rename may have been issued. */
    static final String SWAPPING = "swapping";
    /** Archive journal entries of this strategy carry their role in {@code statement}. */
    static final String SHADOW_NEW = "shadow_new";
    static final String SHADOW_OLD = "shadow_old";

    private ShadowSwapStrategy() {
    }

    /** The table, its cleaned copy, the name the original gets (the archive), and the tag of the rename statement. */
    private record Tables(ResolvedTable table, ResolvedTable shadow, ResolvedTable old) {
        String marker() {
            return "safemigrate swap " + old.name();
        }
    }

    static MigrationReport.Result run(MigrationRun run) {
        Session session = run.session;
        DedupeStep dedupe = (DedupeStep) run.planned.steps().get(0);
        AddUniqueStep unique = run.planned.steps().size() > 1 ? (AddUniqueStep) run.planned.steps().get(1) : null;
        Tables tables;
        try {
            ResolvedTable table = run.context.step(0).table(dedupe.table());
            tables = new Tables(table, named(run.context.archiveName(0, SHADOW_NEW, table), table),
                    named(run.context.archiveName(0, SHADOW_OLD, table), table));
        } catch (SQLException e) {
            throw run.failure(e, "Nothing was changed.");
        }
        TableLocks.Release locks = null;
        Cutover cutover = null;
        try {
            run.start(HistoryStatus.PREPARING);
            prepare(run, tables, dedupe, unique);
            run.listener.phaseReached(run.migration.id(), RunListener.Phase.PREPARED);
            run.addRunTable(tables.shadow());
            run.addRunTable(tables.old());
            locks = run.lockTables();
            long deleted = copySurvivors(run, tables, dedupe, unique);
            Transactions.inTransaction(session.connection, () -> {
                journalUndo(run, tables, dedupe, unique);
                run.saveState(HistoryStatus.IN_PROGRESS, SWAPPING, null);
                return null;
            });
            StandardSql sql = session.dialect.sql();
            cutover = Cutover.start(session, sql.swapTables(tables.table(), tables.shadow(), tables.old(), tables.marker()));
            cutover.awaitWaiting(session, sql.countSessionsRunning(tables.marker(), true));
            run.listener.phaseReached(run.migration.id(), RunListener.Phase.DML_APPLIED);
            session.db.execute(sql.dropTable(tables.old()));
            run.listener.phaseReached(run.migration.id(), RunListener.Phase.BETWEEN_PHASES);
            locks.release();
            locks = null;
            cutover.await();
            finish(run, tables, dedupe, deleted);
            return run.report();
        } catch (Exception e) {
            return failed(run, tables, dedupe, locks, cutover, e);
        } finally {
            Recovery.releaseQuietly(locks);
        }
    }

    private static ResolvedTable named(String name, ResolvedTable like) {
        return new ResolvedTable(null, name, like.columns(), like.primaryKey());
    }

    /** Journals both new tables (so recovery can find them), then creates the copy with its constraint and the empty placeholder. */
    private static void prepare(MigrationRun run, Tables tables, DedupeStep dedupe, AddUniqueStep unique) throws SQLException {
        Session session = run.session;
        StandardSql sql = session.dialect.sql();
        List<List<String>> obstacles = session.db.sample(sql.shadowSwapObstacles(tables.table()), 5);
        if (!obstacles.isEmpty()) {
            throw SafeMigrateException.refused("migration " + run.migration.id() + ": strategy: shadow_swap is refused: "
                    + obstacles.stream().map(o -> o.get(0)).toList() + " on " + tables.table()
                    + " would stay with the original table instead of following its rows; use the default strategy");
        }
        for (ResolvedTable created : List.of(tables.shadow(), tables.old())) {
            if (session.catalog.tableExists(created.name()) && session.db.queryLong(sql.countRows(created)) > 0) {
                throw SafeMigrateException.refused("migration " + run.migration.id() + " refused, nothing was changed: the table "
                        + created.name() + " that it would create already exists and holds rows from an earlier run; it is never dropped"
                        + " by safemigrate. Move its rows elsewhere or drop it yourself, then run again");
            }
        }
        for (ResolvedTable created : List.of(tables.shadow(), tables.old())) {
            String role = created == tables.shadow() ? SHADOW_NEW : SHADOW_OLD;
            session.journal.add(new JournalEntry(run.migration.id(), run.nextSeq(), JournalEntry.ARCHIVE, tables.table().schema(),
                    tables.table().name(), created.name(), role, null));
            Recovery.dropArchive(session, created.name());
        }
        session.db.execute(sql.createLike(tables.table(), tables.shadow()));
        if (addsConstraint(run, unique)) {
            session.db.execute(sql.addUnique(tables.shadow(), unique.name(), columns(run, tables.table(), unique.columns()),
                    unique.nulls() == NullsMode.EQUAL));
        }
        session.db.execute(sql.createLike(tables.table(), tables.old()));
    }

    private static boolean addsConstraint(MigrationRun run, AddUniqueStep unique) throws SQLException {
        return unique != null && !unique.ddl(run.context.step(1)).isEmpty();
    }

    private static List<String> columns(MigrationRun run, ResolvedTable table, List<String> names) {
        return names.stream().map(c -> run.context.column(table, c)).toList();
    }

    private static List<OrderItem> order(MigrationRun run, ResolvedTable table, DedupeStep dedupe) {
        return dedupe.orderBy().stream().map(o -> new OrderItem(run.context.column(table, o.column()), o.descending())).toList();
    }

    private static String losers(MigrationRun run, ResolvedTable from, ResolvedTable table, DedupeStep dedupe) {
        return run.session.dialect.sql().losers(from, columns(run, table, dedupe.key()), order(run, table, dedupe),
                dedupe.nulls() == NullsMode.EQUAL);
    }

    /** Under the locks: copies the survivors and proves survivors + losers = rows of the table. Returns the losers. */
    private static long copySurvivors(MigrationRun run, Tables tables, DedupeStep dedupe, AddUniqueStep unique) throws SQLException {
        Session session = run.session;
        StandardSql sql = session.dialect.sql();
        ResolvedTable table = tables.table();
        int total = run.planned.steps().size();
        for (int i = 0; i < total; i++) {
            run.listener.stepStarted(run.migration.id(), i + 1, total, run.planned.steps().get(i).summary());
        }
        long original = session.db.queryLong(sql.countRows(table));
        long losers = session.db.queryLong(sql.countRows(losers(run, table, table, dedupe)));
        if (losers > run.migration.guards().maxDeleteFraction() * original) {
            throw SafeMigrateException.refused(dedupe.summary() + ": would delete " + losers + " of " + original + " rows of " + table
                    + ", more than max_delete_fraction " + run.migration.guards().maxDeleteFraction() + " allows");
        }
        long kept = session.db.update(sql.insertSurvivors(table, tables.shadow(), columns(run, table, dedupe.key()),
                order(run, table, dedupe), dedupe.nulls() == NullsMode.EQUAL));
        long next = session.db.queryLong(sql.nextAutoIncrement(table));
        if (next > 0) {
            session.db.execute(sql.setNextAutoIncrement(tables.shadow(), next));
        }
        long copied = session.db.queryLong(sql.countRows(tables.shadow()));
        if (kept + losers != original || copied != kept) {
            throw new SafeMigrateException(ExitCode.FAILED_RESTORED, "row counts disagree for " + table + ": " + original + " rows, "
                    + losers + " to delete, but " + kept + " copied (" + copied + " in the copy); the table is not swapped");
        }
        run.addResult(new MigrationReport.StepResult(1, dedupe.summary(), new StepOutcome(losers, 0, losers, losers == 0)));
        if (unique != null) {
            run.addResult(new MigrationReport.StepResult(2, unique.summary(),
                    addsConstraint(run, unique) ? new StepOutcome(0, 0, 0, false) : StepOutcome.NOOP));
        }
        return losers;
    }

    /** What {@code undo} needs once the table is swapped: put the losers back from the archive, and drop the constraint first. */
    private static void journalUndo(MigrationRun run, Tables tables, DedupeStep dedupe, AddUniqueStep unique) throws SQLException {
        StandardSql sql = run.session.dialect.sql();
        String id = run.migration.id();
        String losers = losers(run, tables.old(), tables.table(), dedupe);
        run.session.journal.add(new JournalEntry(id, run.nextSeq(), JournalEntry.RESTORE, null, null, null,
                sql.restoreRows(tables.table(), losers), null));
        run.session.journal.add(new JournalEntry(id, run.nextSeq(), JournalEntry.BLOCKER, null, null, null,
                sql.rowsBlockingRestore(tables.table(), losers), null));
        if (unique != null) {
            for (DdlAction action : unique.ddl(run.context.step(1))) {
                run.session.journal.add(new JournalEntry(id, run.nextSeq(), JournalEntry.DDL, action.table().schema(), action.table().name(),
                        action.objectName(), action.statement(), action.undoStatement()));
            }
        }
    }

    private static void finish(MigrationRun run, Tables tables, DedupeStep dedupe, long deleted) throws SQLException {
        int total = run.planned.steps().size();
        for (int i = 0; i < total; i++) {
            run.listener.stepFinished(run.migration.id(), i + 1, total, run.planned.steps().get(i).summary(), i == 0 ? deleted : 0,
                    java.time.Duration.ZERO);
        }
        if (!dedupe.archive()) {
            Recovery.dropArchive(run.session, tables.old().name());
        }
        run.finish(dedupe.archive() ? "the original table, with the " + deleted + " deleted row(s), is kept as " + tables.old().name()
                : "archive: false, so the original table was dropped after the swap");
    }

    /**
     * Stops a rename that cannot have run (the locks are still held), waits for one that may have, and
     * asks the catalog: a swap that happened is completed, anything else is undone by dropping the copy.
     */
    private static MigrationReport.Result failed(MigrationRun run, Tables tables, DedupeStep dedupe, TableLocks.Release locks,
                                                 Cutover cutover, Exception e) {
        try {
            if (cutover != null && locks != null) {
                cutover.cancel();
            }
            Recovery.releaseQuietly(locks);
            if (cutover != null) {
                cutover.awaitQuietly();
            }
            // Before the rename is issued no swap can have happened, whatever tables an earlier run left under these names.
            if (cutover != null && settle(run.session, tables)) {
                finish(run, tables, dedupe, run.report().steps().get(0).outcome().deleted());
                return run.report();
            }
            if (run.session.journal.entries(run.migration.id()).stream().anyMatch(j -> JournalEntry.ARCHIVE.equals(j.kind()))) {
                rollBack(run.session, run.migration.id(), tables);
            }
        } catch (SQLException | RuntimeException again) {
            e.addSuppressed(again);
            throw new SafeMigrateException(ExitCode.INTERMEDIATE, "migration " + run.migration.id() + " failed: " + MigrationRun.describe(e)
                    + ". Settling the table swap also failed (" + MigrationRun.describe(again) + "). The history says in_progress;"
                    + " `safemigrate recover` completes the run if " + tables.table() + " was swapped, and drops the copy if not", e);
        }
        run.recordFailure(e);
        throw run.failure(e, "Nothing was changed: " + tables.table() + " was not swapped, and the copy was dropped.");
    }

    /**
     * Whether the swap happened, once no rename of this run is still running (a crashed run's rename may
     * complete after it): the copy is gone and the archive exists only after the rename.
     */
    private static boolean settle(Session session, Tables tables) throws SQLException {
        Cutover.awaitGone(session, session.dialect.sql().countSessionsRunning(tables.marker(), false));
        return !session.catalog.tableExists(tables.shadow().name()) && session.catalog.tableExists(tables.old().name());
    }

    /**
     * Drops the copy first: without it no rename can succeed any more. The placeholder is dropped only
     * if empty, so the original can never be mistaken for it. Then forgets the run's journal.
     */
    private static void rollBack(Session session, String migrationId, Tables tables) throws SQLException {
        Recovery.dropArchive(session, tables.shadow().name());
        if (session.catalog.tableExists(tables.old().name())) {
            if (session.db.queryLong(session.dialect.sql().countRows(tables.old())) != 0) {
                throw new SafeMigrateException(ExitCode.INTERMEDIATE, tables.old() + " holds rows although " + tables.table()
                        + " was not swapped; it is left in place for inspection");
            }
            Recovery.dropArchive(session, tables.old().name());
        }
        for (String kind : List.of(JournalEntry.RESTORE, JournalEntry.BLOCKER, JournalEntry.DDL)) {
            session.journal.delete(migrationId, kind);
        }
        Recovery.discardArchives(session, migrationId);
    }

    /** Completes or reverses a run interrupted in {@link #SWAPPING}, from the journal alone. */
    static String recover(Session session, HistoryEntry entry) throws SQLException {
        Tables tables = journaled(session, entry.id());
        if (settle(session, tables)) {
            session.journal.save(entry.withState(HistoryStatus.APPLIED, null, Instant.now(), entry.stepCounts(),
                    "completed by recover: the table swap had happened; the original table is kept as " + tables.old().name()));
            return "migration " + entry.id() + ": the interrupted run had swapped in the cleaned " + tables.table()
                    + "; marked applied, the original is kept as " + tables.old().name();
        }
        rollBack(session, entry.id(), tables);
        session.journal.save(entry.withState(HistoryStatus.ROLLED_BACK, null, Instant.now(), entry.stepCounts(),
                "interrupted before the table swap; recover dropped the copy"));
        return "migration " + entry.id() + ": the interrupted run had not swapped " + tables.table() + "; recover dropped the copy, marked rolled_back";
    }

    private static Tables journaled(Session session, String migrationId) {
        ResolvedTable table = null;
        ResolvedTable shadow = null;
        ResolvedTable old = null;
        for (JournalEntry e : session.journal.entries(migrationId)) {
            if (JournalEntry.ARCHIVE.equals(e.kind())) {
                table = new ResolvedTable(e.tableSchema(), e.tableName(), List.of(), List.of());
                ResolvedTable archive = new ResolvedTable(null, e.objectName(), List.of(), List.of());
                shadow = SHADOW_NEW.equals(e.statement()) ? archive : shadow;
                old = SHADOW_OLD.equals(e.statement()) ? archive : old;
            }
        }
        if (shadow == null || old == null) {
            throw new IllegalStateException("migration " + migrationId + " is swapping, but its journal does not name both swap tables");
        }
        return new Tables(table, shadow, old);
    }
}
