package dev.safemigrate.core.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.UndoReport;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.DedupeStep;
import dev.safemigrate.core.steps.Repoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** undo never overwrites what happened after the migration unless told to, and ids are compared exactly. */
public abstract class UndoSafetyKit extends KitSupport {
    private List<Object> original;

    @BeforeEach
    void seed() throws Exception {
        Fixture.seed(dataSource);
        original = state();
    }

    private List<Object> state() throws Exception {
        return List.of(invariants(), checks(), Fixture.constraintExists(dataSource, UNIQUE_NAME));
    }

    /** Once the example ran, checks 101..150 share parents with checks 1..100: this dedupe of the child deletes some. */
    private static Migration dedupeChecks() {
        return migration("kit_later_checks", new DedupeStep(TableName.parse("invariant_checks"), List.of("invariant_id"),
                List.of(OrderItem.asc("id")), NullsMode.DISTINCT, true, List.of()));
    }

    @Test
    void undoIsRefusedWhileALaterMigrationChangedTheSameTables() throws Exception {
        safeMigrate().migrate(List.of(exampleMigration()));
        safeMigrate().migrate(List.of(dedupeChecks()));
        List<Object> afterBoth = state();

        String message = failure(ExitCode.REFUSED, () -> safeMigrate().undo(exampleMigration().id())).getMessage();

        assertThat(message).contains("kit_later_checks").containsIgnoringCase("invariant_checks").contains("nothing was changed");
        assertThat(state()).isEqualTo(afterBoth);
        safeMigrate().undo("kit_later_checks");
        safeMigrate().undo(exampleMigration().id());
        assertThat(state()).isEqualTo(original);
    }

    /** --force puts this migration's rows and values back over the later one's and says so; the rows the later one deleted stay deleted. */
    @Test
    void aForcedUndoDespiteALaterMigrationSaysWhatItOverrode() throws Exception {
        safeMigrate().migrate(List.of(exampleMigration()));
        safeMigrate().migrate(List.of(dedupeChecks()));
        List<Map<String, Object>> checksAfterBoth = checks();

        UndoReport forced = safeMigrate().undo(exampleMigration().id(), true);

        assertThat(forced.notes()).anySatisfy(n -> assertThat(n).startsWith("--force: undone although later applied migration(s) changed tables"
                + " it would put back").contains("kit_later_checks"));
        assertThat(invariants()).isEqualTo(original.get(0));
        // The checks the later migration kept point at their original parents again; the ones it deleted stay deleted.
        List<Object> kept = checksAfterBoth.stream().map(row -> row.get("id")).toList();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> originalChecks = (List<Map<String, Object>>) original.get(1);
        assertThat(checks()).isEqualTo(originalChecks.stream().filter(row -> kept.contains(row.get("id"))).toList());
        assertThat(Fixture.constraintExists(dataSource, UNIQUE_NAME)).isFalse();
        assertThat(historyStatus(exampleMigration().id())).isEqualTo("undone");
        assertThat(historyStatus("kit_later_checks")).isEqualTo("applied");
    }

    @Test
    void undoIsRefusedWhenARepointedRowWasChangedSinceUnlessForced() throws Exception {
        safeMigrate().migrate(List.of(exampleMigration()));
        Fixture.execute(dataSource, "UPDATE invariant_checks SET invariant_id = 1 WHERE id = 101");
        List<Object> changed = state();

        String message = failure(ExitCode.REFUSED, () -> safeMigrate().undo(exampleMigration().id())).getMessage();
        assertThat(message).contains("(101)").contains("changed or deleted since").contains("--force");
        assertThat(state()).isEqualTo(changed);

        UndoReport forced = safeMigrate().undo(exampleMigration().id(), true);
        assertThat(forced.notes()).singleElement().satisfies(n -> assertThat(n).contains("--force").contains("(101)"));
        assertThat(state()).isEqualTo(original);
    }

    @Test
    void idsDifferingOnlyInCaseAreTwoMigrations() throws Exception {
        Migration upper = migration("Kit_Case", dedupeInvariants(dev.safemigrate.core.steps.Repoint.OnConflict.FAIL), uniqueInvariants());
        Migration lower = migration("kit_case", new AddUniqueStep(TableName.parse("invariant_checks"), "uq_checks_id_label",
                List.of("id", "label"), null));

        safeMigrate().migrate(List.of(upper, lower));
        assertThat(safeMigrate().status(List.of()).history()).extracting(h -> h.id() + "=" + h.status())
                .containsExactlyInAnyOrder("Kit_Case=applied", "kit_case=applied");
        safeMigrate().undo("Kit_Case");

        assertThat(state()).isEqualTo(original);
        assertThat(historyStatus("Kit_Case")).isEqualTo("undone");
        assertThat(historyStatus("kit_case")).isEqualTo("applied");
        assertThat(Fixture.constraintExists(dataSource, "uq_checks_id_label")).isTrue();
    }

    @Test
    void undoIsRefusedNamingAnArchiveThatWasDropped() throws Exception {
        safeMigrate().migrate(List.of(exampleMigration()));
        String archive = archiveTables().stream().filter(t -> t.toLowerCase().endsWith("_action_invariants")).findFirst().orElseThrow();
        Fixture.execute(dataSource, "DROP TABLE " + archive);
        List<Object> migrated = state();

        String message = failure(ExitCode.REFUSED, () -> safeMigrate().undo(exampleMigration().id())).getMessage();

        assertThat(message).contains(archive).contains("no longer exists").contains("nothing was changed");
        assertThat(state()).isEqualTo(migrated);
        assertThat(historyStatus(exampleMigration().id())).isEqualTo("applied");
    }

    /** The example, without keeping the deleted rows. */
    private static Migration exampleWithoutArchive() {
        return migration("kit_no_archive", new DedupeStep(TableName.parse("action_invariants"), List.of("action_name", "position"),
                List.of(OrderItem.asc("id")), NullsMode.DISTINCT, false,
                List.of(new Repoint(TableName.parse("invariant_checks"), "invariant_id", Repoint.OnConflict.FAIL))), uniqueInvariants());
    }

    @Test
    void aMigrationRunWithoutArchiveDropsItOnceAppliedAndRefusesUndo() throws Exception {
        safeMigrate().migrate(List.of(exampleWithoutArchive()));
        List<Object> migrated = state();
        assertThat(invariants()).hasSize(Fixture.UNIQUE_ROWS);
        assertThat(archiveTables()).isEmpty();

        String message = failure(ExitCode.REFUSED, () -> safeMigrate().undo("kit_no_archive")).getMessage();

        assertThat(message).contains("archive: false").contains("cannot be undone");
        assertThat(state()).isEqualTo(migrated);
        assertThat(historyStatus("kit_no_archive")).isEqualTo("applied");
    }

    /**
     * Found by the schema fuzzer: undo first finishes what an earlier run left (here the drop of an archive: false
     * table); refused afterwards, it said only "cannot be undone", as if nothing had been done.
     */
    @Test
    void aRefusedUndoSaysWhatTheRecoverBeforeItDid() throws Exception {
        safeMigrate(StatementHook.failing("DROP TABLE")).migrate(List.of(exampleWithoutArchive()));
        assertThat(archiveTables()).isNotEmpty();

        String message = failure(ExitCode.REFUSED, () -> safeMigrate().undo("kit_no_archive")).getMessage();

        assertThat(message).contains("archive: false").contains("before that, recover").contains("dropped the archive table(s)");
        assertThat(archiveTables()).isEmpty();
        assertThat(historyStatus("kit_no_archive")).isEqualTo("applied");
    }

    /** The archive is dropped only after the run is recorded applied; a failed drop is said, and the next recover finishes it. */
    @Test
    void anArchiveNotToKeepThatCouldNotBeDroppedIsDroppedByTheNextRecover() throws Exception {
        MigrationReport report = safeMigrate(StatementHook.failing("DROP TABLE")).migrate(List.of(exampleWithoutArchive()));

        assertThat(report.migrations()).singleElement().satisfies(r -> assertThat(r.warnings())
                .anySatisfy(w -> assertThat(w).contains("applied").contains("could not all be dropped yet").contains("next migrate or recover")));
        assertThat(invariants()).hasSize(Fixture.UNIQUE_ROWS);
        assertThat(historyStatus("kit_no_archive")).isEqualTo("applied");
        assertThat(archivedRowCount()).as("the deleted rows and the repointed children's old values").isEqualTo(Fixture.DUPLICATE_ROWS + 50);
        List<Object> migrated = state();

        assertThat(safeMigrate().recover()).singleElement().satisfies(line -> assertThat(line).contains("kit_no_archive")
                .contains("dropped the archive table(s)").contains("archive: false"));

        assertThat(archiveTables()).isEmpty();
        assertThat(state()).isEqualTo(migrated);
        assertThat(failure(ExitCode.REFUSED, () -> safeMigrate().undo("kit_no_archive")).getMessage()).contains("archive: false");
    }
}
