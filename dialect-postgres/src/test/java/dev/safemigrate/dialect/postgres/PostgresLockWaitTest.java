package dev.safemigrate.dialect.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.LockWaitKit;
import dev.safemigrate.core.kit.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PostgresLockWaitTest extends LockWaitKit {
    @Override
    protected TestDatabase.Provider provider() {
        return PostgresDatabases.INSTANCE;
    }

    /**
     * A run whose thread is interrupted (an application shutting down) while it waits for another run's migration lock
     * ended with exit 6, "gave up after 30 s (--lock-timeout)", at once: neither true. It now says it was interrupted,
     * changes nothing, and the run holding the lock is not disturbed.
     */
    @Test
    void aRunInterruptedWhileWaitingForTheMigrationLockSaysSoInsteadOfClaimingItWaitedTheLockTimeout() throws Exception {
        Fixture.seed(dataSource);
        List<Map<String, Object>> before = invariants();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SafeMigrate holder = SafeMigrate.builder().dataSource(dataSource).lockTimeout(Duration.ofSeconds(30)).listener(new RunListener() {
            @Override
            public void phaseReached(String id, String phase) {
                if (RunListener.Phase.DML_APPLIED.equals(phase)) {
                    holding.countDown();
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }).build();
        CompletableFuture<MigrationReport> first = CompletableFuture.supplyAsync(() -> holder.migrate(List.of(exampleMigration())));
        assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Thread> waiterThread = new CompletableFuture<>();
        CompletableFuture<SafeMigrateException> waiter = CompletableFuture.supplyAsync(() -> {
            waiterThread.complete(Thread.currentThread());
            try {
                SafeMigrate.builder().dataSource(dataSource).lockTimeout(Duration.ofSeconds(30)).build().migrate(List.of(exampleMigration()));
                return null;
            } catch (SafeMigrateException e) {
                return e;
            } finally {
                Thread.interrupted();
            }
        });
        Thread.sleep(500);
        assertThat(waiter).as("waits for the lock").isNotDone();

        long start = System.nanoTime();
        waiterThread.get().interrupt();
        SafeMigrateException interrupted = waiter.get(10, TimeUnit.SECONDS);

        assertThat(interrupted).isNotNull();
        assertThat(interrupted.exitCode()).isNotEqualTo(ExitCode.LOCKED);
        assertThat(interrupted.getMessage()).contains("interrupted while waiting for the migration lock").doesNotContain("gave up after");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
        assertThat(invariants()).isEqualTo(before);
        System.out.printf("interrupted while waiting for the lock: exit %d, %s%n", interrupted.exitCode().code(), interrupted.getMessage());

        release.countDown();
        assertThat(first.get(60, TimeUnit.SECONDS).migrations().get(0).outcome()).isEqualTo("applied");
        assertThat(invariants()).hasSize(Fixture.UNIQUE_ROWS);
    }
}
