package dev.safemigrate.core;

import dev.safemigrate.core.spi.StepOutcome;
import java.time.Duration;
import java.util.List;

/** What {@code migrate} did: first what it completed or reversed of interrupted runs, then each migration. */
public record MigrationReport(List<String> recovered, List<Result> migrations) {
    public MigrationReport {
        recovered = List.copyOf(recovered);
        migrations = List.copyOf(migrations);
    }

    /** {@code outcome} is {@code applied} or {@code already_applied}. */
    public record Result(String id, String outcome, String strategy, List<StepResult> steps, Duration elapsed, List<String> warnings) {
        public Result {
            steps = List.copyOf(steps);
            warnings = List.copyOf(warnings);
        }
    }

    public record StepResult(int number, String summary, StepOutcome outcome) {
    }
}
