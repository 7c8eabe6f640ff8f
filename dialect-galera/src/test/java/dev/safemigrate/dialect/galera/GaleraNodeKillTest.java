package dev.safemigrate.dialect.galera;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.GaleraCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 14, acceptance 4: kill -9 of the node the run is connected to, at each phase of the run. Through another
 * node, {@code recover} (or {@code migrate}, which recovers first) then leaves the data as before when the data
 * transaction had not committed, or fully migrated when it had, with the fence's triggers gone and its flag down;
 * the killed node rejoins with the same data, and the next {@code migrate} through it succeeds. The test databases'
 * lease is taken over after 5 s instead of 20 ({@code takeover_seconds}), so a case takes 22 to 28 s. By default two
 * kills run (mid data transaction, during the DDL); {@code -Dsafemigrate.galera.allKills=true} runs all five. kill -9
 * of a node the run is not connected to: the run completes on the other two.
 */
class GaleraNodeKillTest {
    private static final int ROWS = 50_000;
    private static final Duration TAKEOVER = Duration.ofSeconds(5);
    private final GaleraCluster cluster = GaleraCluster.get();

    /** Where the run is when its node dies, what then brings it to an end through node 2, and whether its data had committed. */
    enum Kill {
        /** Archives made and the fence installed (writers guarded), before the data transaction. */
        GUARDED(RunListener.Phase.PREPARED, true, false),
        /** Inside the data transaction, every DML step applied (streamed fragments on the other nodes), not committed. */
        MID_DATA_TRANSACTION(RunListener.Phase.DML_APPLIED, false, false),
        /** The data transaction committed, no DDL run. */
        AFTER_COMMIT(RunListener.Phase.BETWEEN_PHASES, false, true),
        /** While the ALTER TABLE runs on node 1 (in total order, so the other nodes run it too). */
        DURING_DDL(RunListener.Phase.BETWEEN_PHASES, true, true),
        /** The constraint exists; the fence is still up and the history still says running. */
        AFTER_DDL(RunListener.Phase.CONSTRAINED, false, true);

        final String holdAt;
        final boolean migrateThroughTwo;
        final boolean committed;

        Kill(String holdAt, boolean migrateThroughTwo, boolean committed) {
            this.holdAt = holdAt;
            this.migrateThroughTwo = migrateThroughTwo;
            this.committed = committed;
        }
    }

    /** Two kills by default (one run reversed through recover, one completed through migrate); all five with the property. */
    static List<Kill> kills() {
        return Boolean.getBoolean("safemigrate.galera.allKills") ? List.of(Kill.values()) : List.of(Kill.MID_DATA_TRANSACTION, Kill.DURING_DDL);
    }

    @ParameterizedTest
    @MethodSource("kills")
    void aRunWhoseNodeWasKilledEndsThroughAnotherNodeAsBeforeOrMigrated(Kill kill) throws Exception {
        int rows = kill == Kill.DURING_DDL ? 4 * ROWS : ROWS;
        try (GaleraCluster.Database db = cluster.createDatabase("sm_galera_kill_" + kill.name().toLowerCase())) {
            DataSource one = Items.seeded(db, rows);
            DataSource two = GaleraDatabases.dataSource(db, 2);
            DataSource three = GaleraDatabases.dataSource(db, 3);
            shortenTakeover(db);
            String before = Items.fingerprint(two);
            HoldAt hold = new HoldAt(kill.holdAt);
            CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> {
                try {
                    SafeMigrate.builder().dataSource(one).lockTimeout(Duration.ofSeconds(30)).listener(hold).build()
                            .migrate(List.of(Items.migration("kill_001")));
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            assertThat(hold.awaitReached()).isTrue();
            String during = "";
            long killStart;
            try {
                if (kill == Kill.DURING_DDL) {
                    try (Connection watcher = db.connect(1)) {
                        hold.release();
                        during = awaitAlter(watcher) ? " (ALTER TABLE seen running on node 1)" : " (ALTER TABLE not seen running: killed after it)";
                    }
                }
                killStart = System.nanoTime();
                cluster.kill(1);
            } finally {
                hold.release();
            }
            long killMs = (System.nanoTime() - killStart) / 1_000_000;
            long rejoinMs = -1;
            try {
                assertThat(run.get(120, TimeUnit.SECONDS)).as("the run through the killed node fails").isNotNull();
                long endStart = System.nanoTime();
                SafeMigrate throughTwo = SafeMigrate.builder().dataSource(two).lockTimeout(Duration.ofSeconds(90)).build();
                String ended = kill.migrateThroughTwo ? throughTwo.migrate(List.of(Items.migration("kill_001"))).migrations().get(0).outcome()
                        : String.join("; ", throughTwo.recover());
                long endMs = (System.nanoTime() - endStart) / 1_000_000;
                boolean migrated = kill.committed || kill.migrateThroughTwo;
                assertThat(Fixture.query(three, "SELECT status FROM safemigrate_history WHERE id = 'kill_001'"))
                        .singleElement().satisfies(r -> assertThat(r.values()).containsExactly(migrated ? "applied" : "rolled_back"));
                if (migrated) {
                    assertMigrated(three, rows, before);
                } else {
                    assertThat(Items.fingerprint(three)).isEqualTo(before);
                    assertThat(Fixture.constraintExists(three, Items.UNIQUE)).isFalse();
                }
                assertFenceGone(three);
                System.out.printf("kill -9 of node 1 %s%s: node gone after %d ms; %s through node 2 took %d ms (lease takeover %d s): %s%n",
                        kill, during, killMs, kill.migrateThroughTwo ? "migrate" : "recover", endMs, TAKEOVER.toSeconds(), ended);
            } finally {
                long rejoinStart = System.nanoTime();
                cluster.restart(1);
                rejoinMs = (System.nanoTime() - rejoinStart) / 1_000_000;
                System.out.printf("kill -9 of node 1 %s: node 1 rejoined in %d ms%n", kill, rejoinMs);
            }
            assertThat(Items.fingerprint(one)).as("node 1 after rejoining").isEqualTo(Items.fingerprint(two));
            assertFenceGone(one);
            MigrationReport next = SafeMigrate.builder().dataSource(one).lockTimeout(Duration.ofSeconds(30)).build()
                    .migrate(List.of(Items.migration("kill_001")));
            assertThat(next.migrations().get(0).outcome()).as("the next migrate through node 1").isIn("applied", "already_applied");
            assertMigrated(three, rows, before);
            assertFenceGone(three);
        }
    }

    /** The test database's lease is taken over after {@link #TAKEOVER}: the lease table is made by taking the lease once. */
    private static void shortenTakeover(GaleraCluster.Database db) throws Exception {
        try (Connection session = db.connect(1)) {
            new GaleraLease().acquire(session, () -> {
                try {
                    return db.connect(1);
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, Duration.ofSeconds(5)).close();
        }
        Fixture.execute(GaleraDatabases.dataSource(db, 1), "UPDATE safemigrate_lease SET takeover_seconds = " + TAKEOVER.toSeconds());
    }

    /** Waits (up to 30 s) until node 1 runs an ALTER TABLE of items; false if the run got past it unseen. */
    private static boolean awaitAlter(Connection watcher) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Statement statement = watcher.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'ALTER TABLE%items%'")) {
                    rows.next();
                    if (rows.getInt(1) > 0) {
                        return true;
                    }
                }
                try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()"
                        + " AND INDEX_NAME = '" + Items.UNIQUE + "'")) {
                    rows.next();
                    if (rows.getInt(1) > 0) {
                        return false;
                    }
                }
            }
        }
        return false;
    }

    private static void assertMigrated(DataSource dataSource, int rows, String before) throws Exception {
        assertThat(Fixture.constraintExists(dataSource, Items.UNIQUE)).isTrue();
        assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM items")).isEqualTo(Items.keys(rows));
        assertThat(Items.duplicatedKeys(dataSource)).isZero();
        assertThat(withArchive(dataSource)).as("items and archive together hold every row as before").isEqualTo(before);
    }

    /** No trigger left on the node, and the cleaning flag (its table stays: see {@link GaleraFenceRemovalTest}) is down. */
    private static void assertFenceGone(DataSource dataSource) throws Exception {
        assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()")).isZero();
        for (String flag : Fixture.tableNames(dataSource).stream().filter(t -> t.startsWith("sm_fence_")).toList()) {
            assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM " + flag + " WHERE cleaning = 1")).as("flag %s", flag).isZero();
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
