package dev.safemigrate.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.jdbc.LockRetry;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.LockWaitKit;
import dev.safemigrate.core.kit.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MysqlLockWaitTest extends LockWaitKit {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }

    /**
     * Each try of the run's LOCK TABLES waits its slice for a writer's transaction to end, then lets go: MariaDB took
     * {@code WAIT 0.100} as {@code NOWAIT} (whole seconds), so the tries never waited at all and, beside steady writers,
     * hardly ever found the tables free. Seen from the process list: the run's statement waits for the metadata lock,
     * never longer than the slice (and so nobody queues behind it longer).
     */
    @Test
    void eachTryForTheTablesWaitsItsSliceAndNoLonger() throws Exception {
        Fixture.seed(dataSource);
        long longest = 0;
        try (Connection writer = dataSource.getConnection()) {
            writer.setAutoCommit(false);
            try (Statement s = writer.createStatement()) {
                s.executeUpdate("UPDATE action_invariants SET position = position WHERE id = 1");
            }
            SafeMigrate safeMigrate = configure(SafeMigrate.builder().dataSource(dataSource).lockTimeout(Duration.ofSeconds(30))).build();
            CompletableFuture<MigrationReport> run = CompletableFuture.supplyAsync(() -> safeMigrate.migrate(List.of(exampleMigration())));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < until) {
                for (var row : Fixture.query(dataSource, "SELECT TIME_MS FROM information_schema.PROCESSLIST WHERE INFO LIKE '%LOCK TABLES%'"
                        + " AND STATE = 'Waiting for table metadata lock'")) {
                    longest = Math.max(longest, ((Number) row.get("time_ms")).longValue());
                }
            }
            assertThat(run).as("the run waits for the writer's transaction").isNotDone();
            writer.commit();
            assertThat(run.get(60, TimeUnit.SECONDS).migrations().get(0).outcome()).isEqualTo("applied");
        }
        System.out.printf("LOCK TABLES tries waited up to %d ms each (slice %d ms)%n", longest, LockRetry.SLICE.toMillis());
        assertThat(longest).as("longest wait of one try, ms").isGreaterThanOrEqualTo(LockRetry.SLICE.toMillis() / 2)
                .isLessThanOrEqualTo(LockRetry.SLICE.toMillis() + 100);
    }
}
