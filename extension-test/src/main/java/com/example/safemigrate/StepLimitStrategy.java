package com.example.safemigrate;

import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.spi.Interrupted;
import dev.safemigrate.core.spi.PlannedRun;
import dev.safemigrate.core.spi.Run;
import dev.safemigrate.core.spi.Strategy;
import dev.safemigrate.core.strategies.CompensatingStrategy;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The outside dialect's own strategy, to show the SPI from outside core: the compensating strategy, but only
 * for migrations of at most {@link #MAX_STEPS} steps on {@code h2-strict} (say, a team's rule that a strict-mode
 * database gets short migrations). It outranks the built-in compensating strategy, so it runs every migration
 * it accepts; a longer one falls back to compensating, and {@code plan} says why.
 */
public final class StepLimitStrategy implements Strategy {
    public static final String NAME = "step_limited";
    static final int MAX_STEPS = 5;

    private final Strategy compensating = new CompensatingStrategy();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int defaultPriority() {
        return 50;
    }

    @Override
    public Optional<String> refusal(PlannedRun plan) {
        if (!H2StrictDialect.NAME.equals(plan.context(0).dialect().name())) {
            return Optional.of("only for the " + H2StrictDialect.NAME + " dialect");
        }
        int steps = plan.steps().size();
        return steps > MAX_STEPS ? Optional.of(steps + " steps, more than the " + MAX_STEPS + " it takes") : Optional.empty();
    }

    @Override
    public MigrationReport.Result run(Run run) {
        return compensating.run(run);
    }

    @Override
    public String recover(Interrupted run) throws SQLException {
        return compensating.recover(run);
    }
}
