package dev.safemigrate.core.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.UndoReport;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.Repoint;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Migrate then undo leaves every table identical, row by row; undo is atomic and refuses collisions. */
public abstract class UndoKit extends KitSupport {

    private record State(List<Map<String, Object>> invariants, List<Map<String, Object>> checks, boolean constraint) {
    }

    private State state() throws Exception {
        return new State(invariants(), checks(), Fixture.constraintExists(dataSource, UNIQUE_NAME));
    }

    @Test
    void undoPutsEveryRowBackAndDropsTheConstraint() throws Exception {
        Fixture.seed(dataSource);
        State before = state();
        safeMigrate().migrate(List.of(exampleMigration()));

        UndoReport report = safeMigrate().undo(exampleMigration().id());

        assertThat(state()).isEqualTo(before);
        assertThat(report.rowsRestored()).isEqualTo(Fixture.DUPLICATE_ROWS + 50);
        assertThat(report.objectsDropped()).isEqualTo(1);
        assertThat(archiveTables()).isEmpty();
        assertThat(historyStatus(exampleMigration().id())).isEqualTo("undone");

        safeMigrate().migrate(List.of(exampleMigration()));
        assertThat(invariants()).hasSize(Fixture.UNIQUE_ROWS);
        assertThat(historyStatus(exampleMigration().id())).isEqualTo("applied");
    }

    @Test
    void anArchiveTheUndoCouldNotDropIsReportedAndDroppedByTheNextRecover() throws Exception {
        Fixture.seed(dataSource);
        State before = state();
        safeMigrate().migrate(List.of(exampleMigration()));

        UndoReport report = safeMigrate(StatementHook.failing("DROP TABLE")).undo(exampleMigration().id());

        assertThat(state()).isEqualTo(before);
        assertThat(historyStatus(exampleMigration().id())).isEqualTo("undone");
        assertThat(report.notes()).anySatisfy(n -> assertThat(n).contains("could not be removed yet").contains("next migrate or recover"));
        assertThat(archiveTables()).isNotEmpty();
        assertThat(archivedRowCount()).isZero();

        assertThat(safeMigrate().recover()).anySatisfy(line -> assertThat(line).contains(exampleMigration().id()).contains("removed leftover archive"));
        assertThat(archiveTables()).isEmpty();
        assertThat(state()).isEqualTo(before);
    }

    /**
     * The undo's data transaction fails, and so does creating again the constraint it dropped (where DDL
     * commits): the message must not claim the constraint is back, and recover must bring it back.
     */
    @Test
    void aFailedUndoThatCouldNotCreateTheConstraintAgainSaysSoAndRecoverCreatesIt() throws Exception {
        Fixture.seed(dataSource);
        safeMigrate().migrate(List.of(exampleMigration()));
        State migrated = state();
        StatementHook restoreAndConstraintFail = new StatementHook(sql -> {
            String upper = sql == null ? "" : sql.toUpperCase(java.util.Locale.ROOT);
            if (upper.startsWith("INSERT") && upper.contains("SM_ARCHIVE") || upper.startsWith("ALTER TABLE") && upper.contains(" ADD ")) {
                throw new SQLException("injected failure of: " + sql);
            }
        });

        SafeMigrateException e = catchThrowableOfType(SafeMigrateException.class,
                () -> safeMigrate(restoreAndConstraintFail).undo(exampleMigration().id()));

        assertThat(historyStatus(exampleMigration().id())).isEqualTo("applied");
        assertThat(invariants()).isEqualTo(migrated.invariants());
        assertThat(checks()).isEqualTo(migrated.checks());
        if (Fixture.constraintExists(dataSource, UNIQUE_NAME)) {
            assertThat(e.exitCode()).isEqualTo(ExitCode.FAILED_RESTORED);
            assertThat(e.getMessage()).contains("Nothing was changed");
        } else {
            assertThat(e.exitCode()).isEqualTo(ExitCode.INTERMEDIATE);
            assertThat(e.getMessage()).contains("every row is as it was").containsIgnoringCase(UNIQUE_NAME)
                    .contains("could not be created again").contains("recover").doesNotContain("Nothing was changed");
            assertThat(safeMigrate().recover()).anySatisfy(line -> assertThat(line).contains("re-created 1 dropped object"));
        }
        assertThat(state()).isEqualTo(migrated);
        safeMigrate().undo(exampleMigration().id());
        assertThat(historyStatus(exampleMigration().id())).isEqualTo("undone");
    }

    @Test
    void undoIsRefusedWhenANewRowTookTheKeyOfARowToRestore() throws Exception {
        Fixture.seed(dataSource);
        safeMigrate().migrate(List.of(exampleMigration()));
        Fixture.execute(dataSource, "INSERT INTO action_invariants (id, action_name, position) VALUES (201, 'new_action', 1)");
        State migrated = state();

        String message = failure(ExitCode.REFUSED, () -> safeMigrate().undo(exampleMigration().id())).getMessage();

        assertThat(message).contains("201").contains("nothing was changed");
        assertThat(state()).isEqualTo(migrated);
        assertThat(historyStatus(exampleMigration().id())).isEqualTo("applied");
    }

    @Test
    void undoOfAnUnknownOrUnappliedMigrationIsRefused() throws Exception {
        Fixture.seed(dataSource);
        failure(ExitCode.INVALID, () -> safeMigrate().undo("nothing_here"));
        safeMigrate().migrate(List.of(exampleMigration()));
        safeMigrate().undo(exampleMigration().id());
        failure(ExitCode.REFUSED, () -> safeMigrate().undo(exampleMigration().id()));
    }

    /**
     * Found by the schema fuzzer: where DDL commits, a failed drop of the second of two constraints left the first
     * dropped, and undo exited 5 (recover had to create it again); it is created again at once, as after any failure.
     */
    @Test
    void anUndoWhoseSecondDropFailsCreatesTheFirstAgain() throws Exception {
        Fixture.seed(dataSource);
        Migration twoConstraints = migration("kit_two_constraints", dedupeInvariants(Repoint.OnConflict.FAIL), uniqueInvariants(),
                new AddUniqueStep(TableName.parse("invariant_checks"), "uq_checks_id_label", List.of("id", "label"), null));
        safeMigrate().migrate(List.of(twoConstraints));
        State migrated = state();
        StatementHook failSecondDrop = new StatementHook(sql -> {
            if (sql != null && sql.contains("DROP") && sql.contains(UNIQUE_NAME)) {
                throw new SQLException("injected failure of: " + sql);
            }
        });

        String message = failure(ExitCode.FAILED_RESTORED, () -> safeMigrate(failSecondDrop).undo("kit_two_constraints")).getMessage();

        assertThat(message).contains("Nothing was changed");
        assertThat(state()).isEqualTo(migrated);
        assertThat(Fixture.constraintExists(dataSource, "uq_checks_id_label")).isTrue();
        assertThat(historyStatus("kit_two_constraints")).isEqualTo("applied");
        assertThat(safeMigrate().recover()).isEmpty();
    }

    @Test
    void everyStatementOfAnUndoFailingLeavesItAppliedOrUndone() throws Exception {
        Fixture.seed(dataSource);
        State original = state();
        safeMigrate().migrate(List.of(exampleMigration()));
        State migrated = state();
        FaultInjector counter = new FaultInjector(0);
        safeMigrate(counter).undo(exampleMigration().id());
        int statements = counter.executed();

        int stayedApplied = 0;
        int undone = 0;
        for (int n = 1; n <= statements; n++) {
            freshDatabase("undo" + n);
            Fixture.seed(dataSource);
            safeMigrate().migrate(List.of(exampleMigration()));
            FaultInjector fault = new FaultInjector(n);
            String failed = null;
            try {
                safeMigrate(fault).undo(exampleMigration().id());
            } catch (SafeMigrateException e) {
                assertThat(e.exitCode()).as("fault at %d (%s): %s", n, fault.failedStatement(), e.getMessage()).isEqualTo(ExitCode.FAILED_RESTORED);
                failed = e.getMessage();
            }
            String where = "undo with a fault at statement " + n + " of " + statements + ": " + fault.failedStatement();
            State after = state();
            if (failed != null) {
                // Exit 1 says nothing was changed (found by the schema fuzzer: a journal read after the undo committed was reported so).
                assertThat(after).as(where + ", reported as: " + failed).isEqualTo(migrated);
            }
            if (after.equals(original)) {
                undone++;
                assertThat(historyStatus(exampleMigration().id())).as(where).isEqualTo("undone");
            } else {
                assertThat(after).as(where).isEqualTo(migrated);
                assertThat(historyStatus(exampleMigration().id())).as(where).isEqualTo("applied");
                stayedApplied++;
                safeMigrate().undo(exampleMigration().id());
                assertThat(state()).as(where + ", then a clean undo").isEqualTo(original);
            }
        }
        System.out.printf("undo fault sweep (%s): %d fault points tried, %d stayed applied, %d undone, 0 rows lost%n",
                getClass().getSimpleName(), statements, stayedApplied, undone);
        assertThat(stayedApplied + undone).isEqualTo(statements);
    }
}
