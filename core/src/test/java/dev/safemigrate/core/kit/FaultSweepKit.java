package dev.safemigrate.core.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.model.Migration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 2: the N-th statement of a run fails, for every N. Afterwards the data is identical, row
 * by row, to before the run (with no archive rows, no constraint, history rolled back or absent), or
 * the migration is complete and correct. Never exit 5. Prints the figures.
 */
public abstract class FaultSweepKit extends KitSupport {

    /** The migration swept; dialects may sweep others too. */
    protected Migration sweptMigration() {
        return exampleMigration();
    }

    @Test
    void everyStatementFailingLeavesTheDataRestoredOrComplete() throws Exception {
        Sweep.Figures figures = Sweep.run(this, sweptMigration(), () -> Fixture.seed(dataSource), this::snapshot,
                () -> invariants().size() + checks().size() + archived("action_invariants").size());
        System.out.println(figures.line(getClass().getSimpleName()));
        assertThat(figures.statements()).isGreaterThan(10);
    }

    private Snapshot snapshot() throws Exception {
        return new Snapshot(invariants(), checks(), Fixture.constraintExists(dataSource, UNIQUE_NAME));
    }

    private record Snapshot(List<Map<String, Object>> invariants, List<Map<String, Object>> checks, boolean constraint) {
    }
}
