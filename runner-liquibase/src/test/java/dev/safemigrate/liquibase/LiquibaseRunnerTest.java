package dev.safemigrate.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.kit.Customers;
import dev.safemigrate.core.kit.Databases;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.TestDatabase;
import dev.safemigrate.rules.Rules;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.UUID;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.resource.DirectoryResourceAccessor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A changelog of three changesets — create a table with duplicates, the rules file, one more row —
 * run by Liquibase itself on H2, PostgreSQL and MariaDB, safemigrate connecting through the URL of
 * Liquibase's connection.
 */
class LiquibaseRunnerTest {
    static final String CHANGELOG = """
            <?xml version="1.0" encoding="UTF-8"?>
            <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
              <changeSet id="1" author="test">
                <sql>%s</sql>
                <sql>%s</sql>
                <rollback>DROP TABLE customer</rollback>
              </changeSet>
              <changeSet id="2" author="test">
                <customChange class="dev.safemigrate.liquibase.SafeMigrateChange">
                  <param name="file" value="dedupe_customers.yaml"/>
                </customChange>
              </changeSet>
              <changeSet id="3" author="test">
                <sql>%s</sql>
                <rollback>DELETE FROM customer WHERE id = 6</rollback>
              </changeSet>
            </databaseChangeLog>
            """.formatted(Customers.CREATE, Customers.INSERT, Customers.MORE);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Databases.class)
    void updateAppliesTheThreeChangesetsAndRollbackOfTheRulesChangesetRestoresTheRowsExactly(Databases server) throws Exception {
        try (TestDatabase db = server.create("sm_liquibase_" + suffix())) {
            write(Customers.RULES);
            try (Liquibase liquibase = liquibase(db)) {
                liquibase.update(new Contexts(), new LabelExpression());

                assertThat(Customers.rows(db.dataSource())).isEqualTo(Customers.DEDUPED_AND_MORE);
                assertThat(Customers.unique(db.dataSource())).isTrue();
                assertThat(changesets(db)).containsExactly("1", "2", "3");
                assertThat(history(db)).containsExactly(Customers.ID + "=applied");

                liquibase.rollback(1, null);
                assertThat(Customers.rows(db.dataSource())).isEqualTo(Customers.DEDUPED);
                liquibase.rollback(1, null);

                assertThat(Customers.rows(db.dataSource())).isEqualTo(Customers.SEEDED);
                assertThat(Customers.unique(db.dataSource())).isFalse();
                assertThat(changesets(db)).containsExactly("1");
                assertThat(history(db)).containsExactly(Customers.ID + "=undone");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Databases.class)
    void updateSqlPrintsThePlanAndChangesNothing(Databases server) throws Exception {
        try (TestDatabase db = server.create("sm_liquibase_" + suffix())) {
            write(Customers.RULES);
            try (Liquibase liquibase = liquibase(db)) {
                liquibase.update(1, new Contexts(), new LabelExpression());
                StringWriter sql = new StringWriter();

                liquibase.update(new Contexts(), new LabelExpression(), sql);

                assertThat(sql.toString())
                        .containsPattern("(?m)^-- +safemigrate " + Customers.ID + ": would run as ")
                        .containsPattern("(?m)^-- +step 1/2 \\[DML] dedupe customer on \\(email\\): delete 2 of 5 rows, update 0, archive 2$")
                        .containsPattern("(?m)^-- +step 2/2 \\[DDL] add_unique uq_customer_email on customer \\(email\\)$")
                        .contains(Customers.MORE);
                // Every statement plan --sql shows (which PlanSqlKit compares with a real run), as a comment (Liquibase writes
                // "--  " on MySQL, "-- " elsewhere); lock
                // timeouts are computed from the time left, so they may differ by a millisecond.
                List<String> statements = SafeMigrate.builder().dataSource(db.dataSource()).build()
                        .planWithStatements(Rules.load(dir.resolve("dedupe_customers.yaml"))).migrations().get(0).statements();
                assertThat(statements).anySatisfy(s -> assertThat(s).startsWith("DELETE "));
                List<String> printed = sql.toString().lines().filter(line -> line.startsWith("--")).map(line -> line.replaceFirst("^--\\s+", ""))
                        .toList();
                statements.stream().filter(s -> !s.startsWith("--") && !s.contains("lock_timeout")).forEach(s -> assertThat(printed).contains(s));
                assertThat(Customers.rows(db.dataSource())).isEqualTo(Customers.SEEDED);
                assertThat(changesets(db)).containsExactly("1");
                assertThat(history(db)).isEmpty();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Databases.class)
    void aFailedRulesFileFailsTheUpdateWithTheDataAsItWas(Databases server) throws Exception {
        try (TestDatabase db = server.create("sm_liquibase_" + suffix())) {
            write(Customers.FAULTY_RULES);
            try (Liquibase liquibase = liquibase(db)) {
                assertThatThrownBy(() -> liquibase.update(new Contexts(), new LabelExpression())).isInstanceOf(LiquibaseException.class)
                        .hasMessageContaining("safemigrate " + Customers.ID + " failed (exit 1: ")
                        .hasMessageContaining("exit 1: the migration failed and the database is as it was before the run")
                        .hasMessageContaining(Customers.FAULT_MESSAGE);

                assertThat(Customers.rows(db.dataSource())).isEqualTo(Customers.SEEDED);
                assertThat(Customers.unique(db.dataSource())).isFalse();
                assertThat(changesets(db)).containsExactly("1");
                assertThat(history(db)).containsExactly(Customers.ID + "=rolled_back");
            }
        }
    }

    private void write(String rules) throws Exception {
        Files.writeString(dir.resolve("changelog.xml"), CHANGELOG);
        Files.writeString(dir.resolve("dedupe_customers.yaml"), rules);
    }

    Liquibase liquibase(TestDatabase db) throws Exception {
        Connection connection = db.dataSource().getConnection();
        Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
        return new Liquibase("changelog.xml", new DirectoryResourceAccessor(dir), database);
    }

    static List<String> changesets(TestDatabase db) throws Exception {
        return Fixture.query(db.dataSource(), "SELECT id FROM DATABASECHANGELOG ORDER BY orderexecuted").stream()
                .map(row -> String.valueOf(row.get("id"))).toList();
    }

    static List<String> history(TestDatabase db) {
        return SafeMigrate.builder().dataSource(db.dataSource()).build().status(List.of()).history().stream()
                .map(h -> h.id() + "=" + h.status()).toList();
    }

    static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }
}
