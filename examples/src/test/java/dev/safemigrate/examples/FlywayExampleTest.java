package dev.safemigrate.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.kit.Databases;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.TestDatabase;
import java.util.Arrays;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code examples/flyway}: Flyway migrates V1 (SQL), V2 (the rules file) and V3 (SQL) on H2, PostgreSQL and MariaDB. */
class FlywayExampleTest {
    @ParameterizedTest
    @EnumSource(Databases.class)
    void flywayMigratesTheThreeVersions(Databases server) throws Exception {
        try (TestDatabase db = server.create("sm_example_flyway_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10))) {
            Flyway flyway = Flyway.configure().dataSource(db.dataSource())
                    .locations("filesystem:" + AccountsExample.locate("flyway").resolve("db/migration")).load();

            assertThat(flyway.migrate().migrationsExecuted).isEqualTo(3);

            assertThat(AccountsExample.rows(db.dataSource(), "account")).containsExactly(
                    "1|ann@example.org|2024-01-05|1", "4|cy@example.org|2024-03-01|0", "5|bob@example.org|2024-01-02|0");
            assertThat(AccountsExample.rows(db.dataSource(), "invoice")).isEqualTo(AccountsExample.INVOICES);
            assertThat(Fixture.constraintExists(db.dataSource(), "uq_account_email")).isTrue();
            assertThat(Arrays.stream(flyway.info().all()).map(i -> i.getVersion() + " " + i.getDescription() + " " + i.getState()))
                    .containsExactly("1 create accounts SUCCESS", "2 one account per email SUCCESS", "3 account verified SUCCESS");
        }
    }
}
