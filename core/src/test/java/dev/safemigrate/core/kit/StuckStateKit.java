package dev.safemigrate.core.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.steps.AddUniqueStep;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A run whose changes are committed and that can be neither completed nor reversed (compensating
 * strategy): exit 5 saying what blocks each way, and always a way out. Mostly the run dies between its
 * phases, then a row takes the id of an archived row and repeats a survivor's key, so the constraint
 * cannot be built and the archived row cannot go back; one run has DDL steps only, so nothing is archived.
 */
public abstract class StuckStateKit extends KitSupport {
    private static final String ID = "kit_001_invariants";
    private List<Object> crashed;

    @BeforeEach
    void seedCompensating() throws Exception {
        Fixture.seed(dataSource);
        Assumptions.assumeTrue("compensating".equals(safeMigrate().plan(List.of(exampleMigration())).migrations().get(0).strategy()),
                "only a strategy whose data changes commit before its DDL can be interrupted between them");
    }

    private void crashBetweenPhasesThenTakeAnArchivedId() throws Exception {
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
        crashBetweenPhasesThenTakeAnArchivedId();
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
        crashBetweenPhasesThenTakeAnArchivedId();
        String message = safeMigrate().abandon(ID);

        assertThat(message).contains("stay committed").contains("kept");
        assertThat(state()).isEqualTo(crashed);
        assertThat(historyStatus(ID)).isEqualTo("failed");
        assertThat(safeMigrate().recover()).isEmpty();
        String again = failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(exampleMigration()))).getMessage();
        assertThat(again).contains("already exists and holds");
        assertThat(state()).isEqualTo(crashed);
        assertThat(failure(ExitCode.INVALID, () -> safeMigrate().abandon(ID)).getMessage())
                .contains("there is no interrupted run of " + ID + " (its history says failed)");
        assertThat(failure(ExitCode.INVALID, () -> safeMigrate().abandon("kit_never_run")).getMessage()).contains("(its history says nothing)");
    }

    /**
     * Completing the interrupted run fails (a new row repeats a survivor's key, so the constraint cannot be
     * built) and no archived id is taken: recover reverses the run from the archive and says so. While
     * putting the rows back fails too, it is exit 5 and nothing moves.
     */
    @Test
    void recoverReversesARunItCannotCompleteAndSaysSo() throws Exception {
        List<Map<String, Object>> invariantsBefore = new ArrayList<>(invariants());
        List<Map<String, Object>> checksBefore = checks();
        try {
            crashingAt(RunListener.Phase.BETWEEN_PHASES).migrate(List.of(exampleMigration()));
        } catch (SimulatedCrash expected) {
            // The data changes are committed, the constraint is not built.
        }
        Fixture.execute(dataSource, "INSERT INTO action_invariants (id, action_name, position) VALUES (300, '" + Fixture.actionName(3) + "', "
                + Fixture.position(3) + ")");
        List<Object> crashedWithNewRow = state();
        StatementHook restoreFails = new StatementHook(sql -> {
            if (sql != null && sql.startsWith("INSERT INTO") && sql.toLowerCase(java.util.Locale.ROOT).contains("action_invariants")) {
                throw new SQLException("injected failure of: " + sql);
            }
        });

        String stuck = failure(ExitCode.INTERMEDIATE, () -> safeMigrate(restoreFails).recover()).getMessage();

        assertThat(stuck).contains("could not complete it (").contains("could not reverse it (putting the data back from the archive failed")
                .contains("injected failure of").contains("NOT reversed").doesNotContain("as it was");
        assertThat(state()).isEqualTo(crashedWithNewRow);
        assertThat(historyStatus(ID)).isEqualTo("in_progress");

        String reversed = safeMigrate().recover().get(0);

        assertThat(reversed).contains("completing the interrupted run failed").contains("so recover reversed it from the archive (");
        invariantsBefore.add(Fixture.query(dataSource, "SELECT * FROM action_invariants WHERE id = 300").get(0));
        assertThat(invariants()).as("every row back, and the new one kept").isEqualTo(invariantsBefore);
        assertThat(checks()).isEqualTo(checksBefore);
        assertThat(Fixture.constraintExists(dataSource, UNIQUE_NAME)).isFalse();
        assertThat(archivedRowCount()).isZero();
        assertThat(historyStatus(ID)).isEqualTo("rolled_back");
    }

    /** Two add_unique steps whose second fails: the first is dropped again, and the message speaks of DDL undone, not of an archive. */
    @Test
    void aReversedRunOfDdlStepsOnlySaysItUndidItsDdl() throws Exception {
        Migration ddlOnly = migration("kit_ddl_reversed",
                new AddUniqueStep(TableName.parse("invariant_checks"), "uq_checks_id_label", List.of("id", "label"), null),
                new AddUniqueStep(TableName.parse("action_invariants"), "uq_ai_id_name", List.of("id", "action_name"), null));
        List<Object> before = List.of(invariants(), checks());
        StatementHook failTheSecond = new StatementHook(sql -> {
            if (sql != null && sql.contains("ADD CONSTRAINT") && sql.contains("uq_ai_id_name")) {
                throw new SQLException("injected failure of: " + sql);
            }
        });

        String message = failure(ExitCode.FAILED_RESTORED, () -> safeMigrate(failTheSecond).migrate(List.of(ddlOnly))).getMessage();

        assertThat(message).contains("reversed by undoing the DDL it had run (it had archived no rows), so the database is as it was")
                .doesNotContain("from the archive");
        assertThat(Fixture.constraintExists(dataSource, "uq_checks_id_label")).isFalse();
        assertThat(Fixture.constraintExists(dataSource, "uq_ai_id_name")).isFalse();
        assertThat(archiveTables()).isEmpty();
        assertThat(List.of(invariants(), checks())).isEqualTo(before);
        assertThat(historyStatus("kit_ddl_reversed")).isEqualTo("rolled_back");
    }

    /**
     * Two add_unique steps and no data step: the first constraint is committed, the second fails, and so
     * does dropping the first. The message must not speak of archived rows or claim anything reversed,
     * and the catalog must show what it says.
     */
    @Test
    void aStuckRunOfDdlStepsOnlySaysItsDdlWasNotReversed() throws Exception {
        Migration ddlOnly = migration("kit_ddl_only",
                new AddUniqueStep(TableName.parse("invariant_checks"), "uq_checks_id_label", List.of("id", "label"), null),
                new AddUniqueStep(TableName.parse("action_invariants"), "uq_ai_id_name", List.of("id", "action_name"), null));
        List<Object> before = List.of(invariants(), checks());
        StatementHook blockTheReversal = new StatementHook(sql -> {
            boolean secondConstraint = sql != null && sql.contains("ADD CONSTRAINT") && sql.contains("uq_ai_id_name");
            if (secondConstraint || sql != null && sql.contains("DROP") && sql.contains("uq_checks_id_label")) {
                throw new SQLException("injected failure of: " + sql);
            }
        });

        String message = failure(ExitCode.INTERMEDIATE, () -> safeMigrate(blockTheReversal).migrate(List.of(ddlOnly))).getMessage();

        assertThat(message).contains("its committed changes (DDL only; no rows were archived) were NOT reversed")
                .contains("injected failure of").contains("recover --abandon kit_ddl_only").doesNotContain("as it was").doesNotContain("archive table(s)");
        assertThat(Fixture.constraintExists(dataSource, "uq_checks_id_label")).as("the committed DDL, not reversed").isTrue();
        assertThat(Fixture.constraintExists(dataSource, "uq_ai_id_name")).isFalse();
        assertThat(archiveTables()).isEmpty();
        assertThat(List.of(invariants(), checks())).isEqualTo(before);
        assertThat(historyStatus("kit_ddl_only")).isEqualTo("in_progress");

        // The way out: once the cause is gone, recover runs the missing DDL.
        assertThat(safeMigrate().recover()).singleElement().satisfies(line -> assertThat(line).contains("now applied"));
        assertThat(historyStatus("kit_ddl_only")).isEqualTo("applied");
        assertThat(Fixture.constraintExists(dataSource, "uq_ai_id_name")).isTrue();
        assertThat(List.of(invariants(), checks())).isEqualTo(before);
    }
}
