package dev.safemigrate.core.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.safemigrate.core.HistoryEntry;
import dev.safemigrate.core.MigrationPlan;
import dev.safemigrate.core.StatusReport;
import dev.safemigrate.core.VerifyReport;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.steps.DedupeStep;
import dev.safemigrate.core.steps.Repoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Acceptance 6: plan changes nothing and counts; verify finds duplicates and lists them; status finds edited migrations. */
public abstract class PlanVerifyKit extends KitSupport {

    @Test
    void planCountsAndChangesNothing() throws Exception {
        Fixture.seed(dataSource);
        List<Map<String, Object>> before = invariants();
        List<String> tablesBefore = Fixture.tables(dataSource);

        MigrationPlan plan = safeMigrate().plan(List.of(exampleMigration()));

        MigrationPlan.Item item = plan.migrations().get(0);
        assertThat(item.status()).isEqualTo("pending");
        MigrationPlan.StepPlan dedupe = item.steps().get(0);
        assertThat(dedupe.estimate().rowsToDelete()).isEqualTo(Fixture.DUPLICATE_ROWS);
        assertThat(dedupe.estimate().rowsToUpdate()).isEqualTo(50);
        assertThat(dedupe.estimate().tableRows()).isEqualTo(Fixture.UNIQUE_ROWS + Fixture.DUPLICATE_ROWS);
        assertThat(dedupe.estimate().sampleKeys()).hasSize(5).allSatisfy(k -> assertThat(k).matches("\\(action_\\d+, \\d+\\) x2"));
        assertThat(item.steps().get(1).summary()).contains("add_unique");
        assertThat(invariants()).isEqualTo(before);
        assertThat(Fixture.tables(dataSource)).containsExactlyInAnyOrderElementsOf(tablesBefore);
    }

    /** A table named with its schema (the connection's own) is the same table. */
    @Test
    void aTableQualifiedWithItsOwnSchemaIsTheSameTable() throws Exception {
        Fixture.seed(dataSource);
        String schema;
        try (java.sql.Connection connection = dataSource.getConnection()) {
            // MySQL's schemas are its catalogs (databases).
            schema = connection.getSchema() != null ? connection.getSchema() : connection.getCatalog();
        }
        Migration qualified = migration("kit_qualified", new DedupeStep(TableName.parse(schema + ".action_invariants"),
                List.of("action_name", "position"), List.of(OrderItem.asc("id")), NullsMode.DISTINCT, true,
                List.of(new Repoint(TableName.parse(schema + ".invariant_checks"), "invariant_id", Repoint.OnConflict.FAIL))));

        MigrationPlan.StepPlan dedupe = safeMigrate().plan(List.of(qualified)).migrations().get(0).steps().get(0);

        assertThat(dedupe.estimate().rowsToDelete()).isEqualTo(Fixture.DUPLICATE_ROWS);
        assertThat(dedupe.estimate().rowsToUpdate()).isEqualTo(50);
    }

    /** Online mode is planned where the dialect has a key guard and online DDL, and otherwise refused naming what is missing. */
    @Test
    void onlineModeIsPlannedOrRefusedNamingWhatIsMissing() throws Exception {
        Fixture.seed(dataSource);
        dev.safemigrate.core.spi.Dialect dialect = detectedDialect();
        Migration online = exampleMigration().inOnlineMode(dev.safemigrate.core.model.Online.DEFAULT);
        if (dialect.keyGuard().isPresent() && dialect.onlineDdl().isPresent()) {
            MigrationPlan.Item item = safeMigrate().plan(List.of(online)).migrations().get(0);
            assertThat(item.strategy()).isEqualTo("online");
            assertThat(item.strategyPlan()).anyMatch(line -> line.contains("installs the key guard"))
                    .anyMatch(line -> line.contains("removes " + Fixture.DUPLICATE_ROWS + " duplicate row(s) in about 2 chunk(s)"));
            return;
        }
        String refusal = failure(dev.safemigrate.core.ExitCode.REFUSED, () -> safeMigrate().plan(List.of(online))).getMessage();
        assertThat(refusal).contains("mode: online is refused").contains("the " + dialect.name() + " dialect");
        assertThat(refusal.contains("no key guard")).isEqualTo(dialect.keyGuard().isEmpty());
        assertThat(refusal.contains("no online DDL")).isEqualTo(dialect.onlineDdl().isEmpty());
        assertThat(historyStatus(online.id())).isNull();
    }

    /** Plan changes nothing, so a step after one that changes its table is counted on today's data, and says so. */
    @Test
    void aStepCountedBeforeAnEarlierStepChangesItsTableSaysSo() throws Exception {
        Fixture.seed(dataSource);
        var dedupeChecks = new DedupeStep(TableName.parse("invariant_checks"), List.of("invariant_id"), List.of(OrderItem.asc("id")),
                NullsMode.DISTINCT, true, List.of());

        MigrationPlan plan = safeMigrate().plan(List.of(migration("kit_two_dedupes", dedupeInvariants(Repoint.OnConflict.FAIL), dedupeChecks)));

        List<MigrationPlan.StepPlan> steps = plan.migrations().get(0).steps();
        assertThat(steps.get(0).estimate().notes()).noneMatch(n -> n.contains("counted on the data as it is now"));
        assertThat(steps.get(1).estimate().notes()).anySatisfy(n -> assertThat(n).contains("counted on the data as it is now")
                .contains("dedupe action_invariants").contains("invariant_checks"));
    }

    @Test
    void verifyListsDuplicatesUntilMigrated() throws Exception {
        Fixture.seed(dataSource);

        VerifyReport before = safeMigrate().verify(List.of(exampleMigration()));

        assertThat(before.holds()).isFalse();
        VerifyReport.Check violation = before.violations().get(0);
        assertThat(violation.result().count()).isEqualTo(Fixture.DUPLICATE_ROWS);
        assertThat(violation.result().samples()).hasSize(5);
        assertThat(violation.result().message()).contains("action_invariants");

        safeMigrate().migrate(List.of(exampleMigration()));

        assertThat(safeMigrate().verify(List.of(exampleMigration())).holds()).isTrue();
    }

    @Test
    void statusNamesAnAppliedMigrationWhoseChecksumChangedSince() throws Exception {
        Fixture.seed(dataSource);
        Migration applied = exampleMigration();
        safeMigrate().migrate(List.of(applied));
        Migration edited = new Migration(applied.id(), applied.description(), "edited", applied.source(), applied.guards(), applied.steps(),
                applied.preconditions(), applied.postconditions());

        StatusReport status = safeMigrate().status(List.of(edited, migration("kit_002_pending", uniqueInvariants())));

        assertThat(status.changed()).containsExactly(new StatusReport.Changed(applied.id(), applied.source(), "edited", applied.checksum()));
        assertThat(status.pending()).containsExactly("kit_002_pending");
        assertThat(status.history()).extracting(HistoryEntry::id, HistoryEntry::status).containsExactly(
                tuple(applied.id(), dev.safemigrate.core.HistoryStatus.APPLIED));
        assertThat(safeMigrate().status(List.of(applied)).changed()).isEmpty();
    }
}
