package dev.safemigrate.dialect.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.kit.Fixture;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Acceptance 2 (connection lost): the run's backend is killed with {@code pg_terminate_backend} after
 * every DML step has run, inside the one transaction. Nothing may have changed.
 */
class PostgresTerminateTest extends PostgresTestSupport {
    private static final int ROWS = 1_000_000;

    @Test
    void terminatedBackendMidMigrationChangesNothingAndTheNextMigrateSucceeds() throws Exception {
        long t0 = System.nanoTime();
        createBigTable(ROWS, 900_000);
        System.out.printf("terminate test: generated %,d rows in %.1f s%n", ROWS, (System.nanoTime() - t0) / 1e9);
        Map<String, Object> before = fingerprint("big_items");
        String applicationName = "sm_victim_" + ProcessHandle.current().pid();
        PGSimpleDataSource victim = PostgresDatabases.dataSource(currentSchema());
        victim.setApplicationName(applicationName);
        AtomicInteger terminated = new AtomicInteger();
        RunListener killer = new RunListener() {
            @Override
            public void phaseReached(String id, String phase) {
                if (RunListener.Phase.DML_APPLIED.equals(phase)) {
                    terminated.addAndGet((int) count("SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                            + " WHERE application_name = '" + applicationName + "' AND pid <> pg_backend_pid()) t"));
                }
            }
        };

        long t1 = System.nanoTime();
        String message = failure(ExitCode.FAILED_RESTORED, () -> safeMigrate(victim, killer).migrate(List.of(bigMigration("pg_kill_001")))).getMessage();
        System.out.printf("terminate test: backend terminated after the DML on %,d rows; run failed after %.1f s: %s%n", ROWS,
                (System.nanoTime() - t1) / 1e9, message);

        assertThat(terminated.get()).isEqualTo(1);
        assertThat(fingerprint("big_items")).isEqualTo(before);
        assertThat(Fixture.constraintExists(dataSource, BIG_UNIQUE)).isFalse();
        assertThat(archiveTables()).isEmpty();
        assertThat(historyStatus("pg_kill_001")).isIn(null, "failed", "rolled_back");

        long t2 = System.nanoTime();
        var report = safeMigrate().migrate(List.of(bigMigration("pg_kill_001")));
        System.out.printf("terminate test: the next migrate deduplicated %,d rows in %.1f s%n", ROWS, (System.nanoTime() - t2) / 1e9);
        assertThat(report.migrations().get(0).outcome()).isEqualTo("applied");
        assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM big_items")).isEqualTo(900_000);
        assertThat(archivedRowCount()).isEqualTo(100_000);
        assertThat(Fixture.constraintExists(dataSource, BIG_UNIQUE)).isTrue();
    }

    private long count(String sql) {
        try {
            return Fixture.count(dataSource, sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String currentSchema() throws java.sql.SQLException {
        try (var connection = dataSource.getConnection()) {
            return connection.getSchema();
        }
    }
}
