package dev.safemigrate.flyway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safemigrate.core.kit.Customers;
import dev.safemigrate.core.kit.Databases;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.ValidateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Flyway makes of rules files before anything runs: names, YAML errors, checksums; and a URL-configured Flyway (H2). */
class RulesFileValidationTest {
    @TempDir
    Path project;

    @Test
    void aFlywayConfiguredWithAUrlRunsTheRulesFileOnThatDatabase() throws Exception {
        try (TestDatabase db = Databases.H2.create("sm_flyway_url_" + FlywayRunnerTest.suffix())) {
            writeV1();
            Files.writeString(project.resolve(FlywayRunnerTest.V2), Customers.RULES);

            assertThat(flyway(Flyway.configure().dataSource(db.url(), "sa", "")).migrate().migrationsExecuted).isEqualTo(2);

            assertThat(Customers.rows(db.dataSource())).isEqualTo(Customers.DEDUPED);
            assertThat(Customers.unique(db.dataSource())).isTrue();
        }
    }

    @Test
    void aProjectWithoutRulesFilesMigratesAsWithoutThisJar() throws Exception {
        try (TestDatabase db = Databases.H2.create("sm_flyway_sql_" + FlywayRunnerTest.suffix())) {
            writeV1();

            assertThat(flyway(Flyway.configure().dataSource(db.dataSource())).migrate().migrationsExecuted).isEqualTo(1);
            assertThat(Customers.rows(db.dataSource())).isEqualTo(Customers.SEEDED);
        }
    }

    @Test
    void anEditedRulesFileFailsFlywaysValidationAsAnEditedSqlFileDoes() throws Exception {
        try (TestDatabase db = Databases.H2.create("sm_flyway_edit_" + FlywayRunnerTest.suffix())) {
            writeV1();
            Files.writeString(project.resolve(FlywayRunnerTest.V2), Customers.RULES);
            Flyway flyway = flyway(Flyway.configure().dataSource(db.dataSource()));
            flyway.migrate();

            Files.writeString(project.resolve(FlywayRunnerTest.V2), Customers.RULES.replace("then a unique constraint", "then a constraint"));
            ValidateResult result = flyway.validateWithResult();

            assertThat(result.validationSuccessful).isFalse();
            assertThat(result.getAllErrorMessages()).contains("checksum mismatch").contains("version 2");
        }
    }

    @Test
    void aRulesFileWithAnErrorStopsFlywayNamingFileLineAndColumnBeforeAnythingRuns() throws Exception {
        try (TestDatabase db = Databases.H2.create("sm_flyway_bad_" + FlywayRunnerTest.suffix())) {
            writeV1();
            Files.writeString(project.resolve(FlywayRunnerTest.V2), "id: dedupe_customers\nsteps:\n  - dedupe:\n      table: customer\n      key: 5\n");
            Flyway flyway = flyway(Flyway.configure().dataSource(db.dataSource()));

            assertThatThrownBy(flyway::migrate).isInstanceOf(FlywayException.class)
                    .hasMessageStartingWith("safemigrate: " + FlywayRunnerTest.V2 + ":5:");
            assertThat(Fixture.tables(db.dataSource())).as("nothing ran, not even V1").doesNotContain("customer");
        }
    }

    @Test
    void aRulesFileWithoutFlywaysNameIsRefusedSayingHowToNameIt() throws Exception {
        try (TestDatabase db = Databases.H2.create("sm_flyway_name_" + FlywayRunnerTest.suffix())) {
            Files.writeString(project.resolve("V2_dedupe.yaml"), Customers.RULES);
            Flyway flyway = flyway(Flyway.configure().dataSource(db.dataSource()));

            assertThatThrownBy(flyway::info).isInstanceOf(FlywayException.class)
                    .hasMessage("V2_dedupe.yaml: a rules file for Flyway is named V<version>__<description>.yaml, as a versioned SQL migration is");
        }
    }

    private void writeV1() throws Exception {
        Files.writeString(project.resolve("V1__create.sql"), Customers.CREATE + ";\n" + Customers.INSERT + ";\n");
    }

    private Flyway flyway(FluentConfiguration configuration) {
        return configuration.locations("filesystem:" + project).load();
    }
}
