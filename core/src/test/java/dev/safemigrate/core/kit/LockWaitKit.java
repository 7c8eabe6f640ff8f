package dev.safemigrate.core.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.jdbc.LockRetry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * No reader queues behind a migration that is only waiting for a lock: while {@code migrate} waits behind a
 * long transaction that read the table (PostgreSQL: for the brief exclusive lock of its DDL; MySQL: for
 * {@code LOCK TABLES}), other readers of the table keep being answered, each within one retry slice (plus
 * 100 ms for the machine). Once the long transaction ends, the migration completes.
 */
public abstract class LockWaitKit extends KitSupport {
    private static final long WAIT_MILLIS = 2500;

    @Test
    void readersDoNotQueueBehindAMigrationWaitingForALock() throws Exception {
        Fixture.seed(dataSource);
        try (Connection longReader = dataSource.getConnection()) {
            longReader.setAutoCommit(false);
            readAll(longReader);
            SafeMigrate safeMigrate = configure(SafeMigrate.builder().dataSource(dataSource).lockTimeout(Duration.ofSeconds(30))).build();
            CompletableFuture<MigrationReport> run = CompletableFuture.supplyAsync(() -> safeMigrate.migrate(List.of(exampleMigration())));

            long longest = 0;
            int reads = 0;
            try (Connection reader = dataSource.getConnection()) {
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
                while (System.nanoTime() < until) {
                    long started = System.nanoTime();
                    readAll(reader);
                    longest = Math.max(longest, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                    reads++;
                }
            }
            assertThat(run).as("the migration waits for the long transaction").isNotDone();
            longReader.commit();

            MigrationReport report = run.get(60, TimeUnit.SECONDS);
            System.out.printf("lock wait (%s): %d reads while migrate waited %d ms, longest %d ms (slice %d ms)%n", getClass().getSimpleName(),
                    reads, WAIT_MILLIS, longest, LockRetry.SLICE.toMillis());
            assertThat(report.migrations().get(0).outcome()).isEqualTo("applied");
            assertThat(longest).isLessThanOrEqualTo(LockRetry.SLICE.toMillis() + 100);
            assertThat(invariants()).hasSize(Fixture.UNIQUE_ROWS);
        }
    }

    /** A lock that does not come within --lock-timeout ends the run before any change, saying how long it tried. */
    @Test
    void aLockThatDoesNotComeWithinTheLockTimeoutChangesNothing() throws Exception {
        Fixture.seed(dataSource);
        List<java.util.Map<String, Object>> before = invariants();
        try (Connection longReader = dataSource.getConnection()) {
            longReader.setAutoCommit(false);
            readAll(longReader);
            SafeMigrate impatient = configure(SafeMigrate.builder().dataSource(dataSource).lockTimeout(Duration.ofSeconds(1))).build();

            String message = failure(dev.safemigrate.core.ExitCode.FAILED_RESTORED, () -> impatient.migrate(List.of(exampleMigration()))).getMessage();

            assertThat(message).contains("within 1 s (--lock-timeout): other sessions held conflicting locks through").contains("Nothing was changed");
            longReader.commit();
        }
        assertThat(invariants()).isEqualTo(before);
        assertThat(Fixture.constraintExists(dataSource, UNIQUE_NAME)).isFalse();
        assertThat(archivedRowCount()).isZero();
        assertThat(historyStatus(exampleMigration().id())).isEqualTo("rolled_back");
    }

    private static void readAll(Connection connection) throws Exception {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM action_invariants")) {
            rs.next();
        }
    }
}
