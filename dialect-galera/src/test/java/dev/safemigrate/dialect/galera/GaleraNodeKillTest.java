package dev.safemigrate.dialect.galera;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.GaleraCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 14, acceptance 4: kill -9 of the node the run is connected to, mid-run; {@code recover} through another
 * node (after the dead run's lease has run out) leaves the data fully migrated when the data transaction had
 * committed, or as before when it had not, with the fence removed; the killed node rejoins with the same data.
 * By default the kill comes between the data commit and the DDL; {@code -Dsafemigrate.galera.allKills=true} also
 * kills during the open data transaction (each case takes about 40 s, most of it the lease). kill -9 of a node the
 * run is not connected to: the run completes on the other two.
 */
class GaleraNodeKillTest {
    private static final int ROWS = 50_000;
    private final GaleraCluster cluster = GaleraCluster.get();

    static List<String> phases() {
        return Boolean.getBoolean("safemigrate.galera.allKills") ? List.of(RunListener.Phase.BETWEEN_PHASES, RunListener.Phase.DML_APPLIED)
                : List.of(RunListener.Phase.BETWEEN_PHASES);
    }

    @ParameterizedTest
    @MethodSource("phases")
    void recoverThroughAnotherNodeFinishesOrReversesARunWhoseNodeWasKilled(String phase) throws Exception {
        try (GaleraCluster.Database db = cluster.createDatabase("sm_galera_kill_" + phase)) {
            DataSource one = Items.seeded(db, ROWS);
            DataSource two = GaleraDatabases.dataSource(db, 2);
            String before = Items.fingerprint(two);
            HoldAt holdAtPhase = new HoldAt(phase);
            CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> {
                try {
                    SafeMigrate.builder().dataSource(one).lockTimeout(Duration.ofSeconds(30)).listener(holdAtPhase).build()
                            .migrate(List.of(Items.migration("kill_001")));
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            assertThat(holdAtPhase.awaitReached()).isTrue();
            long killStart = System.nanoTime();
            try {
                cluster.kill(1);
                long killMs = (System.nanoTime() - killStart) / 1_000_000;
                holdAtPhase.release();
                Throwable failure = run.get(120, TimeUnit.SECONDS);
                assertThat(failure).as("the run through the killed node fails").isNotNull();

                long recoverStart = System.nanoTime();
                List<String> recovered = SafeMigrate.builder().dataSource(two).lockTimeout(Duration.ofSeconds(90)).build().recover();
                long recoverMs = (System.nanoTime() - recoverStart) / 1_000_000;
                DataSource three = GaleraDatabases.dataSource(db, 3);
                boolean committed = phase.equals(RunListener.Phase.BETWEEN_PHASES);
                assertThat(recovered).singleElement().asString().contains("kill_001");
                assertThat(Fixture.query(three, "SELECT status FROM safemigrate_history WHERE id = 'kill_001'"))
                        .singleElement().satisfies(r -> assertThat(r.values()).containsExactly(committed ? "applied" : "rolled_back"));
                if (committed) {
                    assertThat(Fixture.constraintExists(three, Items.UNIQUE)).isTrue();
                    assertThat(Fixture.count(three, "SELECT COUNT(*) FROM items")).isEqualTo(Items.keys(ROWS));
                    assertThat(Items.duplicatedKeys(three)).isZero();
                    assertThat(withArchive(three)).as("items and archive together hold every row as before").isEqualTo(before);
                } else {
                    assertThat(Items.fingerprint(three)).isEqualTo(before);
                    assertThat(Fixture.constraintExists(three, Items.UNIQUE)).isFalse();
                }
                assertThat(Fixture.count(three, "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()")).isZero();
                assertThat(Fixture.tableNames(three)).noneMatch(t -> t.startsWith("sm_guard_") || t.startsWith("sm_fence_"));
                Fixture.execute(three, "INSERT INTO items (id, k, v) VALUES (900000001, 900000001, 'after recover')");
                System.out.printf("kill -9 of node 1 at %s: node gone after %d ms; recover through node 2 took %d ms (waiting out the lease of %d s): %s%n",
                        phase, killMs, recoverMs, GaleraLease.LEASE.toSeconds(), recovered);
            } finally {
                holdAtPhase.release();
                long restartStart = System.nanoTime();
                cluster.restart(1);
                System.out.printf("node 1 rejoined in %d ms%n", (System.nanoTime() - restartStart) / 1_000_000);
            }
            assertThat(Items.fingerprint(one)).as("node 1 after rejoining").isEqualTo(Items.fingerprint(two));
        }
    }

    /** kill -9 of a node the run is not connected to: the run completes on the other two. */
    @Test
    void aRunCompletesWhenAnotherNodeIsKilledMidRun() throws Exception {
        try (GaleraCluster.Database db = cluster.createDatabase("sm_galera_kill_other")) {
            DataSource one = Items.seeded(db, ROWS);
            String before = Items.fingerprint(one);
            HoldAt holdInTransaction = new HoldAt(RunListener.Phase.DML_APPLIED);
            CompletableFuture<MigrationReport> run = CompletableFuture.supplyAsync(() -> SafeMigrate.builder().dataSource(one)
                    .lockTimeout(Duration.ofSeconds(30)).listener(holdInTransaction).build().migrate(List.of(Items.migration("kill_other_001"))));
            assertThat(holdInTransaction.awaitReached()).isTrue();
            try {
                cluster.kill(3);
                holdInTransaction.release();
                MigrationReport report = run.get(120, TimeUnit.SECONDS);
                assertThat(report.migrations().get(0).outcome()).isEqualTo("applied");
                DataSource two = GaleraDatabases.dataSource(db, 2);
                assertThat(Fixture.constraintExists(two, Items.UNIQUE)).isTrue();
                assertThat(Fixture.count(two, "SELECT COUNT(*) FROM items")).isEqualTo(Items.keys(ROWS));
                assertThat(withArchive(two)).isEqualTo(before);
                System.out.printf("kill -9 of node 3 during the data transaction of a run on node 1: applied in %d ms%n",
                        report.migrations().get(0).elapsed().toMillis());
            } finally {
                holdInTransaction.release();
                cluster.restart(3);
            }
            assertThat(withArchive(GaleraDatabases.dataSource(db, 3))).as("node 3 after rejoining").isEqualTo(before);
        }
    }

    /** The fingerprint of items and the archive's rows together, as {@link Items#fingerprint} computes it for items. */
    private static String withArchive(DataSource dataSource) throws Exception {
        String archive = Fixture.tableNames(dataSource).stream().filter(t -> t.startsWith("sm_archive_")).findFirst().orElseThrow();
        String rows = "SELECT id, k, v FROM items UNION ALL SELECT id, k, v FROM " + archive;
        return Fixture.count(dataSource, "SELECT COUNT(*) FROM (" + rows + ") r") + " rows, checksum "
                + Fixture.count(dataSource, "SELECT COALESCE(SUM(CRC32(CONCAT_WS('|', id, k, v))), 0) FROM (" + rows + ") r");
    }
}
