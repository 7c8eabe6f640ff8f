package dev.safemigrate.core.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.RunListener;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run whose data changes are committed and that can be neither completed nor reversed (compensating
 * strategy): exit 5 saying what blocks each way, and always a way out. Here the run dies between its
 * phases, then a row takes the id of an archived row and repeats a survivor's key, so the constraint
 * cannot be built and the archived row cannot go back.
 */
public abstract class StuckStateKit extends KitSupport {
    private static final String ID = "kit_001_invariants";
    private List<Object> crashed;

    @BeforeEach
    void crashBetweenPhasesThenTakeAnArchivedId() throws Exception {
        Fixture.seed(dataSource);
        Assumptions.assumeTrue("compensating".equals(safeMigrate().plan(List.of(exampleMigration())).migrations().get(0).strategy()),
                "only a strategy whose data changes commit before its DDL can be interrupted between them");
        try {
            crashingAt(RunListener.Phase.BETWEEN_PHASES).migrate(List.of(exampleMigration()));
        } catch (SimulatedCrash expected) {
            // The process "died" with the data changes committed and no constraint.
        }
        Fixture.execute(dataSource, "INSERT INTO action_invariants (id, action_name, position) VALUES (201, '" + Fixture.actionName(3) + "', "
                + Fixture.position(3) + ")");
        crashed = state();
    }

    private List<Object> state() throws Exception {
        return List.of(invariants(), checks(), Fixture.constraintExists(dataSource, UNIQUE_NAME), archivedRowCount());
    }

    @Test
    void recoverSaysWhatBlocksItAndFinishesOnceTheBlockerIsGone() throws Exception {
        String message = failure(ExitCode.INTERMEDIATE, () -> safeMigrate().recover()).getMessage();

        assertThat(message).contains("NOT reversed").contains("(201)").contains("recover --abandon " + ID).doesNotContain("as it was");
        assertThat(state()).isEqualTo(crashed);
        assertThat(historyStatus(ID)).isEqualTo("in_progress");
        assertThat(failure(ExitCode.INTERMEDIATE, () -> safeMigrate().migrate(List.of(exampleMigration()))).getMessage()).isEqualTo(message);

        Fixture.execute(dataSource, "DELETE FROM action_invariants WHERE id = 201");
        assertThat(safeMigrate().recover()).singleElement().satisfies(line -> assertThat(line).contains("now applied"));

        assertThat(historyStatus(ID)).isEqualTo("applied");
        assertThat(invariants()).hasSize(Fixture.UNIQUE_ROWS);
        assertThat(archived("action_invariants")).hasSize(Fixture.DUPLICATE_ROWS);
        assertThat(Fixture.constraintExists(dataSource, UNIQUE_NAME)).isTrue();
    }

    @Test
    void abandonLeavesTheDataAsItIsAndKeepsTheArchive() throws Exception {
        String message = safeMigrate().abandon(ID);

        assertThat(message).contains("stay committed").contains("kept");
        assertThat(state()).isEqualTo(crashed);
        assertThat(historyStatus(ID)).isEqualTo("failed");
        assertThat(safeMigrate().recover()).isEmpty();
        String again = failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(exampleMigration()))).getMessage();
        assertThat(again).contains("already exists and holds");
        assertThat(state()).isEqualTo(crashed);
    }
}
