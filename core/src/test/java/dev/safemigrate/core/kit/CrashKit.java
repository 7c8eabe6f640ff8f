package dev.safemigrate.core.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.StatusReport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run that dies at a phase (an Error thrown from the listener escapes every handler, as a killed
 * process would, and the connection is closed) leaves either the data as before or an in_progress
 * journal that {@code recover} or the next {@code migrate} completes or reverses.
 */
public abstract class CrashKit extends KitSupport {


    private record State(List<Map<String, Object>> invariants, List<Map<String, Object>> checks, boolean constraint) {
    }

    private State state() throws Exception {
        return new State(invariants(), checks(), Fixture.constraintExists(dataSource, UNIQUE_NAME));
    }

    @ParameterizedTest
    @ValueSource(strings = {RunListener.Phase.PREPARED, RunListener.Phase.DML_APPLIED, RunListener.Phase.BETWEEN_PHASES})
    void aCrashAtAnyPhaseIsCompletedOrReversedByRecover(String phase) throws Exception {
        Fixture.seed(dataSource);
        State before = state();
        safeMigrate().migrate(List.of(exampleMigration()));
        State complete = state();
        freshDatabase("crash");
        Fixture.seed(dataSource);

        boolean died = false;
        try {
            crashingAt(phase).migrate(List.of(exampleMigration()));
        } catch (SimulatedCrash expected) {
            died = true;
        }
        State crashed = state();
        assertThat(crashed).as("right after the crash at " + phase).isIn(before, complete, new State(complete.invariants(), complete.checks(), false));

        List<String> recovered = safeMigrate().recover();
        State after = state();
        String status = historyStatus(exampleMigration().id());
        if (after.equals(before)) {
            assertThat(status).isIn(null, "rolled_back");
            assertThat(archivedRowCount()).isZero();
        } else {
            assertThat(after).isEqualTo(complete);
            assertThat(status).isEqualTo("applied");
            if (!crashed.equals(complete)) {
                assertThat(recovered).isNotEmpty();
            }
        }
        MigrationReport again = safeMigrate().migrate(List.of(exampleMigration()));
        assertThat(state()).isEqualTo(complete);
        assertThat(again.migrations()).hasSize(1);
        System.out.printf("crash at %s (%s): %s, after recover %s, history %s%n", phase, getClass().getSimpleName(),
                !died ? "this strategy has no such phase, the run completed" : crashed.equals(before) ? "after the crash as before"
                        : "after the crash data changes committed", after.equals(before) ? "as before" : "complete", status);
    }

    @Test
    void statusShowsAnInterruptedRunAndMigrateCompletesIt() throws Exception {
        Fixture.seed(dataSource);
        assertThatThrownBy(() -> crashingAt(RunListener.Phase.DML_APPLIED).migrate(List.of(exampleMigration())))
                .isInstanceOfAny(SimulatedCrash.class);

        StatusReport status = safeMigrate().status(List.of(exampleMigration()));
        String recorded = status.history().isEmpty() ? null : status.history().get(0).status().value();
        assertThat(recorded).isIn(null, "in_progress");

        safeMigrate().migrate(List.of(exampleMigration()));

        assertThat(historyStatus(exampleMigration().id())).isEqualTo("applied");
        assertThat(invariants()).hasSize(Fixture.UNIQUE_ROWS);
        assertThat(Fixture.constraintExists(dataSource, UNIQUE_NAME)).isTrue();
    }
}
