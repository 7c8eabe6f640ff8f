package dev.safemigrate.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.KitSupport;
import dev.safemigrate.core.kit.TestDatabase;
import dev.safemigrate.core.spi.MigrationLock;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The migration lock of a database whose name is too long for a server lock name ({@code safemigrate:} plus more
 * than 52 characters): runs on it still take a lock, it is the same lock for every run on that database, and two
 * databases whose long names differ only at the end do not share it (a cut-off name would make them wait for each other).
 */
class MysqlLongDatabaseNameLockTest extends KitSupport {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }

    @Test
    void aLongDatabaseNameGetsALockOfItsOwnThatEveryRunOnItShares() throws Exception {
        String prefix = ("sm_long_database_name_lock_" + ProcessHandle.current().pid() + "_").toLowerCase();
        String padded = prefix + "x".repeat(63 - prefix.length());
        closeDatabase();
        database = MysqlDatabases.INSTANCE.create(padded + "a");
        dataSource = database.dataSource();
        try (TestDatabase sibling = MysqlDatabases.INSTANCE.create(padded + "b")) {
            Fixture.seed(dataSource);
            Fixture.seed(sibling.dataSource());
            List<Map<String, Object>> before = invariants();

            try (Connection other = dataSource.getConnection()) {
                MigrationLock.Held held = new MysqlNamedLock().acquire(other, null, Duration.ofSeconds(1));
                assertThat(held).as("another run's lock on the long-named database").isNotNull();

                assertThat(impatient(sibling.dataSource()).migrate(List.of(exampleMigration())).migrations().get(0).outcome())
                        .as("a database whose name differs only at the end is not locked").isEqualTo("applied");

                String message = failure(ExitCode.LOCKED, () -> impatient(dataSource).migrate(List.of(exampleMigration()))).getMessage();
                assertThat(message).contains("lock");
                assertThat(invariants()).as("nothing changed while the other run held the lock").isEqualTo(before);
                held.close();
            }

            assertThat(impatient(dataSource).migrate(List.of(exampleMigration())).migrations().get(0).outcome()).isEqualTo("applied");
            assertThat(invariants()).hasSize(Fixture.UNIQUE_ROWS);
        }
    }

    private SafeMigrate impatient(DataSource target) {
        return configure(SafeMigrate.builder().dataSource(target).lockTimeout(Duration.ofSeconds(1))).build();
    }
}
