package dev.safemigrate.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.kit.Customers;
import dev.safemigrate.core.kit.Databases;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The goals run in this JVM, as Maven runs them, against a table with duplicates on H2, PostgreSQL and MariaDB. */
class GoalsTest {
    @TempDir
    Path rules;

    @ParameterizedTest
    @EnumSource(Databases.class)
    void planMigrateVerifyAndStatusRemoveTheDuplicatesAndAddTheConstraint(Databases server) throws Exception {
        try (TestDatabase db = seeded(server)) {
            Files.writeString(rules.resolve(Customers.ID + ".yaml"), Customers.RULES);

            configure(new PlanMojo(), db).execute();
            assertThat(Customers.rows(db.dataSource())).as("plan changes nothing").isEqualTo(Customers.SEEDED);
            configure(new MigrateMojo(), db).execute();
            configure(new VerifyMojo(), db).execute();
            configure(new StatusMojo(), db).execute();

            assertThat(Customers.rows(db.dataSource())).isEqualTo(Customers.DEDUPED);
            assertThat(Customers.unique(db.dataSource())).isTrue();
            assertThat(SafeMigrate.builder().dataSource(db.dataSource()).build().status(List.of()).history())
                    .extracting(h -> h.id() + "=" + h.status()).containsExactly(Customers.ID + "=applied");
        }
    }

    @ParameterizedTest
    @EnumSource(Databases.class)
    void aFailedMigrationFailsTheBuildWithTheExitCodesMeaningAndTheDataAsItWas(Databases server) throws Exception {
        try (TestDatabase db = seeded(server)) {
            Files.writeString(rules.resolve(Customers.ID + ".yaml"), Customers.FAULTY_RULES);

            assertThatThrownBy(() -> configure(new MigrateMojo(), db).execute()).isInstanceOf(MojoFailureException.class)
                    .hasMessageStartingWith("safemigrate migrate failed with exit code 1 (the migration failed and the database is as it was"
                            + " before the run): error: ")
                    .hasMessageContaining(Customers.FAULT_MESSAGE);

            assertThat(Customers.rows(db.dataSource())).isEqualTo(Customers.SEEDED);
            assertThat(Customers.unique(db.dataSource())).isFalse();
        }
    }

    @Test
    void planWithSqlPrintsTheStatementsAndChangesNothing() throws Exception {
        List<String> printed = new java.util.ArrayList<>();
        try (TestDatabase db = seeded(Databases.H2)) {
            Files.writeString(rules.resolve(Customers.ID + ".yaml"), Customers.RULES);
            PlanMojo plan = configure(new PlanMojo(), db);
            plan.setLog(new org.apache.maven.plugin.logging.SystemStreamLog() {
                @Override
                public void info(CharSequence line) {
                    printed.add(line.toString());
                }
            });
            plan.sql = true;

            plan.execute();

            assertThat(printed).contains("BEGIN;", "COMMIT;").anySatisfy(line -> assertThat(line).startsWith("DELETE FROM"));
            assertThat(Customers.rows(db.dataSource())).isEqualTo(Customers.SEEDED);
            assertThat(Customers.unique(db.dataSource())).isFalse();
        }
    }

    @Test
    void verifyFailsTheBuildWhenAnInvariantDoesNotHold() throws Exception {
        try (TestDatabase db = seeded(Databases.H2)) {
            Files.writeString(rules.resolve(Customers.ID + ".yaml"), Customers.RULES);
            VerifyMojo verify = configure(new VerifyMojo(), db);
            verify.json = true;

            assertThatThrownBy(verify::execute).isInstanceOf(MojoFailureException.class)
                    .hasMessageStartingWith("safemigrate verify failed with exit code 4 (an invariant does not hold)");
        }
    }

    @Test
    void statusWithoutRulesFilesListsTheHistoryAndSkipDoesNothing() throws Exception {
        try (TestDatabase db = seeded(Databases.H2)) {
            StatusMojo status = configure(new StatusMojo(), db);
            status.locations = List.of(rules.resolve("no-such-folder").toFile());
            status.password = "";
            status.user = "sa";
            status.execute();

            MigrateMojo migrate = configure(new MigrateMojo(), db);
            migrate.skip = true;
            migrate.locations = List.of(rules.resolve("no-such-folder").toFile());
            migrate.execute();
            assertThat(Customers.rows(db.dataSource())).isEqualTo(Customers.SEEDED);
        }
    }

    @Test
    void anExitCodeSafemigrateDoesNotHaveIsSaidToBeNone() {
        assertThat(SafeMigrateMojo.meaning(6)).isEqualTo("another run holds the migration lock and the lock timeout passed");
        assertThat(SafeMigrateMojo.meaning(42)).isEqualTo("not an exit code of safemigrate");
    }

    private <T extends SafeMigrateMojo> T configure(T mojo, TestDatabase db) {
        mojo.url = db.url();
        mojo.locations = List.of(rules.toFile());
        mojo.lockTimeout = 10;
        return mojo;
    }

    static TestDatabase seeded(Databases server) throws Exception {
        return seeded(server.create("sm_maven_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10)));
    }

    static TestDatabase seeded(TestDatabase db) throws Exception {
        Fixture.execute(db.dataSource(), Customers.CREATE, Customers.INSERT);
        return db;
    }
}
