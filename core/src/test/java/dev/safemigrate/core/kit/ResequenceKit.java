package dev.safemigrate.core.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.DedupeStep;
import dev.safemigrate.core.steps.ResequenceStep;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Resequence renumbers densely inside each group while a unique constraint on (group,
 * position) exists, archives before-images, and is undone exactly; swept with a fault at every statement.
 */
public abstract class ResequenceKit extends KitSupport {

    /** Arguments of two actions; positions have gaps, and (action_name, name) has duplicates. */
    private void seed() throws Exception {
        Fixture.execute(dataSource,
                "CREATE TABLE action_arguments (id INTEGER NOT NULL PRIMARY KEY, action_name VARCHAR(50) NOT NULL, name VARCHAR(50) NOT NULL,"
                        + " position INTEGER NOT NULL, CONSTRAINT uq_args_position UNIQUE (action_name, position))",
                "INSERT INTO action_arguments (id, action_name, name, position) VALUES"
                        + " (1, 'deploy', 'env', 3), (2, 'deploy', 'region', 7), (3, 'deploy', 'env', 9), (4, 'deploy', 'tag', 12),"
                        + " (5, 'build', 'target', 0), (6, 'build', 'target', 1), (7, 'build', 'flags', 2), (8, 'build', 'cache', 5)");
    }

    private static Migration argumentsMigration() {
        var dedupe = new DedupeStep(TableName.parse("action_arguments"), List.of("action_name", "name"), List.of(OrderItem.asc("id")),
                NullsMode.DISTINCT, true, List.of());
        var resequence = new ResequenceStep(TableName.parse("action_arguments"), "position", List.of("action_name"),
                List.of(OrderItem.asc("position"), OrderItem.asc("id")), 0);
        var unique = new AddUniqueStep(TableName.parse("action_arguments"), "uq_args_name", List.of("action_name", "name"), null);
        return migration("kit_args_001", dev.safemigrate.core.model.Guards.DEFAULT, List.of(), List.of(), dedupe, resequence, unique);
    }

    private List<Map<String, Object>> arguments() throws Exception {
        return Fixture.rows(dataSource, "action_arguments", "id");
    }

    private List<List<Object>> idsAndPositions() throws Exception {
        return arguments().stream().map(r -> List.<Object>of(((Number) r.get("id")).longValue(), ((Number) r.get("position")).longValue())).toList();
    }

    @Test
    void renumbersDenselyUnderAUniqueConstraintAndUndoesExactly() throws Exception {
        seed();
        List<Map<String, Object>> before = arguments();

        safeMigrate().migrate(List.of(argumentsMigration()));

        assertThat(idsAndPositions()).containsExactly(List.of(1L, 0L), List.of(2L, 1L), List.of(4L, 2L),
                List.of(5L, 0L), List.of(7L, 1L), List.of(8L, 2L));
        assertThat(Fixture.constraintExists(dataSource, "uq_args_name")).isTrue();
        assertThat(Fixture.constraintExists(dataSource, "uq_args_position")).isTrue();

        safeMigrate().undo("kit_args_001");

        assertThat(arguments()).isEqualTo(before);
        assertThat(Fixture.constraintExists(dataSource, "uq_args_name")).isFalse();
    }

    @Test
    void planCountsTheRowsToRenumber() throws Exception {
        seed();
        var resequence = new ResequenceStep(TableName.parse("action_arguments"), "position", List.of("action_name"),
                List.of(OrderItem.asc("position")), 1);

        var plan = safeMigrate().plan(List.of(migration("kit_args_plan", resequence)));

        assertThat(plan.migrations().get(0).steps().get(0).estimate().rowsToUpdate()).isEqualTo(8);
    }

    @Test
    void everyStatementFailingLeavesTheArgumentsRestoredOrComplete() throws Exception {
        Sweep.Figures figures = Sweep.run(this, argumentsMigration(), this::seed,
                () -> List.of(arguments(), Fixture.constraintExists(dataSource, "uq_args_name")),
                () -> arguments().size() + archived("action_arguments").stream().filter(r -> !isBeforeImage(r)).count());
        System.out.println(figures.line(getClass().getSimpleName() + " dedupe+resequence"));
    }

    /** Resequence before-images are rows still in the table; dedupe archives hold deleted rows. */
    private boolean isBeforeImage(Map<String, Object> archivedRow) throws RuntimeException {
        try {
            long id = ((Number) archivedRow.get("id")).longValue();
            return arguments().stream().anyMatch(r -> ((Number) r.get("id")).longValue() == id);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Without a primary key the before-images could not be matched back to their rows: refused before any change. */
    @Test
    void aTableWithoutPrimaryKeyIsRefusedAndAPartitionHoldingTheColumnIsInvalid() throws Exception {
        Fixture.execute(dataSource, "CREATE TABLE loose_arguments (action_name VARCHAR(50) NOT NULL, position INTEGER NOT NULL)",
                "INSERT INTO loose_arguments (action_name, position) VALUES ('deploy', 3), ('deploy', 7)");
        var loose = new ResequenceStep(TableName.parse("loose_arguments"), "position", List.of("action_name"), List.of(OrderItem.asc("position")), 0);

        assertThat(failure(dev.safemigrate.core.ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(migration("kit_loose", loose)))).getMessage())
                .contains("loose_arguments").contains("has no primary key");
        assertThat(Fixture.rows(dataSource, "loose_arguments", "position")).extracting(r -> ((Number) r.get("position")).longValue())
                .containsExactly(3L, 7L);

        seed();
        var selfPartitioned = new ResequenceStep(TableName.parse("action_arguments"), "position", List.of("action_name", "position"),
                List.of(OrderItem.asc("id")), 0);
        assertThat(failure(dev.safemigrate.core.ExitCode.INVALID, () -> safeMigrate().migrate(List.of(migration("kit_self", selfPartitioned))))
                .getMessage()).contains("the renumbered column cannot also be a partition column");
        assertThat(idsAndPositions()).containsExactly(List.of(1L, 3L), List.of(2L, 7L), List.of(3L, 9L), List.of(4L, 12L), List.of(5L, 0L),
                List.of(6L, 1L), List.of(7L, 2L), List.of(8L, 5L));
        assertThat(historyStatus("kit_loose")).isNull();
        assertThat(historyStatus("kit_self")).isNull();
    }
}
