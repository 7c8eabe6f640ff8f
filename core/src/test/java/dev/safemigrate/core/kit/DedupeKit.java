package dev.safemigrate.core.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.steps.Repoint;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Acceptance 1: survivors, repointed children, exact archive, constraint in the catalog, row accounting. */
public abstract class DedupeKit extends KitSupport {

    @Test
    void keepsFirstRowOfEachGroupRepointsChildrenAndArchivesExactly() throws Exception {
        Fixture.seed(dataSource);
        List<Map<String, Object>> before = invariants();
        List<Map<String, Object>> checksBefore = checks();

        MigrationReport report = safeMigrate().migrate(List.of(exampleMigration()));

        assertThat(report.migrations()).singleElement().satisfies(r -> assertThat(r.outcome()).isEqualTo("applied"));
        List<Map<String, Object>> survivors = before.stream().filter(r -> id(r) <= Fixture.UNIQUE_ROWS).toList();
        List<Map<String, Object>> losers = before.stream().filter(r -> id(r) > Fixture.UNIQUE_ROWS).toList();
        assertThat(invariants()).isEqualTo(survivors);
        assertThat(archived("action_invariants")).isEqualTo(losers);

        List<Map<String, Object>> expectedChecks = new ArrayList<>();
        List<Map<String, Object>> repointed = new ArrayList<>();
        for (Map<String, Object> row : checksBefore) {
            long target = ((Number) row.get("invariant_id")).longValue();
            Map<String, Object> after = new HashMap<>(row);
            if (target > Fixture.UNIQUE_ROWS) {
                after.put("invariant_id", numberLike(row.get("invariant_id"), (target - Fixture.UNIQUE_ROWS) * 3));
                repointed.add(row);
            }
            expectedChecks.add(after);
        }
        assertThat(checks()).isEqualTo(expectedChecks);
        assertThat(archived("invariant_checks")).isEqualTo(repointed);
        assertThat(Fixture.constraintExists(dataSource, UNIQUE_NAME)).isTrue();
        assertThat(before.size()).isEqualTo(invariants().size() + archived("action_invariants").size());
        assertThat(checksBefore).hasSameSizeAs(checks());
        assertThat(historyStatus("kit_001_invariants")).isEqualTo("applied");
    }

    @Test
    void keepOrderDescendingKeepsTheHeaviestRow() throws Exception {
        Fixture.seed(dataSource);
        var migration = migration("kit_002_desc", dedupeInvariants(Repoint.OnConflict.FAIL, new OrderItem("weight", true)), uniqueInvariants());

        safeMigrate().migrate(List.of(migration));

        List<Object> survivingIds = invariants().stream().map(r -> (Object) id(r)).toList();
        assertThat(survivingIds).contains(201L, 260L).doesNotContain(3L, 180L).hasSize(Fixture.UNIQUE_ROWS);
        assertThat(checks().stream().filter(r -> id(r) == 1).findFirst().orElseThrow().get("invariant_id")).isEqualTo(numberLike(1, 1));
    }

    @Test
    void onConflictDeleteArchivesAndDeletesTheClashingChild() throws Exception {
        Fixture.seed(dataSource);
        Fixture.execute(dataSource, "INSERT INTO invariant_checks (id, invariant_id, label) VALUES (151, 3, 'clash')",
                "INSERT INTO invariant_checks (id, invariant_id, label) VALUES (152, 201, 'clash')");
        List<Map<String, Object>> checksBefore = checks();

        failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(exampleMigration())));
        assertThat(checks()).isEqualTo(checksBefore);

        safeMigrate().migrate(List.of(migration("kit_003_clash", dedupeInvariants(Repoint.OnConflict.DELETE), uniqueInvariants())));

        assertThat(checks()).extracting(r -> id(r)).doesNotContain(152L).contains(151L);
        assertThat(checks()).hasSize(checksBefore.size() - 1);
        List<Map<String, Object>> childArchive = archived("invariant_checks");
        assertThat(childArchive).contains(checksBefore.stream().filter(r -> id(r) == 152).findFirst().orElseThrow());
        assertThat(checksBefore.size()).isEqualTo(checks().size() + childArchive.stream().filter(r -> id(r) == 152).count());
    }

    @Test
    void nullKeysAreNeverDuplicatesByDefault() throws Exception {
        Fixture.execute(dataSource, "CREATE TABLE tags (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(20), scope VARCHAR(20))",
                "INSERT INTO tags (id, name, scope) VALUES (1, 'a', NULL), (2, 'a', NULL), (3, 'a', 'x'), (4, 'a', 'x'), (5, NULL, NULL)");
        var dedupe = new dev.safemigrate.core.steps.DedupeStep(TableName.parse("tags"), List.of("name", "scope"), List.of(),
                dev.safemigrate.core.model.NullsMode.DISTINCT, true, List.of());
        var unique = new dev.safemigrate.core.steps.AddUniqueStep(TableName.parse("tags"), "uq_tags", List.of("name", "scope"), null);

        safeMigrate().migrate(List.of(migration("kit_004_nulls", dev.safemigrate.core.model.Guards.DEFAULT, List.of(), List.of(), dedupe, unique)));

        assertThat(Fixture.rows(dataSource, "tags", "id")).extracting(r -> id(r)).containsExactly(1L, 2L, 3L, 5L);
        assertThat(Fixture.constraintExists(dataSource, "uq_tags")).isTrue();
    }

    @Test
    void secondMigrateIsANoopAndAnEditedMigrationIsRejected() throws Exception {
        Fixture.seed(dataSource);
        safeMigrate().migrate(List.of(exampleMigration()));
        List<Map<String, Object>> after = invariants();

        MigrationReport again = safeMigrate().migrate(List.of(exampleMigration()));

        assertThat(again.migrations()).singleElement().satisfies(r -> assertThat(r.outcome()).isEqualTo("already_applied"));
        assertThat(invariants()).isEqualTo(after);
        var edited = migration("kit_001_invariants", dedupeInvariants(Repoint.OnConflict.DELETE), uniqueInvariants());
        String message = failure(ExitCode.INVALID, () -> safeMigrate().migrate(List.of(edited))).getMessage();
        assertThat(message).contains("kit_001_invariants").contains("changed after it was applied");
    }

    @Test
    void concurrentRunsMigrateOnce() throws Exception {
        Fixture.seed(dataSource);
        List<MigrationReport> reports = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            threads.add(new Thread(() -> {
                try {
                    reports.add(safeMigrate().migrate(List.of(exampleMigration())));
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(errors).isEmpty();
        assertThat(reports).extracting(r -> r.migrations().get(0).outcome()).containsExactlyInAnyOrder("applied", "already_applied");
        assertThat(invariants()).hasSize(Fixture.UNIQUE_ROWS);
        assertThat(archived("action_invariants")).hasSize(Fixture.DUPLICATE_ROWS);
    }

    protected static long id(Map<String, Object> row) {
        return ((Number) row.get("id")).longValue();
    }

    /** {@code value} as the same Java type the driver used for {@code sample}, so row maps compare equal. */
    protected static Object numberLike(Object sample, long value) {
        if (sample instanceof Long) {
            return value;
        }
        if (sample instanceof BigDecimal) {
            return BigDecimal.valueOf(value);
        }
        return (int) value;
    }
}
