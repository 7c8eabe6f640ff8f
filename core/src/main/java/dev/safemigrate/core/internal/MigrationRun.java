package dev.safemigrate.core.internal;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.HistoryEntry;
import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.SqlCheck;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.spi.ArchiveSpec;
import dev.safemigrate.core.spi.DdlAction;
import dev.safemigrate.core.spi.Invariant;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.Restore;
import dev.safemigrate.core.spi.StandardSql;
import dev.safemigrate.core.spi.Step;
import dev.safemigrate.core.spi.StepKind;
import dev.safemigrate.core.spi.StepOutcome;
import dev.safemigrate.core.spi.TableLocks;
import dev.safemigrate.core.spi.TableWrite;
import dev.safemigrate.core.spi.UndoBlocker;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The pieces both strategies are made of: journal, archive, DML, checks, DDL, finish. */
final class MigrationRun {
    final Session session;
    final PlannedMigration planned;
    final Migration migration;
    final RunContext context;
    final RunListener listener;
    private final Instant started = Instant.now();
    private final HistoryEntry previousEntry;
    private final List<MigrationReport.StepResult> results = new ArrayList<>();
    private final List<String> discardedArchives = new ArrayList<>();
    private final List<ResolvedTable> archiveTables = new ArrayList<>();
    private List<Invariant> leftToDdl = List.of();
    private int seq;

    MigrationRun(Session session, PlannedMigration planned) {
        this.session = session;
        this.planned = planned;
        this.migration = planned.migration();
        this.context = planned.context();
        this.listener = session.settings.listener();
        this.previousEntry = session.journal.find(migration.id());
    }

    /**
     * Records a run that failed and left the data as it was: rolled back, or, for a refusal (a guard
     * checked on the rows the run archived), the history row as it was before, since a refused
     * migration did not run, as when it is refused while planning.
     */
    void recordFailure(Exception cause) {
        try {
            recordFailureOnce(cause);
        } catch (RuntimeException first) {
            try {
                recordFailureOnce(cause);
            } catch (RuntimeException ignored) {
                // The connection is gone; the next run sees no applied entry and starts afresh.
            }
        }
    }

    private void recordFailureOnce(Exception cause) {
        if (refusal(cause)) {
            session.journal.restore(migration.id(), previousEntry);
        } else {
            saveState(HistoryStatus.ROLLED_BACK, null, describe(cause));
        }
    }

    private static boolean refusal(Exception cause) {
        return cause instanceof SafeMigrateException sme && (sme.exitCode() == ExitCode.REFUSED || sme.exitCode() == ExitCode.INVALID);
    }

    HistoryEntry entry(String status, String phase, Instant finished, String message) {
        return new HistoryEntry(migration.id(), migration.checksum(), migration.description(), status, phase, session.dialect.name(),
                planned.strategy(), started, finished, countsJson(), message);
    }

    /**
     * Starts the run: forgets journal entries an earlier run of this migration left (recovery has already
     * settled any interrupted run, so none is needed), and records the run as in progress at {@code phase}.
     */
    void start(String phase) {
        session.journal.delete(migration.id(), null);
        saveState(HistoryStatus.IN_PROGRESS, phase, null);
    }

    void saveState(String status, String phase, String message) {
        boolean done = !HistoryStatus.IN_PROGRESS.equals(status);
        session.journal.save(entry(status, phase, done ? Instant.now() : null, message));
    }

    /** Marks the migration applied with {@code message}, trying twice: the change is done, only its record is missing. */
    void finish(String message) {
        try {
            saveState(HistoryStatus.APPLIED, null, message);
        } catch (RuntimeException first) {
            saveState(HistoryStatus.APPLIED, null, message);
        }
    }

    private String countsJson() {
        List<String> items = new ArrayList<>();
        for (MigrationReport.StepResult r : results) {
            StepOutcome o = r.outcome();
            items.add("{\"step\":" + r.number() + ",\"summary\":\"" + r.summary() + "\",\"deleted\":" + o.deleted() + ",\"updated\":"
                    + o.updated() + ",\"archived\":" + o.archived() + ",\"noop\":" + o.noop() + "}");
        }
        return "[" + String.join(",", items) + "]";
    }

    /**
     * Journals the tables the run changes and the allowed triggers that fire there (for undo and for
     * truthful messages without the rules file), then creates every archive table, journaling each name
     * first so recovery can remove it. An archive table left from an earlier run is reused only when
     * empty: one that holds rows is never dropped, and refuses the run.
     */
    void createArchives() throws SQLException {
        StandardSql sql = session.dialect.sql();
        List<ResolvedTable> changed = new ArrayList<>();
        for (int i = 0; i < planned.steps().size(); i++) {
            for (TableWrite write : planned.steps().get(i).writes()) {
                ResolvedTable table = context.step(i).table(write.table());
                if (!write.events().isEmpty() && !changed.contains(table)) {
                    changed.add(table);
                    session.journal.add(new JournalEntry(migration.id(), ++seq, JournalEntry.TABLE, table.schema(), table.name(), null, null, null));
                }
            }
        }
        for (PlannedMigration.FiringTrigger trigger : planned.firingTriggers()) {
            session.journal.add(new JournalEntry(migration.id(), ++seq, JournalEntry.TRIGGER, null, trigger.table(), trigger.name(),
                    trigger.effect(), null));
        }
        for (int i = 0; i < planned.steps().size(); i++) {
            for (ArchiveSpec spec : planned.steps().get(i).archives(context.step(i))) {
                String name = context.archiveName(i, spec.role(), spec.source());
                ResolvedTable existing = new ResolvedTable(null, name, List.of(), List.of());
                if (session.catalog.tableExists(name)) {
                    long rows = session.db.queryLong(sql.countRows(existing));
                    if (rows > 0) {
                        throw SafeMigrateException.refused("migration " + migration.id() + " refused, nothing was changed: its archive table "
                                + name + " already exists and holds " + rows + " row(s) from an earlier run; it is never dropped by"
                                + " safemigrate. Move its rows elsewhere or drop it yourself, then run again");
                    }
                }
                session.journal.add(new JournalEntry(migration.id(), ++seq, JournalEntry.ARCHIVE, null, null, name, null, null));
                if (session.catalog.tableExists(name)) {
                    session.db.execute(sql.dropTable(existing));
                }
                for (String statement : sql.createArchiveTable(name, spec.source(), spec.extraColumns(), spec.source().primaryKey())) {
                    session.db.execute(statement);
                }
                ResolvedTable archive = session.catalog.table(TableName.parse(name)).orElseThrow();
                context.registerArchive(i, spec.role(), archive);
                archiveTables.add(archive);
                if (!spec.keep()) {
                    discardedArchives.add(name);
                }
            }
        }
    }

    /** The next journal sequence number of this run, for entries a strategy journals itself. */
    int nextSeq() {
        return ++seq;
    }

    /** A table the strategy created for the run, locked with the run's tables by {@link #lockTables}. */
    void addRunTable(ResolvedTable table) {
        archiveTables.add(table);
    }

    void addResult(MigrationReport.StepResult result) {
        results.add(result);
    }

    /**
     * Keeps writers out of every table the run changes (see {@link TableLocks}), then checks the
     * preconditions under those locks, so what they guard cannot change before the run does.
     */
    TableLocks.Release lockTables() throws SQLException {
        TableLocks.Release release = lockRunTables();
        try {
            Checks.requirePreconditions(session, planned);
        } catch (SQLException | RuntimeException e) {
            Recovery.releaseQuietly(release);
            throw e;
        }
        return release;
    }

    private TableLocks.Release lockRunTables() throws SQLException {
        List<ResolvedTable> written = new ArrayList<>();
        for (Step step : planned.steps()) {
            for (TableWrite write : step.writes()) {
                ResolvedTable table = context.table(write.table());
                if (!written.contains(table)) {
                    written.add(table);
                }
            }
        }
        List<ResolvedTable> other = new ArrayList<>(archiveTables);
        for (String journalTable : List.of("safemigrate_history", "safemigrate_journal")) {
            session.catalog.table(TableName.parse(journalTable)).ifPresent(other::add);
        }
        List<String> checks = new ArrayList<>();
        for (SqlCheck check : migration.preconditions()) {
            checks.add(check.sql());
        }
        for (SqlCheck check : migration.postconditions()) {
            checks.add(check.sql());
        }
        return session.dialect.tableLocks().lock(session.connection, written, other, checks, session.settings.lockTimeout());
    }

    void applyDml() throws SQLException {
        List<Step> steps = planned.steps();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step.kind() == StepKind.DML) {
                listener.stepStarted(migration.id(), i + 1, steps.size(), step.summary());
                Instant begin = Instant.now();
                StepOutcome outcome = step.apply(context.step(i));
                results.add(new MigrationReport.StepResult(i + 1, step.summary(), outcome));
                listener.stepFinished(migration.id(), i + 1, steps.size(), step.summary(), outcome.deleted() + outcome.updated(),
                        Duration.between(begin, Instant.now()));
            }
        }
        listener.phaseReached(migration.id(), RunListener.Phase.DML_APPLIED);
        leftToDdl = Checks.enforcedByDdl(planned);
        Checks.requireAfterDml(session, planned, leftToDdl);
    }

    /** Journals how to put the data back (last step first) and the DDL to run; returns the DDL. */
    List<DdlAction> journalRestoreAndDdl() throws SQLException {
        List<Step> steps = planned.steps();
        for (int i = steps.size() - 1; i >= 0; i--) {
            for (Restore restore : steps.get(i).restoreStatements(context.step(i))) {
                session.journal.add(new JournalEntry(migration.id(), ++seq, restore.untilNoRows() ? JournalEntry.RESTORE_REPEATED
                        : JournalEntry.RESTORE, null, null, null, restore.statement(), null));
            }
            for (UndoBlocker blocker : steps.get(i).undoBlockers(context.step(i))) {
                session.journal.add(new JournalEntry(migration.id(), ++seq, blocker.overridable() ? JournalEntry.CHANGED_SINCE : JournalEntry.BLOCKER,
                        null, null, null, blocker.query(), blocker.what()));
            }
        }
        List<DdlAction> actions = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).kind() == StepKind.DDL) {
                for (DdlAction action : steps.get(i).ddl(context.step(i))) {
                    session.journal.add(new JournalEntry(migration.id(), ++seq, JournalEntry.DDL, action.table().schema(),
                            action.table().name(), action.objectName(), action.statement(), action.undoStatement()));
                    actions.add(action);
                }
            }
        }
        return actions;
    }

    /** Runs the DDL steps; {@code beforeEach} journals progress where DDL commits on its own. */
    void runDdl(List<DdlAction> actions, DdlProgress beforeEach) throws SQLException {
        List<Step> steps = planned.steps();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step.kind() != StepKind.DDL) {
                continue;
            }
            listener.stepStarted(migration.id(), i + 1, steps.size(), step.summary());
            Instant begin = Instant.now();
            boolean ran = false;
            for (DdlAction action : actions) {
                if (action.description().equals(step.summary())) {
                    beforeEach.before(action);
                    execute(action);
                    ran = true;
                }
            }
            results.add(new MigrationReport.StepResult(i + 1, step.summary(), ran ? new StepOutcome(0, 0, 0, false) : StepOutcome.NOOP));
            listener.stepFinished(migration.id(), i + 1, steps.size(), step.summary(), 0, Duration.between(begin, Instant.now()));
        }
    }

    /**
     * Runs one DDL statement. If it fails while checks are {@link Checks#enforcedByDdl left to it}, they are
     * counted to say why, after rolling back to before the statement where it ran in the transaction.
     */
    private void execute(DdlAction action) throws SQLException {
        java.sql.Connection connection = session.connection;
        if (action.exclusive()) {
            session.dialect.tableLocks().beforeDdl(connection, action.table(), session.settings.lockTimeout());
        }
        java.sql.Savepoint savepoint = leftToDdl.isEmpty() || connection.getAutoCommit() ? null : connection.setSavepoint();
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

    interface DdlProgress {
        void before(DdlAction action) throws SQLException;
    }

    /** Marks the migration applied. */
    void finish() {
        saveState(HistoryStatus.APPLIED, null, null);
    }

    /** Drops archives the rules asked not to keep; the migration is applied, so they are no longer needed. */
    void dropDiscardedArchives() throws SQLException {
        for (String name : discardedArchives) {
            Recovery.dropArchive(session, name);
        }
    }

    MigrationReport.Result report() {
        return new MigrationReport.Result(migration.id(), "applied", planned.strategy(), results, Duration.between(started, Instant.now()),
                context.warnings());
    }

    /** The exception for a failed run: keeps the exit code of a refusal or invalid input (nothing changed), otherwise exit 1. */
    SafeMigrateException failure(Exception cause, String state) {
        ExitCode code = refusal(cause) ? ((SafeMigrateException) cause).exitCode() : ExitCode.FAILED_RESTORED;
        return new SafeMigrateException(code, "migration " + migration.id() + " failed: " + describe(cause) + ". " + state, cause);
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
