package dev.safemigrate.flyway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.safemigrate.core.HistoryEntry;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.kit.Customers;
import dev.safemigrate.core.kit.Databases;
import dev.safemigrate.core.kit.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A Flyway project of three versions — {@code V1__create.sql} (a table with duplicates),
 * {@code V2__dedupe_customers.yaml} (a rules file), {@code V3__more.sql} — migrated by Flyway itself on
 * H2, PostgreSQL and MariaDB.
 */
class FlywayRunnerTest {
    static final String V2 = "V2__dedupe_customers.yaml";

    @TempDir
    Path project;

    @ParameterizedTest
    @EnumSource(Databases.class)
    void migrateRunsTheRulesFileAsVersionTwo(Databases server) throws Exception {
        try (TestDatabase db = server.create("sm_flyway_" + suffix())) {
            writeProject(Customers.RULES);
            Flyway flyway = flyway(db);

            assertThat(flyway.migrate().migrationsExecuted).isEqualTo(3);

            assertThat(Customers.rows(db.dataSource())).isEqualTo(Customers.DEDUPED_AND_MORE);
            assertThat(Customers.unique(db.dataSource())).isTrue();
            MigrationInfo v2 = version(flyway, "2");
            assertThat(v2.getState()).isEqualTo(MigrationState.SUCCESS);
            assertThat(v2.getDescription()).isEqualTo("dedupe customers");
            assertThat(v2.getScript()).isEqualTo(V2);
            assertThat(v2.getType().name()).isEqualTo("CUSTOM");
            assertThat(Arrays.stream(flyway.info().all()).map(i -> i.getVersion() + "=" + i.getState()))
                    .containsExactly("1=SUCCESS", "2=SUCCESS", "3=SUCCESS");
            assertThat(safemigrateHistory(db)).containsExactly(Customers.ID + "=applied");

            assertThat(flyway.migrate().migrationsExecuted).isZero();
            assertThat(Customers.rows(db.dataSource())).isEqualTo(Customers.DEDUPED_AND_MORE);
        }
    }

    @ParameterizedTest
    @EnumSource(Databases.class)
    void aFailedRulesFileLeavesTheDataAsBeforeAndFlywayRecordsTheFailure(Databases server) throws Exception {
        try (TestDatabase db = server.create("sm_flyway_" + suffix())) {
            writeProject(Customers.FAULTY_RULES);
            Flyway flyway = flyway(db);

            assertThatThrownBy(flyway::migrate).isInstanceOf(FlywayException.class)
                    .hasMessageContaining("safemigrate migration " + Customers.ID + " failed (exit 1: the migration failed and the database is"
                            + " as it was before the run)")
                    .hasMessageContaining(Customers.FAULT_MESSAGE);

            assertThat(Customers.rows(db.dataSource())).isEqualTo(Customers.SEEDED);
            assertThat(Customers.unique(db.dataSource())).isFalse();
            // Flyway writes a failed row only where DDL is not transactional (H2, MariaDB); on PostgreSQL it writes none,
            // so version 2 stays pending there. safemigrate's own history says rolled_back on all three.
            boolean failedRow = server != Databases.POSTGRES;
            assertThat(version(flyway, "2").getState()).isEqualTo(failedRow ? MigrationState.FAILED : MigrationState.PENDING);
            assertThat(version(flyway, "3").getState()).isEqualTo(MigrationState.PENDING);
            assertThat(safemigrateHistory(db)).containsExactly(Customers.ID + "=rolled_back");

            Files.writeString(project.resolve(V2), Customers.RULES);
            if (failedRow) {
                assertThatThrownBy(flyway::migrate).isInstanceOf(FlywayException.class).hasMessageContaining("failed migration to version 2");
                assertThat(Customers.rows(db.dataSource())).isEqualTo(Customers.SEEDED);
                flyway.repair();
            }
            assertThat(flyway.migrate().migrationsExecuted).isEqualTo(2);

            assertThat(Customers.rows(db.dataSource())).isEqualTo(Customers.DEDUPED_AND_MORE);
            assertThat(Customers.unique(db.dataSource())).isTrue();
            assertThat(version(flyway, "2").getState()).isEqualTo(MigrationState.SUCCESS);
            assertThat(safemigrateHistory(db)).containsExactly(Customers.ID + "=applied");
        }
    }

    /** An applied rules file edited afterwards: Flyway's validate names version 2's checksum, and migrate changes nothing. */
    @ParameterizedTest
    @EnumSource(value = Databases.class, names = "H2")
    void anAppliedRulesFileEditedSinceFailsFlywaysValidation(Databases server) throws Exception {
        try (TestDatabase db = server.create("sm_flyway_" + suffix())) {
            writeProject(Customers.RULES);
            Flyway flyway = flyway(db);
            flyway.migrate();
            Files.writeString(project.resolve(V2), Customers.RULES.replace("One customer per e-mail address", "One customer per address"));

            assertThatThrownBy(flyway::validate).isInstanceOf(FlywayException.class).hasMessageContaining("checksum mismatch")
                    .hasMessageContaining("version 2");
            assertThatThrownBy(flyway::migrate).isInstanceOf(FlywayException.class).hasMessageContaining("checksum mismatch");
            assertThat(Customers.rows(db.dataSource())).isEqualTo(Customers.DEDUPED_AND_MORE);
            assertThat(safemigrateHistory(db)).containsExactly(Customers.ID + "=applied");
        }
    }

    private void writeProject(String rules) throws IOException {
        Files.writeString(project.resolve("V1__create.sql"), Customers.CREATE + ";\n" + Customers.INSERT + ";\n");
        Files.writeString(project.resolve(V2), rules);
        Files.writeString(project.resolve("V3__more.sql"), Customers.MORE + ";\n");
    }

    private Flyway flyway(TestDatabase db) {
        return Flyway.configure().dataSource(db.dataSource()).locations("filesystem:" + project).load();
    }

    static MigrationInfo version(Flyway flyway, String version) {
        return Arrays.stream(flyway.info().all()).filter(i -> i.getVersion() != null && i.getVersion().getVersion().equals(version))
                .reduce((first, last) -> last).orElseThrow();
    }

    static List<String> safemigrateHistory(TestDatabase db) {
        List<HistoryEntry> history = SafeMigrate.builder().dataSource(db.dataSource()).build().status(List.of()).history();
        return history.stream().map(h -> h.id() + "=" + h.status()).toList();
    }

    static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }
}
