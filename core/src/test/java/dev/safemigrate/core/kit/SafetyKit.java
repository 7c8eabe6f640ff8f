package dev.safemigrate.core.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.model.Expectation;
import dev.safemigrate.core.model.Guards;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.model.SqlCheck;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.DedupeStep;
import dev.safemigrate.core.steps.Repoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Acceptance 5: bad input touches nothing and exits 2 or 3 with a clear message. */
public abstract class SafetyKit extends KitSupport {
    private List<Map<String, Object>> invariantsBefore;
    private List<Map<String, Object>> checksBefore;
    private boolean constraintBefore;

    @BeforeEach
    void seed() throws Exception {
        Fixture.seed(dataSource);
        invariantsBefore = invariants();
        checksBefore = checks();
    }

    private void rememberConstraint() throws Exception {
        constraintBefore = Fixture.constraintExists(dataSource, UNIQUE_NAME);
    }

    private String refusedUntouched(ExitCode code, Migration migration) throws Exception {
        rememberConstraint();
        String message = failure(code, () -> safeMigrate().migrate(List.of(migration))).getMessage();
        assertThat(invariants()).isEqualTo(invariantsBefore);
        assertThat(checks()).isEqualTo(checksBefore);
        assertThat(archiveTables()).isEmpty();
        assertThat(Fixture.constraintExists(dataSource, UNIQUE_NAME)).isEqualTo(constraintBefore);
        assertThat(historyStatus(migration.id())).isNull();
        return message.toLowerCase(java.util.Locale.ROOT);
    }

    @Test
    void unknownTable() throws Exception {
        var step = new AddUniqueStep(TableName.parse("no_such_table"), "uq_x", List.of("a"), null);
        assertThat(refusedUntouched(ExitCode.INVALID, migration("kit_bad_table", step))).contains("no_such_table").contains("does not exist");
    }

    @Test
    void unknownColumn() throws Exception {
        var step = new AddUniqueStep(TableName.parse("action_invariants"), UNIQUE_NAME, List.of("action_name", "no_such_column"), null);
        assertThat(refusedUntouched(ExitCode.INVALID, migration("kit_bad_column", step))).contains("no_such_column").contains("action_invariants");
    }

    @Test
    void foreignKeyWithoutRepoint() throws Exception {
        var dedupe = new DedupeStep(TableName.parse("action_invariants"), List.of("action_name", "position"), List.of(OrderItem.asc("id")),
                NullsMode.DISTINCT, true, List.of());
        String message = refusedUntouched(ExitCode.REFUSED, migration("kit_no_repoint", dedupe, uniqueInvariants()));
        assertThat(message.toLowerCase()).contains("fk_checks_invariant").contains("invariant_checks").contains("repoint");
    }

    @Test
    void guardRefusesDeletingTooMuch() throws Exception {
        Migration migration = migration("kit_guard", new Guards(0.1), List.of(), List.of(), dedupeInvariants(Repoint.OnConflict.FAIL), uniqueInvariants());
        assertThat(refusedUntouched(ExitCode.REFUSED, migration)).contains("max_delete_fraction").contains("60");
    }

    @Test
    void constraintNameTakenByOtherColumns() throws Exception {
        Fixture.execute(dataSource, "ALTER TABLE action_invariants ADD CONSTRAINT " + UNIQUE_NAME + " UNIQUE (id, position)");
        String message = refusedUntouched(ExitCode.REFUSED, exampleMigration());
        assertThat(message).contains(UNIQUE_NAME).contains("already used");
    }

    @Test
    void tableInASchemaThatDoesNotExist() throws Exception {
        var step = new AddUniqueStep(TableName.parse("no_such_schema.action_invariants"), "uq_x", List.of("action_name"), null);
        assertThat(refusedUntouched(ExitCode.INVALID, migration("kit_bad_schema", step))).contains("no_such_schema.action_invariants")
                .contains("does not exist");
    }

    @Test
    void identicalConstraintIsANoop() throws Exception {
        Fixture.execute(dataSource, "ALTER TABLE invariant_checks ADD CONSTRAINT uq_checks_id_label UNIQUE (id, label)");
        var step = new AddUniqueStep(TableName.parse("invariant_checks"), "uq_checks_id_label", List.of("label", "id"), null);

        MigrationReport report = safeMigrate().migrate(List.of(migration("kit_same_constraint", step)));

        assertThat(report.migrations().get(0).steps()).singleElement().satisfies(s -> assertThat(s.outcome().noop()).isTrue());
        assertThat(historyStatus("kit_same_constraint")).isEqualTo("applied");
    }

    @Test
    void failedPreconditionRefuses() throws Exception {
        var pre = new SqlCheck("SELECT COUNT(*) FROM action_invariants", Expectation.exactly(0), "kit:1:1");
        Migration migration = migration("kit_pre", Guards.DEFAULT, List.of(pre), List.of(), dedupeInvariants(Repoint.OnConflict.FAIL), uniqueInvariants());
        assertThat(refusedUntouched(ExitCode.REFUSED, migration)).contains("precondition").contains("expected = 0, got 260");
    }

    /** A row committed after planning but before the run's locks is seen: preconditions are checked under the locks. */
    @Test
    void preconditionsHoldUnderTheRunsLocks() throws Exception {
        var pre = new SqlCheck("SELECT COUNT(*) FROM action_invariants WHERE note = 'forbidden'", Expectation.exactly(0), "kit:1:1");
        Migration migration = migration("kit_pre_locked", Guards.DEFAULT, List.of(pre), List.of(), dedupeInvariants(Repoint.OnConflict.FAIL),
                uniqueInvariants());
        java.util.concurrent.atomic.AtomicBoolean inserted = new java.util.concurrent.atomic.AtomicBoolean();
        StatementHook insertOnFirstArchive = new StatementHook(sql -> {
            String lower = sql == null ? "" : sql.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("create table") && lower.contains("sm_archive") && inserted.compareAndSet(false, true)) {
                Fixture.execute(dataSource, "INSERT INTO action_invariants (id, action_name, position, note) VALUES (999, 'late', 1, 'forbidden')");
            }
        });

        String message = failure(ExitCode.REFUSED, () -> safeMigrate(insertOnFirstArchive).migrate(List.of(migration))).getMessage();

        assertThat(inserted).isTrue();
        assertThat(message).contains("precondition").contains("expected = 0, got 1").contains("nothing was changed");
        assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM action_invariants")).isEqualTo(Fixture.UNIQUE_ROWS + Fixture.DUPLICATE_ROWS + 1);
        assertThat(checks()).isEqualTo(checksBefore);
        assertThat(archiveTables()).isEmpty();
        assertThat(historyStatus("kit_pre_locked")).isNull();
    }

    @Test
    void failedPostconditionRestoresEverything() throws Exception {
        var post = new SqlCheck("SELECT COUNT(*) FROM action_invariants", Expectation.exactly(1), "kit:2:1");
        Migration migration = migration("kit_post", Guards.DEFAULT, List.of(), List.of(post), dedupeInvariants(Repoint.OnConflict.FAIL), uniqueInvariants());
        String message = failure(ExitCode.FAILED_RESTORED, () -> safeMigrate().migrate(List.of(migration))).getMessage();
        assertThat(message).contains("postcondition").contains("got 200");
        assertThat(invariants()).isEqualTo(invariantsBefore);
        assertThat(checks()).isEqualTo(checksBefore);
        assertThat(archivedRowCount()).isZero();
        assertThat(historyStatus("kit_post")).isEqualTo("rolled_back");
    }

    /** {@code migrate} checks the guard on the rows it archived; a refusal there must not rewrite the history of an earlier run. */
    @Test
    void guardRefusalLeavesAnEarlierHistoryRowAsItWas() throws Exception {
        var post = new SqlCheck("SELECT COUNT(*) FROM action_invariants", Expectation.exactly(1), "kit:2:1");
        failure(ExitCode.FAILED_RESTORED, () -> safeMigrate().migrate(List.of(
                migration("kit_again", Guards.DEFAULT, List.of(), List.of(post), dedupeInvariants(Repoint.OnConflict.FAIL), uniqueInvariants()))));
        var earlier = safeMigrate().status(List.of()).history();

        Migration refused = migration("kit_again", new Guards(0.1), List.of(), List.of(), dedupeInvariants(Repoint.OnConflict.FAIL), uniqueInvariants());
        failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(refused)));

        assertThat(safeMigrate().status(List.of()).history()).isEqualTo(earlier);
        assertThat(earlier).singleElement().satisfies(h -> assertThat(h.message()).contains("postcondition"));
        assertThat(invariants()).isEqualTo(invariantsBefore);
        assertThat(archiveTables()).isEmpty();
    }

    /** The duplicate count is left to the constraint's own build; when the build fails, the count names the keys. */
    @Test
    void constraintOverRemainingDuplicatesFailsNamingThemAndRestoresEverything() throws Exception {
        var actionOnly = new AddUniqueStep(TableName.parse("action_invariants"), UNIQUE_NAME, List.of("action_name"), null);
        Migration migration = migration("kit_left_duplicates", dedupeInvariants(Repoint.OnConflict.FAIL), actionOnly);

        String message = failure(ExitCode.FAILED_RESTORED, () -> safeMigrate().migrate(List.of(migration))).getMessage();

        assertThat(message).contains("no duplicates on action_invariants (action_name)").contains("still appear more than once");
        assertThat(invariants()).isEqualTo(invariantsBefore);
        assertThat(checks()).isEqualTo(checksBefore);
        assertThat(archivedRowCount()).isZero();
        assertThat(Fixture.constraintExists(dataSource, UNIQUE_NAME)).isFalse();
        assertThat(historyStatus("kit_left_duplicates")).isEqualTo("rolled_back");
    }

    @Test
    void tableWithoutPrimaryKeyIsRefused() throws Exception {
        Fixture.execute(dataSource, "CREATE TABLE loose (a INTEGER, b INTEGER)");
        var dedupe = new DedupeStep(TableName.parse("loose"), List.of("a"), List.of(), NullsMode.DISTINCT, true, List.of());
        assertThat(refusedUntouched(ExitCode.REFUSED, migration("kit_no_pk", dedupe))).contains("no primary key");
    }
}
