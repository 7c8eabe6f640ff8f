package dev.safemigrate.core.strategies;

import dev.safemigrate.core.model.Online;
import dev.safemigrate.core.spi.PlannedRun;
import dev.safemigrate.core.spi.StepEstimate;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.DedupeStep;
import java.util.ArrayList;
import java.util.List;

/** What {@code plan} says an online run will do: its phases and the chunks it expects. */
final class OnlineExplanation {
    private OnlineExplanation() {
    }

    static List<String> lines(PlannedRun plan, List<StepEstimate> estimates) {
        Online options = plan.migration().online().orElseThrow();
        DedupeStep dedupe = (DedupeStep) plan.steps().get(0);
        AddUniqueStep unique = (AddUniqueStep) plan.steps().get(1);
        long losers = estimates.get(0).rowsToDelete();
        String key = "(" + String.join(", ", dedupe.key()) + ")";
        List<String> lines = new ArrayList<>(List.of("online (" + options.describe() + "): " + dedupe.table() + " keeps taking writes; no lock a writer could wait on is"
                        + " waited for longer than max_lock_ms per try (tried again until --lock-timeout)",
                "1. builds an index on " + key + " while writers go on, for the guard's and the chunks' lookups",
                "2. installs the key guard: from then until the constraint exists, an insert or update that would duplicate a key fails with"
                        + " a duplicate-key error",
                "3. removes " + losers + " duplicate row(s) in about " + OnlineChunks.estimatedChunks(losers, options) + " chunk(s)"
                        + (options.batchRows().isPresent() ? " of " + options.batchRows().getAsLong() + " row(s)"
                        : " (batch_rows: auto starts at " + OnlineSlices.FIRST_AUTO_BATCH + " rows and sizes chunks from their measured time;"
                        + " the estimate assumes " + OnlineChunks.ASSUMED_LOSERS_PER_MS + " rows per ms)")
                        + ", each one short transaction: archive, repoint, delete, journal",
                "4. moves child rows written meanwhile from a deleted row to its survivor",
                "5. builds " + unique.name() + " while writers go on, then removes the guard and the index",
                "on failure the chunks done are put back from the archive (exit 1); an interrupted run is put back by recover, or by the next"
                        + " migrate, which then runs it again from the start"));
        if (dedupe.repoint().stream().anyMatch(r -> r.table().equals(dedupe.table()))) {
            lines.add(SELF_REPOINT_NOTE);
        }
        return lines;
    }

    /** Why an online run of a table whose rows point at each other may update fewer rows than plan counts. */
    static final String SELF_REPOINT_NOTE = "rows to update is at most: a duplicate row that points at a duplicate of a later chunk is deleted by"
            + " its own chunk before that one would repoint it";
}
