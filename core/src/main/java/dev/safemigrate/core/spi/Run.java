package dev.safemigrate.core.spi;

import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * The building blocks a {@link Strategy} runs a migration with, in the order the built-in strategies use
 * them: start, archives, table locks (and preconditions under them), data steps and their checks, the
 * journal of restores and DDL, the DDL, finish. Every one keeps the history and the journal right, so a
 * strategy only decides the order and the transactions.
 */
public interface Run extends PlannedRun {
    /** Forgets what an earlier run of this migration left in the journal and records this one as in progress at {@code phase}. */
    void start(RunPhase phase);

    /**
     * The phase an interrupted run of this migration (the same rules file) stopped at, when migrate left it in
     * progress for the strategy to resume ({@link Strategy#resumes}); empty for a new run, which calls {@link #start}.
     */
    java.util.Optional<RunPhase> resumedFrom();

    /** Records how far the run got, in its history row. */
    void record(RunPhase phase);

    /** Tells the run's listener that {@code phase} was reached (progress output, and where tests stop a run). */
    void reached(String phase);

    RunListener listener();

    RunJournal journal();

    /** Runs {@code work} in one transaction of the run's connection: committed when it returns, rolled back when it throws. */
    <T> T inTransaction(Work<T> work) throws SQLException;

    /** A second connection to the database, decorated as the run's own; the caller closes it. */
    Connection openConnection() throws SQLException;

    /**
     * A connection beside the run's that is not decorated as the run's own (a test's fault injection does not count
     * or fail its statements): for watching the run's session; the caller closes it. Null in a dry run
     * ({@code plan --sql}), where no statement runs to watch.
     */
    Connection openMonitorConnection() throws SQLException;

    /** How long the run may wait for a lock (the migration lock, table locks, a DDL statement's lock). */
    Duration lockTimeout();

    /** Journals the tables the run changes and the allowed triggers there, then creates every step's archive tables. */
    void createArchives() throws SQLException;

    /**
     * For a resumed run, instead of {@link #createArchives}: takes up the archive tables the interrupted run created
     * (they hold what its committed work archived), as the steps' archives.
     */
    void reopenArchives() throws SQLException;

    /** Keeps writers out of the tables the steps change and of {@code extra}, then checks the preconditions under those locks. */
    TableLocks.Release lockTables(List<ResolvedTable> extra) throws SQLException;

    /** Runs every data step (each archives first), then checks what must hold before any DDL. */
    void applyDml() throws SQLException;

    /** Journals how to put the data back (last step first) and every DDL statement with its undo; returns the DDL to run. */
    List<DdlAction> journalRestoreAndDdl() throws SQLException;

    /** Runs the DDL steps' statements in order; {@code beforeEach} runs before each (e.g. to record the phase). */
    void runDdl(List<DdlAction> actions, DdlProgress beforeEach) throws SQLException;

    /** Records the outcome of step {@code index} of {@link #steps}, for a strategy that does a step's work itself. */
    void addResult(int index, StepOutcome outcome);

    /** Drops the archives the rules asked not to keep and marks the migration applied, with {@code message} in its history. */
    void finish(String message) throws SQLException;

    /**
     * After {@code cause} ended a run whose data changes were already committed: drops what the run created,
     * puts back every archived row and value, marks the run rolled back, and returns the exception to throw —
     * exit 1 saying what was put back (and what allowed triggers did that was not), or, when putting back
     * fails, exit 5 saying what is committed, where the archived rows are and what blocked it.
     */
    SafeMigrateException reverseAfter(Exception cause, String when);

    /**
     * After {@code cause} ended a run that changed nothing (rolled back, or refused): removes the run's empty
     * archive tables, records the failure and makes its exception. The exit code of a refusal or invalid
     * input is kept (the history as it was), otherwise exit 1; {@code state} says truthfully what the
     * database is like now (no closing period: what was removed is added).
     */
    SafeMigrateException failed(Exception cause, String state);

    /** The run's report, once it finished. */
    MigrationReport.Result report();

    interface Work<T> {
        T run() throws SQLException;
    }

    interface DdlProgress {
        void before(DdlAction action) throws SQLException;
    }
}
