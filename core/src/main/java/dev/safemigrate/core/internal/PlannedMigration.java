package dev.safemigrate.core.internal;

import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.spi.PlannedRun;
import dev.safemigrate.core.spi.Step;
import dev.safemigrate.core.spi.StepContext;
import dev.safemigrate.core.spi.StepEstimate;
import dev.safemigrate.core.spi.Strategy;
import java.util.List;

/**
 * A validated migration: its steps in execution order, their estimates, the allowed triggers that will fire
 * on its changes, the strategy that will run it, and why each other strategy would not ({@code strategyNotes}).
 */
record PlannedMigration(Migration migration, List<Step> steps, List<StepEstimate> estimates, RunContext context,
                        List<FiringTrigger> firingTriggers, Strategy strategy, List<String> strategyNotes) implements PlannedRun {
    /** An allowed trigger that fires on the migration's row changes, with the effect the rules state. */
    record FiringTrigger(String name, String table, String effect) {
    }

    PlannedMigration withStrategy(Strategy chosen, List<String> notes) {
        return new PlannedMigration(migration, steps, estimates, context, firingTriggers, chosen, List.copyOf(notes));
    }

    @Override
    public StepContext context(int index) {
        return context.step(index);
    }
}
