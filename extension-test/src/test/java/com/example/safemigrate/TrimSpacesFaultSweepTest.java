package com.example.safemigrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.Extensions;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.kit.FaultInjector;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.TestDatabase;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.rules.Rules;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The N-th statement of a run using {@code trim_spaces} fails, for every N. Afterwards every value is
 * as before the run (no archive rows, no constraint), or the run is complete; every row as it was
 * before is either still in the table or in an archive. The unique constraint after the trims puts
 * the DDL (compensating) path in the sweep too.
 */
class TrimSpacesFaultSweepTest {
    private static final String MIGRATION = """
            id: ext_002_trim_and_unique
            steps:
              - trim_spaces: {table: customers, column: name}
              - trim_spaces: {table: customers, column: email}
              - add_unique: {table: customers, name: uq_customers_email, columns: [email]}
            """;

    private final Migration migration = Rules.parse(Extensions.load(), MIGRATION, "sweep.yaml");

    private static TestDatabase seeded(String name) throws Exception {
        TestDatabase database = StrictH2.DATABASES.create("ext_" + name + "_" + ProcessHandle.current().pid());
        Customers.seed(database.dataSource());
        return database;
    }

    private static SafeMigrate safeMigrate(DataSource dataSource, UnaryOperator<Connection> decorator) {
        return SafeMigrate.builder().dataSource(dataSource).lockTimeout(Duration.ofSeconds(20)).connectionDecorator(decorator).build();
    }

    private static String historyStatus(DataSource dataSource, String id) throws Exception {
        if (!Fixture.tables(dataSource).contains("safemigrate_history")) {
            return null;
        }
        List<Map<String, Object>> rows = Fixture.query(dataSource, "SELECT status FROM safemigrate_history WHERE id = '" + id + "'");
        return rows.isEmpty() ? null : (String) rows.get(0).get("status");
    }

    @Test
    void everyStatementFailingLeavesTheValuesRestoredOrComplete() throws Exception {
        List<Map<String, Object>> before;
        List<Map<String, Object>> complete;
        int statements;
        try (TestDatabase database = seeded("count")) {
            before = Customers.rows(database.dataSource());
            FaultInjector counter = new FaultInjector(0);
            safeMigrate(database.dataSource(), counter).migrate(List.of(migration));
            complete = Customers.rows(database.dataSource());
            statements = counter.executed();
        }
        assertThat(complete).isNotEqualTo(before);
        assertThat(statements).isGreaterThan(10);

        int restored = 0;
        int completed = 0;
        long rowsLost = 0;
        for (int n = 1; n <= statements; n++) {
            try (TestDatabase database = seeded("sweep" + n)) {
                DataSource dataSource = database.dataSource();
                FaultInjector fault = new FaultInjector(n);
                try {
                    safeMigrate(dataSource, fault).migrate(List.of(migration));
                } catch (SafeMigrateException e) {
                    assertThat(e.exitCode()).as("fault at %d (%s): %s", n, fault.failedStatement(), e.getMessage())
                            .isIn(ExitCode.FAILED_RESTORED, ExitCode.REFUSED);
                }
                String where = "fault at statement " + n + " of " + statements + ": " + fault.failedStatement();
                List<Map<String, Object>> after = Customers.rows(dataSource);
                List<Map<String, Object>> archived = Customers.archived(dataSource);
                if (after.equals(before)) {
                    restored++;
                    assertThat(archived).as(where).isEmpty();
                    assertThat(Fixture.constraintExists(dataSource, Customers.UNIQUE_EMAIL)).as(where).isFalse();
                    assertThat(historyStatus(dataSource, migration.id())).as(where).isIn(null, "rolled_back");
                } else {
                    completed++;
                    assertThat(after).as(where).isEqualTo(complete);
                    assertThat(Fixture.constraintExists(dataSource, Customers.UNIQUE_EMAIL)).as(where).isTrue();
                    assertThat(historyStatus(dataSource, migration.id())).as(where).isEqualTo("applied");
                }
                rowsLost += before.stream().filter(row -> !after.contains(row) && !archived.contains(row)).count();
                safeMigrate(dataSource, UnaryOperator.identity()).migrate(List.of(migration));
                assertThat(Customers.rows(dataSource)).as(where + ", then a clean migrate").isEqualTo(complete);
            }
        }
        System.out.printf("fault sweep (%s): %d fault points tried, %d restored, %d completed, %d rows lost%n",
                getClass().getSimpleName(), statements, restored, completed, rowsLost);
        assertThat(restored + completed).isEqualTo(statements);
        assertThat(rowsLost).isZero();
    }
}
