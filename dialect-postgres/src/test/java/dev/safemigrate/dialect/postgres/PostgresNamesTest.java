package dev.safemigrate.dialect.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.NullsMode;
import dev.safemigrate.core.model.OrderItem;
import dev.safemigrate.core.model.TableName;
import dev.safemigrate.core.steps.AddUniqueStep;
import dev.safemigrate.core.steps.DedupeStep;
import dev.safemigrate.core.steps.Repoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Acceptance 4 and NULLS NOT DISTINCT: names as PostgreSQL spells them, and its schema-wide index namespace. */
class PostgresNamesTest extends PostgresTestSupport {
    /** Mixed case, and unique per JVM so concurrent builds on one server do not collide. */
    private final String appSchema = "App" + ProcessHandle.current().pid();

    @AfterEach
    void dropAppSchema() throws Exception {
        Fixture.execute(dataSource, "DROP SCHEMA IF EXISTS \"" + appSchema + "\" CASCADE");
    }

    private void createMixedCaseTables() throws Exception {
        String s = "\"" + appSchema + "\".";
        Fixture.execute(dataSource, "DROP SCHEMA IF EXISTS \"" + appSchema + "\" CASCADE", "CREATE SCHEMA \"" + appSchema + "\"",
                "CREATE TABLE " + s + "\"ActionInvariants\" (\"Id\" INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                        + " \"ActionName\" TEXT NOT NULL, \"Position\" INTEGER NOT NULL)",
                "CREATE TABLE " + s + "\"InvariantChecks\" (\"Id\" INTEGER PRIMARY KEY, \"InvariantId\" INTEGER NOT NULL"
                        + " REFERENCES " + s + "\"ActionInvariants\" (\"Id\"))",
                "INSERT INTO " + s + "\"ActionInvariants\" (\"ActionName\", \"Position\") SELECT 'a' || (i % 10), (i % 30) / 10"
                        + " FROM generate_series(1, 50) AS i",
                "INSERT INTO " + s + "\"InvariantChecks\" SELECT i, i FROM generate_series(1, 50) AS i");
    }

    private Migration mixedCaseMigration(String id, String constraint) {
        String table = appSchema + ".ActionInvariants";
        return migration(id, new DedupeStep(TableName.parse(table), List.of("ActionName", "Position"), List.of(OrderItem.asc("Id")),
                        NullsMode.DISTINCT, true, List.of(new Repoint(TableName.parse(appSchema + ".InvariantChecks"), "InvariantId", Repoint.OnConflict.FAIL))),
                new AddUniqueStep(TableName.parse(table), constraint, List.of("ActionName", "Position"), null));
    }

    @Test
    void schemaQualifiedMixedCaseNamesWork() throws Exception {
        createMixedCaseTables();
        String s = "\"" + appSchema + "\".";
        List<Map<String, Object>> before = Fixture.query(dataSource, "SELECT * FROM " + s + "\"ActionInvariants\" ORDER BY 1");
        List<Map<String, Object>> checksBefore = Fixture.query(dataSource, "SELECT * FROM " + s + "\"InvariantChecks\" ORDER BY 1");

        MigrationReport report = safeMigrate().migrate(List.of(mixedCaseMigration("pg_mixed_001", "UqActionPosition")));

        assertThat(report.migrations().get(0).outcome()).isEqualTo("applied");
        assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM " + s + "\"ActionInvariants\"")).isEqualTo(30);
        assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM " + s + "\"InvariantChecks\" c JOIN " + s
                + "\"ActionInvariants\" a ON a.\"Id\" = c.\"InvariantId\"")).isEqualTo(50);
        assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace"
                + " WHERE n.nspname = '" + appSchema + "' AND k.conname = 'UqActionPosition' AND k.contype = 'u'")).isEqualTo(1);
        assertThat(archivedRowCount()).isEqualTo(20 + 20);

        assertThat(Fixture.query(dataSource, "SELECT * FROM " + s + "\"ActionInvariants\" ORDER BY 1")).isNotEqualTo(before);
        putBack(s);
        assertThat(Fixture.query(dataSource, "SELECT * FROM " + s + "\"ActionInvariants\" ORDER BY 1")).isEqualTo(before);
        assertThat(Fixture.query(dataSource, "SELECT * FROM " + s + "\"InvariantChecks\" ORDER BY 1")).isEqualTo(checksBefore);
    }

    /** The dialect's undo SQL, run on the real tables: drop the constraint, restore the rows (identity values included), then the pointers. */
    private void putBack(String s) throws Exception {
        PostgresDialect dialect = new PostgresDialect();
        try (java.sql.Connection connection = dataSource.getConnection(); java.sql.Statement statement = connection.createStatement()) {
            var catalog = dialect.catalog(connection);
            var parent = catalog.table(TableName.parse(appSchema + ".ActionInvariants")).orElseThrow();
            var child = catalog.table(TableName.parse(appSchema + ".InvariantChecks")).orElseThrow();
            String parentArchive = archiveTables().stream().filter(t -> t.endsWith("_actioninvariants")).findFirst().orElseThrow();
            String childArchive = archiveTables().stream().filter(t -> t.endsWith("_invariantchecks")).findFirst().orElseThrow();
            assertThat(parent.primaryKey()).containsExactly("Id");
            statement.execute(dialect.sql().constraints().dropUnique(parent, "UqActionPosition"));
            statement.execute(dialect.sql().archive().restoreRows(parent, catalog.table(TableName.parse(parentArchive)).orElseThrow()));
            statement.execute(dialect.sql().archive().restoreColumn(child, "InvariantId", catalog.table(TableName.parse(childArchive)).orElseThrow()));
        }
    }

    @Test
    void nameOfAnIndexOnAnotherTableInTheSchemaIsRefusedBeforeAnyChange() throws Exception {
        createMixedCaseTables();
        String s = "\"" + appSchema + "\".";
        Fixture.execute(dataSource, "CREATE TABLE " + s + "other (x INTEGER)", "CREATE INDEX \"UqTaken\" ON " + s + "other (x)");
        List<Map<String, Object>> before = Fixture.query(dataSource, "SELECT * FROM " + s + "\"ActionInvariants\" ORDER BY 1");
        List<Map<String, Object>> checksBefore = Fixture.query(dataSource, "SELECT * FROM " + s + "\"InvariantChecks\" ORDER BY 1");

        String message = failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(mixedCaseMigration("pg_clash_001", "UqTaken")))).getMessage();

        assertThat(message).contains("UqTaken").contains("already used");
        assertThat(Fixture.query(dataSource, "SELECT * FROM " + s + "\"ActionInvariants\" ORDER BY 1")).isEqualTo(before);
        assertThat(Fixture.query(dataSource, "SELECT * FROM " + s + "\"InvariantChecks\" ORDER BY 1")).isEqualTo(checksBefore);
        assertThat(archiveTables()).isEmpty();
        assertThat(historyStatus("pg_clash_001")).isNull();
    }

    @Test
    void nameOfAnIndexInTheDefaultSchemaIsRefused() throws Exception {
        Fixture.seed(dataSource);
        Fixture.execute(dataSource, "CREATE INDEX " + UNIQUE_NAME + " ON invariant_checks (label)");
        List<Map<String, Object>> before = invariants();

        String message = failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(exampleMigration()))).getMessage();

        assertThat(message).contains(UNIQUE_NAME).contains("invariant_checks");
        assertThat(invariants()).isEqualTo(before);
        assertThat(archiveTables()).isEmpty();
    }

    @Test
    void nonUniqueIndexWithTheSameColumnsIsNotTakenForTheConstraint() throws Exception {
        Fixture.seed(dataSource);
        Fixture.execute(dataSource, "CREATE INDEX " + UNIQUE_NAME + " ON action_invariants (action_name, position)");

        failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(exampleMigration())));

        assertThat(invariants()).hasSize(Fixture.UNIQUE_ROWS + Fixture.DUPLICATE_ROWS);
    }

    @Test
    void nullsEqualDedupesNullKeysAndCreatesANullsNotDistinctConstraint() throws Exception {
        Fixture.execute(dataSource, "CREATE TABLE tags (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(20), scope VARCHAR(20))",
                "INSERT INTO tags (id, name, scope) VALUES (1, 'a', NULL), (2, 'a', NULL), (3, 'a', 'x'), (4, 'a', 'x'), (5, NULL, NULL), (6, NULL, NULL)");
        var dedupe = new DedupeStep(TableName.parse("tags"), List.of("name", "scope"), List.of(), NullsMode.EQUAL, true, List.of());
        var unique = new AddUniqueStep(TableName.parse("tags"), "uq_tags", List.of("name", "scope"), NullsMode.EQUAL);

        safeMigrate().migrate(List.of(migration("pg_nulls_equal", dedupe, unique)));

        assertThat(Fixture.query(dataSource, "SELECT id FROM tags ORDER BY id")).extracting(r -> ((Number) r.get("id")).intValue())
                .containsExactly(1, 3, 5);
        assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                + " WHERE c.relname = 'uq_tags' AND c.relnamespace = current_schema()::regnamespace AND i.indnullsnotdistinct")).isEqualTo(1);
        assertThat(archivedRowCount()).isEqualTo(3);
        var e = org.assertj.core.api.Assertions.catchThrowableOfType(java.sql.SQLException.class,
                () -> Fixture.execute(dataSource, "INSERT INTO tags (id, name, scope) VALUES (7, 'a', NULL)"));
        assertThat(e.getSQLState()).isEqualTo("23505");
    }

    /** Whatever already holds the constraint's name, the refusal names it as what it is, before any change. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "CREATE SEQUENCE uq_ai_action_position | the sequence uq_ai_action_position",
            "CREATE VIEW uq_ai_action_position AS SELECT 1 AS x | the view uq_ai_action_position",
            "CREATE MATERIALIZED VIEW uq_ai_action_position AS SELECT 1 AS x | the materialized view uq_ai_action_position",
            "CREATE TABLE uq_ai_action_position (x INTEGER) PARTITION BY RANGE (x) | the table uq_ai_action_position",
            "CREATE TYPE uq_ai_action_position AS (x INTEGER) | the composite type uq_ai_action_position",
            "CREATE EXTENSION IF NOT EXISTS file_fdw ;; CREATE SERVER IF NOT EXISTS sm_kit_files FOREIGN DATA WRAPPER file_fdw ;; CREATE FOREIGN"
                    + " TABLE uq_ai_action_position (x INTEGER) SERVER sm_kit_files OPTIONS (filename '/dev/null')"
                    + " | the foreign table uq_ai_action_position",
            "CREATE UNIQUE INDEX uq_ai_action_position ON action_invariants ((id * 2)) | a partial or expression unique index on action_invariants",
            "ALTER TABLE action_invariants ADD CONSTRAINT uq_ai_action_position EXCLUDE (id WITH =) | a non-unique index on action_invariants (id)",
            "ALTER TABLE action_invariants ADD CONSTRAINT uq_ai_action_position CHECK (position >= 0) | a check constraint on action_invariants",
            "CREATE TABLE positions (n INTEGER PRIMARY KEY) ;; INSERT INTO positions SELECT DISTINCT position FROM action_invariants"
                    + " ;; ALTER TABLE action_invariants ADD CONSTRAINT uq_ai_action_position FOREIGN KEY (position) REFERENCES positions (n)"
                    + " | a foreign key on action_invariants",
            "CREATE FUNCTION noop() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NULL; END' ;; CREATE CONSTRAINT TRIGGER"
                    + " uq_ai_action_position AFTER INSERT ON action_invariants FOR EACH ROW EXECUTE FUNCTION noop()"
                    + " | a constraint trigger on action_invariants"})
    void nameHeldByAnythingElseIsRefusedNamingWhatHoldsIt(String holder, String named) throws Exception {
        Fixture.seed(dataSource);
        Fixture.execute(dataSource, holder.split(" ;; "));
        List<Map<String, Object>> before = invariants();

        String message = failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(exampleMigration()))).getMessage();

        System.out.println("name taken: " + message);
        assertThat(message).contains("the name " + UNIQUE_NAME + " is already used by " + named + "; choose another name");
        assertThat(invariants()).isEqualTo(before);
        assertThat(archiveTables()).isEmpty();
    }
}
