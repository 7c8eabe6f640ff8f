package dev.safemigrate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the steps of rules files are ordered and given a strategy, and what is refused before anything runs (H2 file database). */
class PlanningTest {
    @TempDir
    Path tmp;

    Fixture db;

    @BeforeEach
    void seed() throws Exception {
        db = new Fixture(tmp).seeded();
    }

    /** DDL commits on H2, so a dedupe declared after the add_unique still runs first, and plan says so. */
    @Test
    void aDataStepDeclaredAfterADdlStepRunsFirstAndPlanWarnsAboutIt() throws Exception {
        Path rules = db.write("ddl_first.yaml", """
                id: ddl_first
                steps:
                  - add_unique: {table: action_invariants, name: uq_action_invariants_action_position, columns: [action_name, position]}
                  - dedupe:
                      table: action_invariants
                      key: [action_name, position]
                      repoint: [{table: invariant_checks, column: invariant_id}]
                """);

        Fixture.Result plan = db.run("plan", rules.toString());
        assertThat(plan.code()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains("warning: dedupe action_invariants on (action_name, position) is declared after a DDL step; it runs before all"
                + " DDL steps, in the data transaction");
        assertThat(plan.out().indexOf("step 1/2 [DML] dedupe")).isLessThan(plan.out().indexOf("step 2/2 [DDL] add_unique"));

        Fixture.Result migrate = db.run("migrate", rules.toString());
        assertThat(migrate.code()).as(migrate.toString()).isZero();
        assertThat(db.longs("SELECT id FROM action_invariants ORDER BY id")).containsExactly(1L, 2L, 4L, 7L);
        assertThat(db.constraintExists()).isTrue();
    }

    /** The add_unique's "already exists" note used to end in ": nothing to do", printed under the step's own "nothing to do". */
    @Test
    void planOfAnAddUniqueWhoseConstraintAlreadyExistsSaysNothingToDoOnce() throws Exception {
        db.execute("DELETE FROM invariant_checks WHERE id IN (11, 12, 13)", "DELETE FROM action_invariants WHERE id IN (3, 5, 6)",
                "ALTER TABLE action_invariants ADD CONSTRAINT uq_action_invariants_action_position UNIQUE (action_name, position)");
        Path rules = db.write("exists.yaml", """
                id: exists
                steps:
                  - add_unique: {table: action_invariants, name: uq_action_invariants_action_position, columns: [action_name, position]}
                """);

        Fixture.Result plan = db.run("plan", rules.toString());

        assertThat(plan.code()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains("""
                  step 1/1 [DDL] add_unique uq_action_invariants_action_position on action_invariants (action_name, position)
                      nothing to do
                      constraint uq_action_invariants_action_position already exists on action_invariants with these columns
                """);
        assertThat(plan.out().split("nothing to do", -1)).as(plan.out()).hasSize(2);
        assertThat(db.count("SELECT COUNT(*) FROM action_invariants")).isEqualTo(4);
    }

    @Test
    void onlineModeWithAStepAskingForAStrategyIsInvalid() throws Exception {
        Path online = db.write("online.yaml", """
                id: online_and_strategy
                mode: online
                steps:
                  - dedupe: {table: action_invariants, key: [action_name, position], strategy: shadow_swap,
                             repoint: [{table: invariant_checks, column: invariant_id}]}
                """);
        Fixture.Result both = db.run("plan", online.toString());
        assertThat(both.code()).as(both.toString()).isEqualTo(2);
        assertThat(both.err()).contains("migration online_and_strategy: mode: online runs it with the online strategy, but its steps ask for"
                + " [shadow_swap]; remove one of them");
        assertThat(db.count("SELECT COUNT(*) FROM action_invariants")).isEqualTo(7);
    }

    @Test
    void abandonOnADatabaseNeverMigratedIsInvalid() throws Exception {
        Fixture.Result result = db.run("recover", "--abandon", "a5_006_action_invariants_unique");

        assertThat(result.code()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains("there is no history table in this database, so there is no run of a5_006_action_invariants_unique"
                + " to abandon");
        assertThat(db.count("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_NAME) LIKE 'safemigrate%'")).isZero();
    }
}
