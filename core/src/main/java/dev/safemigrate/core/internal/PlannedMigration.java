package dev.safemigrate.core.internal;

import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.spi.Step;
import dev.safemigrate.core.spi.StepEstimate;
import java.util.List;

/**
 * A validated migration: its steps in execution order, their estimates, the strategy that will run it, and
 * the allowed triggers that will fire on its changes (each "name on table", with the effect the rules state).
 */
record PlannedMigration(Migration migration, List<Step> steps, List<StepEstimate> estimates, RunContext context, String strategy,
                        List<FiringTrigger> firingTriggers) {
    /** An allowed trigger that fires on the migration's row changes. */
    record FiringTrigger(String name, String table, String effect) {
        String describe() {
            return "trigger " + name + " on " + table + " (the rules say: " + effect + ")";
        }
    }

    static final String SINGLE_TRANSACTION = "single_transaction";
    static final String COMPENSATING = "compensating";
    static final String SHADOW_SWAP = "shadow_swap";
}
