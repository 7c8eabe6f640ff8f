package dev.safemigrate.core.strategies;

import dev.safemigrate.core.HistoryEntry;
import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.spi.Interrupted;
import dev.safemigrate.core.spi.JournalEntry;
import dev.safemigrate.core.spi.JournalKind;
import dev.safemigrate.core.spi.Run;
import dev.safemigrate.core.spi.RunJournal;
import dev.safemigrate.core.spi.RunPhase;
import dev.safemigrate.core.spi.StepOutcome;
import dev.safemigrate.core.steps.AddUniqueStep;
import java.sql.SQLException;
import java.util.Optional;

/**
 * What {@code recover} does with an interrupted online run. One whose chunks had begun committing (the phases the
 * next migrate resumes) is finished: the migration is rebuilt from the definition the run journaled when it started
 * ({@link OnlineDefinition}) and resumed through the same path as migrate's ({@link Interrupted#resume}), so the chunks,
 * the late pass and the constraint are the ones an uninterrupted run makes. It is reversed instead where it cannot be
 * finished as its rules file says: interrupted before its first chunk committed (nothing had changed; reversing only
 * removes the guard, the index and the work tables, and migrate then runs it from the start, counting afresh), begun by
 * an older safemigrate (no definition journaled), replaced by a changed rules file given to migrate, or no longer
 * plannable (the database changed since).
 */
final class OnlineRecovery {
    /** The {@link JournalKind#STRATEGY} entry holding the run's definition (JSON) in its statement. */
    static final String DEFINITION = "online_definition";

    private OnlineRecovery() {
    }

    /** Journals the run's definition; in the transaction that journals how to remove the guard, before anything is built. */
    static void journalDefinition(Run run) {
        run.journal().add(JournalKind.STRATEGY, null, null, DEFINITION, OnlineDefinition.json(run.migration()), null);
    }

    private static Optional<String> definition(RunJournal journal) {
        return journal.entries(JournalKind.STRATEGY).stream().filter(e -> DEFINITION.equals(e.objectName())).map(JournalEntry::statement).findFirst();
    }

    /** For plan: what recover does with an interrupted run that migrate would resume. */
    static String whatRecoverDoes(RunJournal journal) {
        return definition(journal).isPresent() ? "recover finishes it the same way, from the definition the run journaled"
                : "recover would reverse it instead: it was begun by an older safemigrate, which did not journal the definition recover needs to finish it";
    }

    static String recover(OnlineStrategy strategy, Interrupted run) throws SQLException {
        HistoryEntry entry = run.entry();
        String stopped = "interrupted during an online run (phase " + entry.phase() + ")";
        if (!strategy.resumes(entry)) {
            return OnlineStrategy.reverse(run, "interrupted before its first chunk committed (phase " + entry.phase() + "), so no row had changed"
                    + " and there was nothing to finish") + "; the next migrate runs it from the start";
        }
        if (run.superseded()) {
            return OnlineStrategy.reverse(run, stopped + ", and migrate was given a changed rules file of it (another checksum), which replaces"
                    + " the run and runs from the start");
        }
        Optional<String> definition = definition(run.journal());
        if (definition.isEmpty()) {
            return OnlineStrategy.reverse(run, stopped + ", begun by an older safemigrate, which did not journal the run's definition, so"
                    + " recover cannot finish it without the rules file");
        }
        Migration migration;
        MigrationReport.Result result;
        try {
            migration = OnlineDefinition.migration(definition.get(), entry);
        } catch (SafeMigrateException unreadable) {
            return OnlineStrategy.reverse(run, stopped + "; recover could not finish it: " + unreadable.getMessage());
        }
        try {
            // A failure of the resumed run itself is that run's (it reverses what it cannot finish), as for migrate.
            result = run.resume(migration);
        } catch (Interrupted.NotResumable refused) {
            return OnlineStrategy.reverse(run, stopped + "; recover could not finish it, as planning it again refused it: " + refused.getMessage());
        }
        StepOutcome dedupe = result.steps().get(0).outcome();
        String constraint = migration.steps().stream().filter(AddUniqueStep.class::isInstance).map(s -> ((AddUniqueStep) s).name()).findFirst()
                .orElseThrow();
        return "migration " + entry.id() + ": recover finished the interrupted online run (it had stopped " + OnlineChunks.describe(new RunPhase(entry.phase()))
                + ") from the definition its journal holds, as the next migrate of its rules file would: over the whole run " + dedupe.deleted()
                + " duplicate row(s) deleted and " + dedupe.updated() + " child row(s) repointed, " + dedupe.archived() + " row(s) archived ("
                + result.online().map(MigrationReport.OnlineFigures::chunks).orElse(0) + " chunk(s) by recover); the constraint " + constraint
                + " is in place, and the migration is now applied";
    }
}
