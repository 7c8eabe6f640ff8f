package dev.safemigrate.core;

import dev.safemigrate.core.spi.StepOutcome;
import java.time.Duration;
import java.util.List;

/** What {@code migrate} did. */
public record MigrationReport(List<Result> migrations) {
    public MigrationReport {
        migrations = List.copyOf(migrations);
    }

    /** {@code outcome} is {@code applied}, {@code already_applied} or {@code recovered}. */
    public record Result(String id, String outcome, String strategy, List<StepResult> steps, Duration elapsed, List<String> warnings) {
        public Result {
            steps = List.copyOf(steps);
            warnings = List.copyOf(warnings);
        }
    }

    public record StepResult(int number, String summary, StepOutcome outcome) {
    }
}
