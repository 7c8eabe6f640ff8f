package dev.safemigrate.core.internal;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.HistoryEntry;
import dev.safemigrate.core.HistoryStatus;
import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.spi.DdlAction;
import dev.safemigrate.core.spi.JournalKind;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.Restore;
import dev.safemigrate.core.spi.Run;
import dev.safemigrate.core.spi.RunJournal;
import dev.safemigrate.core.spi.RunPhase;
import dev.safemigrate.core.spi.SlicedRestore;
import dev.safemigrate.core.spi.Step;
import dev.safemigrate.core.spi.StepContext;
import dev.safemigrate.core.spi.StepKind;
import dev.safemigrate.core.spi.StepOutcome;
import dev.safemigrate.core.spi.TableLocks;
import dev.safemigrate.core.spi.UndoBlocker;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One migration's run: the {@link Run} building blocks over the session, with the history row and the
 * journal kept right at each. Archives and table locks are {@link RunTables}', the DDL {@link RunDdl}'s;
 * the step results feed the report and the history's step counts.
 */
final class MigrationRun implements Run {
    final Session session;
    final PlannedMigration planned;
    private final Migration migration;
    private final Instant started = Instant.now();
    private final HistoryEntry previousEntry;
    private final RunJournal journal;
    private final RunTables tables;
    private final StepResults results;
    private final RunDdl ddl;
    private final boolean resuming;

    MigrationRun(Session session, PlannedMigration planned) {
        this(session, planned, false);
    }

    /** {@code resuming}: the migration's interrupted run, left in progress for its strategy to resume. */
    MigrationRun(Session session, PlannedMigration planned, boolean resuming) {
        this.session = session;
        this.resuming = resuming;
        this.planned = planned;
        this.migration = planned.migration();
        this.previousEntry = session.journal.find(migration.id());
        this.journal = session.journal.of(migration.id());
        this.tables = new RunTables(this);
        this.results = new StepResults(planned.steps());
        this.ddl = new RunDdl(session, planned, journal, results);
    }

    /** Runs {@code planned} with its strategy; {@code resuming}: as the constructor's. Migrate and recover's resumption both run here. */
    static MigrationReport.Result run(Session session, PlannedMigration planned, boolean resuming) {
        return planned.strategy().run(new MigrationRun(session, planned, resuming));
    }

    @Override
    public Migration migration() {
        return migration;
    }

    @Override
    public List<Step> steps() {
        return planned.steps();
    }

    @Override
    public StepContext context(int index) {
        return planned.context(index);
    }

    @Override
    public RunListener listener() {
        return session.settings.listener();
    }

    @Override
    public RunJournal journal() {
        return journal;
    }

    @Override
    public Duration lockTimeout() {
        return session.settings.lockTimeout();
    }

    @Override
    public <T> T inTransaction(Work<T> work) throws SQLException {
        return Transactions.inTransaction(session.connection, work::run);
    }

    @Override
    public Connection openConnection() throws SQLException {
        return session.openConnection();
    }

    @Override
    public Connection openMonitorConnection() throws SQLException {
        return session.openMonitorConnection();
    }

    @Override
    public void start(RunPhase phase) {
        journal.delete(null);
        save(HistoryStatus.IN_PROGRESS, phase, null);
    }

    @Override
    public java.util.Optional<RunPhase> resumedFrom() {
        return resuming && previousEntry != null && previousEntry.phase() != null ? java.util.Optional.of(new RunPhase(previousEntry.phase()))
                : java.util.Optional.empty();
    }

    @Override
    public void record(RunPhase phase) {
        save(HistoryStatus.IN_PROGRESS, phase, null);
    }

    @Override
    public void reached(String phase) {
        listener().phaseReached(migration.id(), phase);
    }

    private void save(HistoryStatus status, RunPhase phase, String message) {
        boolean done = status != HistoryStatus.IN_PROGRESS;
        session.journal.save(new HistoryEntry(migration.id(), migration.checksum(), migration.description(), status,
                phase == null ? null : phase.value(), session.dialect.name(), planned.strategy().name(), started, done ? Instant.now() : null,
                results.json(), message));
    }

    @Override
    public void createArchives() throws SQLException {
        tables.createArchives();
    }

    @Override
    public void reopenArchives() throws SQLException {
        tables.reopenArchives();
    }

    @Override
    public TableLocks.Release lockTables(List<ResolvedTable> extra) throws SQLException {
        return tables.lock(extra);
    }

    @Override
    public void applyDml() throws SQLException {
        List<Step> steps = planned.steps();
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).kind() == StepKind.DML) {
                int index = i;
                results.run(listener(), migration.id(), i, () -> steps.get(index).apply(context(index)));
            }
        }
        reached(RunListener.Phase.DML_APPLIED);
        List<Checks.Left> leftToDdl = Checks.enforcedByDdl(planned);
        Checks.requireAfterDml(session, planned, leftToDdl);
        ddl.leaveChecks(leftToDdl);
    }

    @Override
    public List<DdlAction> journalRestoreAndDdl() throws SQLException {
        List<Step> steps = planned.steps();
        for (int i = steps.size() - 1; i >= 0; i--) {
            for (Restore restore : steps.get(i).restoreStatements(context(i))) {
                journal.add(restore.untilNoRows() ? JournalKind.RESTORE_REPEATED : JournalKind.RESTORE, null, null, null, restore.statement(), null);
            }
            for (UndoBlocker blocker : steps.get(i).undoBlockers(context(i))) {
                journal.add(blocker.overridable() ? JournalKind.CHANGED_SINCE : JournalKind.BLOCKER, null, null, null, blocker.query(), blocker.what());
            }
        }
        return ddl.journal();
    }

    @Override
    public void runDdl(List<DdlAction> actions, DdlProgress beforeEach) throws SQLException {
        ddl.run(actions, beforeEach);
    }

    @Override
    public void addResult(int index, StepOutcome outcome) {
        results.add(index, outcome);
    }

    /**
     * Marks the migration applied, trying twice (the change is done, only its record is missing); then drops the
     * archives the rules asked not to keep. Only then: a reversal needs them until the run is recorded applied.
     * A failed drop leaves the history saying so, and the next migrate or recover drops them.
     */
    @Override
    public void finish(String message) throws SQLException {
        RunPhase phase = tables.discardsArchives() ? RunPhase.DISCARDING : null;
        try {
            save(HistoryStatus.APPLIED, phase, message);
        } catch (RuntimeException first) {
            save(HistoryStatus.APPLIED, phase, message);
        }
        if (phase != null) {
            try {
                Recovery.dropDiscarded(session, migration.id());
                save(HistoryStatus.APPLIED, null, message);
            } catch (SQLException | RuntimeException e) {
                planned.context().warn("the migration is applied, but the archive table(s) the rules asked not to keep (archive: false)"
                        + " could not all be dropped yet (" + describe(e) + "); they hold the deleted rows, and the next migrate or recover"
                        + " drops them");
            }
        }
    }

    @Override
    public SafeMigrateException reverseAfter(Exception cause, String when) {
        return reverseAfter(cause, when, null);
    }

    @Override
    public SafeMigrateException reverseAfter(Exception cause, String when, SlicedRestore sliced) {
        String reason = describe(cause);
        session.endDryRun(cause);
        try {
            Recovery.Reversal reversal = Recovery.reverse(session, migration.id(), HistoryStatus.ROLLED_BACK, "rolled back after: " + reason, sliced);
            // Exit 1 even for a refusal: the data had changed and is as it was again, not untouched (exit 3 says "before any change").
            return new SafeMigrateException(ExitCode.FAILED_RESTORED, "migration " + migration.id() + " failed " + when + ": " + reason
                    + ". Its changes had been committed; they were reversed " + reversal.how() + reversal.asBefore()
                    + reversal.triggerCaveat() + reversal.archiveNote() + ".", cause);
        } catch (SQLException | RuntimeException reverseFailure) {
            cause.addSuppressed(reverseFailure);
            SafeMigrateException stuck = Recovery.stuck(session, migration.id(), "it failed " + when + ": " + reason,
                    "putting the data back from the archive failed: " + describe(reverseFailure.getCause() != null
                            && reverseFailure instanceof SlicedRestore.Partly ? reverseFailure.getCause() : reverseFailure),
                    reverseFailure instanceof SlicedRestore.Partly ? reverseFailure.getMessage() : null);
            return new SafeMigrateException(ExitCode.INTERMEDIATE, "migration " + migration.id() + " failed. " + stuck.getMessage(), cause);
        }
    }

    /** A refusal or invalid input keeps its exit code (nothing changed); anything else is exit 1. */
    private static ExitCode exitCodeOf(Exception cause) {
        return cause instanceof SafeMigrateException sme && (sme.exitCode() == ExitCode.REFUSED || sme.exitCode() == ExitCode.INVALID)
                ? sme.exitCode() : ExitCode.FAILED_RESTORED;
    }

    /**
     * Records a run that failed: for a refusal or invalid input (nothing changed) the history row as it was
     * before, since a refused migration did not run, as when it is refused while planning; otherwise rolled
     * back with the cause. Tries twice: a lost connection leaves no applied entry, so the next run starts afresh.
     */
    @Override
    public SafeMigrateException failed(Exception cause, String state) {
        session.endDryRun(cause);
        ExitCode code = exitCodeOf(cause);
        boolean refusal = code != ExitCode.FAILED_RESTORED;
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                if (refusal) {
                    session.journal.restore(migration.id(), previousEntry);
                } else {
                    save(HistoryStatus.ROLLED_BACK, null, describe(cause));
                }
                break;
            } catch (RuntimeException unrecorded) {
                cause.addSuppressed(unrecorded);
            }
        }
        String removed = Recovery.discardArchives(session, migration.id());
        return new SafeMigrateException(code, "migration " + migration.id() + " failed: " + describe(cause) + ". " + state + removed + ".", cause);
    }

    @Override
    public MigrationReport.Result report() {
        return new MigrationReport.Result(migration.id(), "applied", planned.strategy().name(), results.list(),
                Duration.between(started, Instant.now()), planned.context().warnings());
    }

    /** The cause in one line: our own message as is, a database error as its class and message (unwrapping MyBatis). */
    static String describe(Throwable cause) {
        if (cause instanceof SafeMigrateException) {
            return cause.getMessage();
        }
        Throwable root = cause instanceof org.apache.ibatis.exceptions.PersistenceException && cause.getCause() != null ? cause.getCause() : cause;
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
