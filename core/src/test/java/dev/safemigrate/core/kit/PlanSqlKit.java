package dev.safemigrate.core.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.MigrationPlan;
import dev.safemigrate.core.model.Expectation;
import dev.safemigrate.core.model.Guards;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.model.SqlCheck;
import dev.safemigrate.core.steps.Repoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code plan --sql}: the statements the plan shows are the ones a real {@code migrate} then executes, in the same
 * order (recorded under the run with {@link StatementHook}), and making the plan changes nothing.
 */
public abstract class PlanSqlKit extends KitSupport {

    /** The spec's example (dedupe with repointed children, add_unique) with a sql: postcondition and precondition. */
    private static Migration checkedExample() {
        Migration example = exampleMigration();
        SqlCheck noOrphans = new SqlCheck("SELECT COUNT(*) FROM invariant_checks c LEFT JOIN action_invariants a ON a.id = c.invariant_id"
                + " WHERE a.id IS NULL", Expectation.exactly(0), "kit:9:5");
        SqlCheck someRows = new SqlCheck("SELECT COUNT(*) FROM action_invariants", Expectation.exactly(Fixture.UNIQUE_ROWS + Fixture.DUPLICATE_ROWS),
                "kit:7:5");
        return migration(example.id(), Guards.DEFAULT, List.of(someRows), List.of(noOrphans), example.steps().toArray(dev.safemigrate.core.spi.Step[]::new));
    }

    @Test
    void planSqlShowsExactlyTheStatementsMigrateRuns() throws Exception {
        assertPlanMatchesRun(checkedExample());
    }

    @Test
    void planSqlShowsTheClashingChildRowsAnOnConflictDeleteArchives() throws Exception {
        assertPlanMatchesRun(migration("kit_002_clashes", dedupeInvariants(Repoint.OnConflict.DELETE), uniqueInvariants()));
    }

    /** An archive table left holding rows is never dropped: plan refuses as migrate does, and neither touches it. */
    @Test
    void anArchiveTableHoldingRowsRefusesPlanAndMigrateAndIsKept() throws Exception {
        Fixture.seed(dataSource);
        String createArchive = safeMigrate().planWithStatements(List.of(exampleMigration())).migrations().get(0).statements().stream()
                .filter(s -> s.startsWith("CREATE TABLE")).findFirst().orElseThrow();
        java.util.regex.Matcher name = java.util.regex.Pattern.compile("^CREATE TABLE (([\"`])\\w+\\2)").matcher(createArchive);
        assertThat(name.find()).as(createArchive).isTrue();
        Fixture.execute(dataSource, "CREATE TABLE " + name.group(1) + " AS SELECT * FROM action_invariants WHERE id <= 3");
        List<Map<String, Object>> before = invariants();

        for (Runnable command : List.<Runnable>of(() -> safeMigrate().plan(List.of(exampleMigration())),
                () -> safeMigrate().migrate(List.of(exampleMigration())))) {
            assertThat(failure(dev.safemigrate.core.ExitCode.REFUSED, command).getMessage())
                    .contains(name.group(1).substring(1, name.group(1).length() - 1)).contains("holds 3 row(s)").contains("nothing was changed");
        }

        assertThat(invariants()).isEqualTo(before);
        assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM " + name.group(1))).isEqualTo(3);
        assertThat(archiveTables()).hasSize(1);
    }

    private void assertPlanMatchesRun(Migration migration) throws Exception {
        Fixture.seed(dataSource);
        List<Map<String, Object>> invariantsBefore = invariants();
        List<Map<String, Object>> checksBefore = checks();
        List<String> tablesBefore = Fixture.tables(dataSource);

        MigrationPlan plan = safeMigrate().planWithStatements(List.of(migration));

        assertThat(invariants()).isEqualTo(invariantsBefore);
        assertThat(checks()).isEqualTo(checksBefore);
        assertThat(Fixture.tables(dataSource)).containsExactlyInAnyOrderElementsOf(tablesBefore);
        assertThat(Fixture.constraintExists(dataSource, UNIQUE_NAME)).isFalse();
        List<String> shown = plan.migrations().get(0).statements();
        assertThat(shown).as("plan --sql output").isNotEmpty().allSatisfy(p -> assertThat(p.startsWith("--") || p.endsWith(";")).isTrue());
        assertThat(String.join("\n", shown)).as("the plan must not say it stopped").doesNotContain("dry run stopped");

        List<String> executed = Collections.synchronizedList(new ArrayList<>());
        StatementHook statements = new StatementHook(executed::add);
        safeMigrate(connection -> withSavepoints(statements.apply(connection), executed)).migrate(List.of(migration));

        assertThat(Fixture.constraintExists(dataSource, UNIQUE_NAME)).isTrue();
        assertThat(comparable(statementsOf(shown))).as("plan --sql:\n%s", String.join("\n\n", shown))
                .containsExactlyElementsOf(comparable(executed));
        assertThat(shown).contains("BEGIN;", "COMMIT;");
        assertThat(comparable(statementsOf(shown))).as("the run's writes are compared, not only its reads")
                .anySatisfy(s -> assertThat(s).startsWith("DELETE")).anySatisfy(s -> assertThat(s).startsWith("ALTER TABLE"));
    }

    /**
     * Records the savepoints the run takes, rolls back to and releases, as the statements that do it: JDBC takes
     * them without a statement the {@link StatementHook} sees, and plan --sql shows them (under names of its own).
     */
    private static java.sql.Connection withSavepoints(java.sql.Connection connection, List<String> executed) {
        return (java.sql.Connection) java.lang.reflect.Proxy.newProxyInstance(PlanSqlKit.class.getClassLoader(),
                new Class<?>[] {java.sql.Connection.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "setSavepoint" -> executed.add("SAVEPOINT sm_savepoint_N");
                        case "releaseSavepoint" -> executed.add("RELEASE SAVEPOINT sm_savepoint_N");
                        case "rollback" -> {
                            if (args != null && args.length == 1) {
                                executed.add("ROLLBACK TO SAVEPOINT sm_savepoint_N");
                            }
                        }
                        default -> { }
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The statements of plan --sql's paragraphs, without their {@code ;}, leaving out comments and transaction boundaries. */
    private static List<String> statementsOf(List<String> paragraphs) {
        return paragraphs.stream().filter(p -> !p.startsWith("--") && !List.of("BEGIN;", "COMMIT;", "ROLLBACK;").contains(p))
                .map(p -> p.substring(0, p.length() - 1)).toList();
    }

    /**
     * What both lists are compared on: the run's own statements, without catalog lookups and bookkeeping (prepared
     * statements with parameters, the bookkeeping tables, catalog and schema lookups, dialect probes, the migration lock), which
     * plan --sql leaves out by design; lock timeouts computed from the time left, and savepoint names, are generated values.
     */
    private static final java.util.regex.Pattern BOOKKEEPING = java.util.regex.Pattern.compile("(?i)(FROM|INTO|UPDATE|EXISTS)\\s+safemigrate_");

    private static List<String> comparable(List<String> statements) {
        return statements.stream().filter(s -> s != null && !s.contains("?"))
                .filter(s -> !BOOKKEEPING.matcher(s).find() && !s.toLowerCase(Locale.ROOT).contains("information_schema"))
                .filter(s -> !s.equals("SELECT current_schema()") && !s.contains("advisory_") && !s.contains(" JOIN pg_"))
                .map(s -> s.strip().replaceAll("lock_timeout = '\\d+ms'", "lock_timeout = 'Nms'").replaceAll("sm_savepoint_\\d+", "sm_savepoint_N"))
                .toList();
    }
}
