package dev.safemigrate.core.internal;

import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.spi.Step;
import dev.safemigrate.core.spi.StepEstimate;
import java.util.List;

/** A validated migration: its steps in execution order, their estimates, and the strategy that will run it. */
record PlannedMigration(Migration migration, List<Step> steps, List<StepEstimate> estimates, RunContext context, String strategy) {
    static final String SINGLE_TRANSACTION = "single_transaction";
    static final String COMPENSATING = "compensating";
    static final String SHADOW_SWAP = "shadow_swap";
}
