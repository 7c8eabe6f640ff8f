package dev.safemigrate.core.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.SafeMigrateException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The one-run-at-a-time migration lock (PostgreSQL advisory lock, MySQL {@code GET_LOCK}, H2 lock row): a run that waits
 * for it behind another run. (Galera's lease needs a cluster: its test calls {@link #interruptedWhileWaiting}.)
 */
public abstract class MigrationLockKit extends KitSupport {
    /**
     * A run whose thread is interrupted (an application shutting down) while it waits for another run's migration lock
     * ended at once with exit 6, "gave up after 30 s (--lock-timeout)", neither true: on H2 (which ends a row-lock wait
     * on an interrupt as a timeout) and, before their own fixes, on PostgreSQL and Galera (which then said "database
     * error"). On MySQL and MariaDB it waited on in {@code GET_LOCK}, deaf to the interrupt, for the whole timeout. It
     * now ends at once with exit 1, saying it was interrupted and changed nothing; the run holding the lock goes on.
     */
    @Test
    void aRunInterruptedWhileWaitingForTheMigrationLockSaysSoInsteadOfClaimingItWaitedTheLockTimeout() throws Exception {
        Fixture.seed(dataSource);
        List<Map<String, Object>> before = invariants();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SafeMigrate holder = configure(SafeMigrate.builder().dataSource(dataSource).lockTimeout(Duration.ofSeconds(30)).listener(new RunListener() {
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
        })).build();
        CompletableFuture<MigrationReport> first = CompletableFuture.supplyAsync(() -> holder.migrate(List.of(exampleMigration())));
        try {
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            SafeMigrate waiting = configure(SafeMigrate.builder().dataSource(dataSource).lockTimeout(Duration.ofSeconds(30))).build();
            interruptedWhileWaiting(() -> waiting.migrate(List.of(exampleMigration())));

            assertThat(first).as("the holder is not disturbed").isNotDone();
        } finally {
            release.countDown();
        }
        MigrationReport.Result applied = first.get(60, TimeUnit.SECONDS).migrations().get(0);
        assertThat(applied.outcome()).isEqualTo("applied");
        assertThat(before).hasSizeGreaterThan(Fixture.UNIQUE_ROWS);
        assertThat(invariants()).hasSize(Fixture.UNIQUE_ROWS);
        assertThat(archivedRowCount()).as("applied once, by the holder")
                .isEqualTo(applied.steps().stream().mapToLong(step -> step.outcome().archived()).sum());
        assertThat(historyStatus(exampleMigration().id())).isEqualTo("applied");
    }

    /**
     * Runs {@code run} on a thread of its own and interrupts that thread once the run has waited a second (it must still be
     * waiting): within 5 s the run must fail with exit 1, saying it was interrupted and changed nothing.
     */
    public static void interruptedWhileWaiting(Runnable run) throws Exception {
        CompletableFuture<Thread> waiterThread = new CompletableFuture<>();
        CompletableFuture<SafeMigrateException> waiter = CompletableFuture.supplyAsync(() -> {
            waiterThread.complete(Thread.currentThread());
            try {
                run.run();
                return null;
            } catch (SafeMigrateException e) {
                return e;
            } finally {
                // The pool's thread goes back clean whether or not the run saw the interrupt.
                Thread.interrupted();
            }
        });
        Thread.sleep(1_000);
        assertThat(waiter).as("waits for the lock").isNotDone();
        long start = System.nanoTime();
        waiterThread.get().interrupt();
        SafeMigrateException interrupted = waiter.get(10, TimeUnit.SECONDS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("ends soon after the interrupt").isLessThan(5_000);
        assertThat(interrupted).as("fails").isNotNull();
        System.out.printf("interrupted while waiting for the lock: exit %d, %s%n", interrupted.exitCode().code(), interrupted.getMessage());
        assertThat(interrupted.exitCode()).isEqualTo(ExitCode.FAILED_RESTORED);
        assertThat(interrupted.getMessage()).contains("interrupted while waiting for the migration lock").contains("nothing was changed")
                .doesNotContain("gave up after");
    }
}
