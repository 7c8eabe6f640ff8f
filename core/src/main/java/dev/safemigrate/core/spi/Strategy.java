package dev.safemigrate.core.spi;

import dev.safemigrate.core.MigrationReport;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * How a migration is made atomic on a database. The planner asks every registered strategy whether it can
 * run a migration ({@link #refusal}); it takes the one the rules ask for (a step's {@link Step#strategy}),
 * else the default that can with the highest {@link #defaultPriority}, and {@code plan} shows why each other
 * one would not. The history records the strategy's {@link #name}, so an interrupted run is recovered by the
 * same strategy. Strategies register like steps ({@link StrategyModule}); a dialect contributes its own.
 */
public interface Strategy {
    /** The name in plans, the history and rules files: {@code single_transaction}, {@code compensating}, ... */
    String name();

    /**
     * When the rules ask for no strategy, the defaults that can run a migration are tried highest first;
     * a negative priority (the default) means this strategy runs only when asked for.
     */
    default int defaultPriority() {
        return -1;
    }

    /** Why this strategy cannot run the planned migration here, or empty when it can. Read-only. */
    Optional<String> refusal(PlannedRun plan) throws SQLException;

    /** What this strategy will do with the planned migration, in lines for {@code plan} ({@code estimates}: each step's). Read-only. */
    default List<String> explain(PlannedRun plan, List<StepEstimate> estimates) throws SQLException {
        return List.of();
    }

    /**
     * Runs the migration. A failure is a {@code SafeMigrateException} whose exit code says what state the
     * database is in, and whose message says it truthfully (see {@link Run#failed}).
     */
    MigrationReport.Result run(Run run);

    /**
     * Whether the next migrate of the same, unchanged rules file continues this interrupted run itself (from
     * {@link Run#resumedFrom}) instead of having it finished or reversed by {@link #recover} first.
     */
    default boolean resumes(dev.safemigrate.core.HistoryEntry entry) {
        return false;
    }

    /**
     * For an interrupted run this strategy {@link #resumes}: what {@link #recover} would do with it instead of migrate's
     * resumption, in words for {@code plan} ({@code journal}: the run's).
     */
    default String recoverResumable(dev.safemigrate.core.HistoryEntry entry, RunJournal journal) {
        return "recover would complete or reverse it from the journal instead";
    }

    /** Finishes or reverses a run of this strategy that was interrupted; says what it did in one sentence. */
    default String recover(Interrupted run) throws SQLException {
        return run.completeOrReverse();
    }
}
