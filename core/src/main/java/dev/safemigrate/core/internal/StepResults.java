package dev.safemigrate.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.spi.Step;
import dev.safemigrate.core.spi.StepOutcome;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What each step of a run did: for the report, the listener's progress, and the history's step counts (JSON). */
final class StepResults {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Step> steps;
    private final List<MigrationReport.StepResult> results = new ArrayList<>();

    StepResults(List<Step> steps) {
        this.steps = steps;
    }

    interface Work {
        StepOutcome run() throws SQLException;
    }

    /** Runs step {@code index}'s work between the listener's start and finish, and records what it did. */
    void run(RunListener listener, String migrationId, int index, Work work) throws SQLException {
        Step step = steps.get(index);
        listener.stepStarted(migrationId, index + 1, steps.size(), step.summary());
        Instant begin = Instant.now();
        StepOutcome outcome = work.run();
        add(index, outcome);
        listener.stepFinished(migrationId, index + 1, steps.size(), step.summary(), outcome.deleted() + outcome.updated(),
                Duration.between(begin, Instant.now()));
    }

    /** A step's outcome replaces an earlier one of the same step: a strategy may run a rolled-back data transaction again. */
    void add(int index, StepOutcome outcome) {
        results.removeIf(r -> r.number() == index + 1);
        results.add(new MigrationReport.StepResult(index + 1, steps.get(index).summary(), outcome));
    }

    List<MigrationReport.StepResult> list() {
        return List.copyOf(results);
    }

    /** {@code [{"step": 1, "summary": ..., "deleted": ..., "updated": ..., "archived": ..., "noop": ...}, ...]} */
    String json() {
        ArrayNode array = JSON.createArrayNode();
        for (MigrationReport.StepResult result : results) {
            StepOutcome o = result.outcome();
            array.addObject().put("step", result.number()).put("summary", result.summary()).put("deleted", o.deleted())
                    .put("updated", o.updated()).put("archived", o.archived()).put("noop", o.noop());
        }
        try {
            return JSON.writeValueAsString(array);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
