package dev.safemigrate.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.KitSupport;
import dev.safemigrate.core.kit.TestDatabase;
import dev.safemigrate.core.model.Expectation;
import dev.safemigrate.core.model.Guards;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.SqlCheck;
import dev.safemigrate.core.steps.Repoint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Regression: under LOCK TABLES a check that reads a table or alias the lock does not name fails with
 * error 1100. Every table a check reads is now locked under the names the check uses.
 */
class MysqlUserChecksUnderTableLocksTest extends KitSupport {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }

    @BeforeEach
    void seed() throws Exception {
        Fixture.seed(dataSource);
        Fixture.execute(dataSource, "CREATE TABLE audit_log (id INT PRIMARY KEY, kind VARCHAR(20) NOT NULL)",
                "INSERT INTO audit_log (id, kind) VALUES (1, 'ok'), (2, 'error')");
    }

    private static Migration withChecks(String id, List<SqlCheck> pre, List<SqlCheck> post) {
        return migration(id, Guards.DEFAULT, pre, post, dedupeInvariants(Repoint.OnConflict.FAIL), uniqueInvariants());
    }

    private static SqlCheck check(String sql, long expect) {
        return new SqlCheck(sql, Expectation.exactly(expect), "test");
    }

    @Test
    void specPostconditionWithAliasesPasses() throws Exception {
        Migration migration = withChecks("my_checks_spec", List.of(check("SELECT count(*) FROM audit_log WHERE kind = ''", 0)),
                List.of(check("SELECT count(*) FROM invariant_checks c LEFT JOIN action_invariants a ON a.id = c.invariant_id WHERE a.id IS NULL", 0),
                        check("SELECT count(*) FROM audit_log l WHERE l.kind = 'error'", 1)));

        MigrationReport report = safeMigrate().migrate(List.of(migration));

        assertThat(report.migrations().get(0).outcome()).isEqualTo("applied");
        assertThat(invariants()).hasSize(Fixture.UNIQUE_ROWS);
        assertThat(Fixture.constraintExists(dataSource, UNIQUE_NAME)).isTrue();
    }

    @Test
    void failingPostconditionOnAnUnrelatedTableExitsOneWithEverythingRestored() throws Exception {
        List<Map<String, Object>> invariants = invariants();
        List<Map<String, Object>> checks = checks();
        Migration migration = withChecks("my_checks_fail", List.of(),
                List.of(check("SELECT count(*) FROM audit_log l JOIN invariant_checks c ON c.id = l.id WHERE l.kind = 'error'", 0)));

        String message = failure(ExitCode.FAILED_RESTORED, () -> safeMigrate().migrate(List.of(migration))).getMessage();

        assertThat(message).contains("expected = 0, got 1").doesNotContain("1100");
        assertThat(invariants()).isEqualTo(invariants);
        assertThat(checks()).isEqualTo(checks);
        assertThat(archiveTables()).isEmpty();
        assertThat(Fixture.constraintExists(dataSource, UNIQUE_NAME)).isFalse();
        assertThat(historyStatus("my_checks_fail")).isEqualTo("rolled_back");
        Fixture.execute(dataSource, "INSERT INTO audit_log (id, kind) VALUES (3, 'after')");
    }

    @Test
    void checkWhoseTablesCannotBeDeterminedIsRefusedBeforeAnyChange() throws Exception {
        List<Map<String, Object>> invariants = invariants();
        Migration migration = withChecks("my_checks_unreadable", List.of(),
                List.of(check("SELECT count(*) FROM (audit_log JOIN invariant_checks ON audit_log.id = invariant_checks.id)", 0)));

        String message = failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(migration))).getMessage();

        assertThat(message).contains("cannot tell which tables").contains("Nothing was changed");
        assertThat(invariants()).isEqualTo(invariants);
        assertThat(archiveTables()).isEmpty();
    }

    @Test
    void checksReadingASystemSchemaOrATableQualifiedWithThisDatabasePass() throws Exception {
        String database;
        try (java.sql.Connection connection = dataSource.getConnection()) {
            database = connection.getCatalog();
        }
        Migration migration = withChecks("my_checks_qualified",
                List.of(check("SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'audit_log'", 1)),
                List.of(check("SELECT count(*) FROM `" + database + "`.audit_log l WHERE l.kind = 'error'", 1)));

        MigrationReport report = safeMigrate().migrate(List.of(migration));

        assertThat(report.migrations().get(0).outcome()).isEqualTo("applied");
        assertThat(invariants()).hasSize(Fixture.UNIQUE_ROWS);
    }

    /** Each check refused before anything is locked or changed, saying why its tables cannot be locked. */
    @Test
    void checkWhoseTablesCannotBeLockedIsRefusedBeforeAnyChange() throws Exception {
        Fixture.execute(dataSource, "CREATE TABLE `audit-log` (id INT PRIMARY KEY)");
        List<Map<String, Object>> invariants = invariants();
        List<Map<String, Object>> checks = checks();
        String[][] cases = {
                {"SELECT count(*) FROM no_such_table", "reads no_such_table, which is not a table in this database"},
                {"SELECT count(*) FROM `audit-log`", "reads a table safemigrate cannot lock: invalid table name 'audit-log'"},
                {"SELECT count(*) FROM audit_log action_invariants WHERE kind = 'x'",
                        "a check reads audit_log as action_invariants, a name that also stands for action_invariants in this run"}};
        for (String[] c : cases) {
            Migration migration = withChecks("my_checks_unlockable", List.of(), List.of(check(c[0], 0)));

            String message = failure(ExitCode.REFUSED, () -> safeMigrate().migrate(List.of(migration))).getMessage();

            assertThat(message).as(c[0]).contains(c[1]);
            assertThat(invariants()).isEqualTo(invariants);
            assertThat(checks()).isEqualTo(checks);
            assertThat(archiveTables()).isEmpty();
        }
    }
}
