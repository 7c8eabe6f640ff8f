package dev.safemigrate.core;

import dev.safemigrate.core.spi.StepOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What {@code migrate} did: first what it completed or reversed of interrupted runs, then each migration. */
public record MigrationReport(List<String> recovered, List<Result> migrations) {
    public MigrationReport {
        recovered = List.copyOf(recovered);
        migrations = List.copyOf(migrations);
    }

    /** {@code outcome} is {@code applied} or {@code already_applied}; {@code online}: what an online run measured. */
    public record Result(String id, String outcome, String strategy, List<StepResult> steps, Duration elapsed, List<String> warnings,
                         Optional<OnlineFigures> online) {
        public Result {
            steps = List.copyOf(steps);
            warnings = List.copyOf(warnings);
        }

        public Result(String id, String outcome, String strategy, List<StepResult> steps, Duration elapsed, List<String> warnings) {
            this(id, outcome, strategy, steps, elapsed, warnings, Optional.empty());
        }

        public Result withOnline(OnlineFigures figures) {
            return new Result(id, outcome, strategy, steps, elapsed, warnings, Optional.of(figures));
        }
    }

    /**
     * An online run: its chunks, the lock attempts that ran out and were tried again, and the longest the run held
     * a lock a writer could wait on (a chunk's transaction, or a statement that needed the table briefly), measured.
     */
    public record OnlineFigures(int chunks, int retries, Duration longestLock) {
    }

    public record StepResult(int number, String summary, StepOutcome outcome) {
    }
}
