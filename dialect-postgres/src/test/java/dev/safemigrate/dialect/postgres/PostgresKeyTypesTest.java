package dev.safemigrate.dialect.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.DedupeStep;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keys PostgreSQL cannot enforce are refused by plan (exit 3), before a run would fail on them. */
class PostgresKeyTypesTest extends PostgresTestSupport {

    private Migration dedupeAndUnique(String id, String table, String... key) {
        return migration(id, new DedupeStep(TableName.parse(table), List.of(key), List.of(OrderItem.asc("id")), NullsMode.DISTINCT, true, List.of()),
                new AddUniqueStep(TableName.parse(table), "uq_" + id, List.of(key), null));
    }

    @Test
    void aJsonKeyIsRefusedByPlan() throws Exception {
        Fixture.execute(dataSource, "CREATE TABLE doc (id INTEGER PRIMARY KEY, body JSON, tags JSON[], code VARCHAR(10))",
                "INSERT INTO doc VALUES (1, '{\"a\": 1}', NULL, 'x'), (2, '{\"a\": 1}', NULL, 'x')");

        String json = failure(ExitCode.REFUSED, () -> safeMigrate().plan(List.of(dedupeAndUnique("pg_json", "doc", "body")))).getMessage();
        String array = failure(ExitCode.REFUSED, () -> safeMigrate().plan(List.of(dedupeAndUnique("pg_json_array", "doc", "tags")))).getMessage();
        String unique = failure(ExitCode.REFUSED, () -> safeMigrate().plan(List.of(migration("pg_json_unique",
                new AddUniqueStep(TableName.parse("doc"), "uq_doc_body", List.of("body"), null))))).getMessage();

        assertThat(json).contains("column body is of type json").contains("cannot compare");
        assertThat(array).contains("column tags is of type json[]");
        assertThat(unique).contains("column body is of type json");
        assertThat(safeMigrate().plan(List.of(dedupeAndUnique("pg_varchar", "doc", "code"))).migrations()).hasSize(1);
    }

    @Test
    void aUniqueKeyWithoutThePartitionKeyIsRefusedByPlan() throws Exception {
        Fixture.execute(dataSource, "CREATE TABLE event (id INTEGER NOT NULL, region INTEGER NOT NULL, name TEXT NOT NULL,"
                        + " PRIMARY KEY (id, region)) PARTITION BY LIST (region)",
                "CREATE TABLE event_1 PARTITION OF event FOR VALUES IN (1)", "CREATE TABLE event_2 PARTITION OF event FOR VALUES IN (2)",
                "INSERT INTO event VALUES (1, 1, 'a'), (2, 1, 'a'), (3, 2, 'a')");
        Migration withoutRegion = migration("pg_part", new AddUniqueStep(TableName.parse("event"), "uq_event_name", List.of("name"), null));
        Migration withRegion = migration("pg_part_ok", new DedupeStep(TableName.parse("event"), List.of("name", "region"),
                List.of(OrderItem.asc("id")), NullsMode.DISTINCT, true, List.of()),
                new AddUniqueStep(TableName.parse("event"), "uq_event_name_region", List.of("name", "region"), null));

        String message = failure(ExitCode.REFUSED, () -> safeMigrate().plan(List.of(withoutRegion))).getMessage();
        safeMigrate().migrate(List.of(withRegion));

        assertThat(message).contains("partitioned by (region)").contains("uq_event_name");
        assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM event")).isEqualTo(2);
        assertThat(Fixture.constraintExists(dataSource, "uq_event_name_region")).isTrue();
        safeMigrate().undo("pg_part_ok");
        assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM event")).isEqualTo(3);
    }
}
