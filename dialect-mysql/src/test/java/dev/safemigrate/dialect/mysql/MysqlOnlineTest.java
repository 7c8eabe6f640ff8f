package dev.safemigrate.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.kit.OnlineKit;
import dev.safemigrate.core.kit.TestDatabase;
import dev.safemigrate.core.model.Online;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MysqlOnlineTest extends OnlineKit {
    @Override
    protected TestDatabase.Provider provider() {
        return MysqlDatabases.INSTANCE;
    }

    /**
     * MariaDB's {@code ALTER TABLE ... WAIT n} takes whole seconds ({@code WAIT 0.2} is {@code NOWAIT}, so an index build
     * was thrown away whenever a writer's statement ran at its end). The build now waits a whole second for its metadata
     * lock and a watchdog cancels a wait at max_lock_ms: behind a transaction left open on the table, writers that queue
     * behind the build's wait wait about max_lock_ms, not the second.
     */
    @Test
    void anIndexBuildWaitingForItsMetadataLockIsCancelledAtMaxLock() throws Exception {
        seed(20_000);
        Duration maxLock = Duration.ofMillis(200);
        long longest = 0;
        MigrationReport report;
        try (Connection holder = dataSource.getConnection(); Statement held = holder.createStatement();
             Connection writer = dataSource.getConnection(); Statement write = writer.createStatement()) {
            holder.setAutoCommit(false);
            held.executeUpdate("UPDATE online_items SET payload = 'held' WHERE id = 1");
            CountDownLatch prepared = new CountDownLatch(1);
            RunListener building = new RunListener() {
                @Override
                public void phaseReached(String id, String phase) {
                    if (phase.equals(RunListener.Phase.PREPARED)) {
                        prepared.countDown();
                    }
                }
            };
            CompletableFuture<MigrationReport> run = CompletableFuture.supplyAsync(() -> configure(SafeMigrate.builder().dataSource(dataSource)
                    .lockTimeout(Duration.ofSeconds(30)).listener(building)).build()
                    .migrate(List.of(onlineMigration(new Online(maxLock, OptionalLong.empty(), Duration.ZERO)))));
            assertThat(prepared.await(60, TimeUnit.SECONDS)).as("the run reached its index build").isTrue();
            // While the build tries again and again behind the open transaction, a writer's statements queue behind its waits.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            for (int n = 0; System.nanoTime() < until; n++) {
                long start = System.nanoTime();
                write.executeUpdate("UPDATE online_items SET payload = 'probe " + n + "' WHERE id = 2");
                longest = Math.max(longest, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
            holder.commit();
            report = run.get(120, TimeUnit.SECONDS);
        }
        System.out.printf("writer behind the index build's metadata lock waits: longest %d ms; %s%n", longest,
                report.migrations().get(0).online().orElseThrow());
        assertThat(report.migrations().get(0).outcome()).isEqualTo("applied");
        assertThat(longest).as("a writer queued behind a build's metadata lock wait").isGreaterThan(maxLock.toMillis() / 2)
                .isLessThan(maxLock.toMillis() + 500);
    }
}
