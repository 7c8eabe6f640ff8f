package dev.safemigrate.dialect.mysql;

import static dev.safemigrate.dialect.mysql.GaleraSql.causal;
import static dev.safemigrate.dialect.mysql.GaleraSql.execute;
import static dev.safemigrate.dialect.mysql.GaleraSql.millisSince;
import static dev.safemigrate.dialect.mysql.GaleraSql.status;
import static dev.safemigrate.dialect.mysql.GaleraSql.text;
import static dev.safemigrate.dialect.mysql.GaleraSql.update;
import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.kit.GaleraCluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Galera experiment 2 (docs/galera-notes.md): a cluster-wide run lock as a lease row (owner, expires_at)
 * taken by a committed UPDATE. Galera certifies the two nodes' UPDATEs of the same primary key in one total
 * order, so at most one commits; a holder that dies stops renewing and its lease expires.
 */
@GaleraExperiment
class GaleraLeaseLockExperimentTest {
    private static final int ROUNDS = Integer.getInteger("safemigrate.galera.leaseRounds", 100);
    private static final String TAKE = "UPDATE run_lock SET owner = '%s', expires_at = NOW(6) + INTERVAL %d SECOND"
            + " WHERE name = 'run' AND (owner IS NULL OR expires_at < NOW(6))";
    private final GaleraCluster cluster = GaleraCluster.get();

    enum Outcome { WON, SAW_IT_TAKEN, FAILED_AT_UPDATE, FAILED_AT_COMMIT }

    @Test
    void twoNodesRacingForTheLeaseNeverBothWin() throws Exception {
        try (GaleraCluster.Database db = cluster.createDatabase("galera_exp_lease_race");
                Connection one = db.connect(1); Connection two = db.connect(2); Connection three = causal(db, 3)) {
            createLockTable(one);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                for (boolean autocommit : new boolean[] {true, false}) {
                    Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
                    int[] winsByNode = new int[3];
                    int errorCode = 0;
                    long conflictsBefore = conflicts(one) + conflicts(two);
                    long start = System.nanoTime();
                    for (int round = 0; round < ROUNDS; round++) {
                        CyclicBarrier barrier = new CyclicBarrier(2);
                        CompletableFuture<Result> first = CompletableFuture.supplyAsync(() -> take(one, "node1", barrier, autocommit), threads);
                        CompletableFuture<Result> second = CompletableFuture.supplyAsync(() -> take(two, "node2", barrier, autocommit), threads);
                        Result a = first.join();
                        Result b = second.join();
                        outcomes.merge(a.outcome, 1, Integer::sum);
                        outcomes.merge(b.outcome, 1, Integer::sum);
                        errorCode = Math.max(errorCode, Math.max(a.errorCode, b.errorCode));
                        assertThat((a.outcome == Outcome.WON ? 1 : 0) + (b.outcome == Outcome.WON ? 1 : 0)).as("winners in round %d", round).isEqualTo(1);
                        String winner = a.outcome == Outcome.WON ? "node1" : "node2";
                        winsByNode[a.outcome == Outcome.WON ? 0 : 1]++;
                        assertThat(text(three, "SELECT owner FROM run_lock WHERE name = 'run'")).as("owner seen on node 3").isEqualTo(winner);
                        update(a.outcome == Outcome.WON ? one : two, "UPDATE run_lock SET owner = NULL, expires_at = NULL WHERE owner = '" + winner + "'");
                    }
                    System.out.printf("lease race (%s, %d rounds, %d ms): node 1 won %d, node 2 won %d; losers: %d saw it taken, %d failed at the UPDATE, %d at COMMIT (error %d);"
                                    + " certification failures + brute-force aborts on nodes 1 and 2: %d%n",
                            autocommit ? "autocommit UPDATE" : "UPDATE + COMMIT", ROUNDS, millisSince(start), winsByNode[0], winsByNode[1],
                            outcomes.getOrDefault(Outcome.SAW_IT_TAKEN, 0), outcomes.getOrDefault(Outcome.FAILED_AT_UPDATE, 0),
                            outcomes.getOrDefault(Outcome.FAILED_AT_COMMIT, 0), errorCode, conflicts(one) + conflicts(two) - conflictsBefore);
                    assertThat(outcomes.get(Outcome.WON)).isEqualTo(ROUNDS);
                }
            } finally {
                threads.shutdownNow();
            }
        }
    }

    /** Without {@code wsrep_sync_wait}, a read on node 2 right after a commit on node 1 can miss it. */
    @Test
    void aLeaseReadOnAnotherNodeRightAfterItsCommitIsStaleWithoutSyncWait() throws SQLException {
        try (GaleraCluster.Database db = cluster.createDatabase("galera_exp_lease_read");
                Connection one = db.connect(1); Connection two = db.connect(2); Connection causal = causal(db, 2)) {
            createLockTable(one);
            int stale = 0;
            int staleCausal = 0;
            for (int round = 0; round < ROUNDS; round++) {
                String owner = "owner" + round;
                assertThat(update(one, "UPDATE run_lock SET owner = '" + owner + "' WHERE name = 'run'")).isEqualTo(1);
                stale += owner.equals(text(two, "SELECT owner FROM run_lock WHERE name = 'run'")) ? 0 : 1;
                execute(one, "UPDATE run_lock SET owner = 'again" + round + "' WHERE name = 'run'");
                staleCausal += ("again" + round).equals(text(causal, "SELECT owner FROM run_lock WHERE name = 'run'")) ? 0 : 1;
            }
            System.out.printf("lease read on node 2 right after the commit on node 1: %d of %d stale without wsrep_sync_wait, %d with it%n",
                    stale, ROUNDS, staleCausal);
            assertThat(staleCausal).isZero();
        }
    }

    @Test
    void aLeaseWhoseHolderNodeIsKilledIsFreeOnceItExpires() throws Exception {
        int ttl = 10;
        try (GaleraCluster.Database db = cluster.createDatabase("galera_exp_lease_crash"); Connection one = db.connect(1)) {
            createLockTable(one);
            Connection holder = db.connect(3);
            assertThat(update(holder, String.format(TAKE, "node3", ttl))).isEqualTo(1);
            AtomicBoolean beating = new AtomicBoolean(true);
            CompletableFuture<Integer> heartbeat = CompletableFuture.supplyAsync(() -> {
                int renewals = 0;
                try {
                    while (beating.get()) {
                        Thread.sleep(2_000);
                        renewals += update(holder, "UPDATE run_lock SET expires_at = NOW(6) + INTERVAL " + ttl + " SECOND WHERE name = 'run' AND owner = 'node3'");
                    }
                } catch (SQLException | InterruptedException e) {
                    return renewals;
                }
                return renewals;
            });
            Thread.sleep(5_000);
            long killed = System.nanoTime();
            cluster.kill(3);
            try {
                execute(one, "SET SESSION wsrep_sync_wait = 1");
                String expiresAt = text(one, "SELECT expires_at FROM run_lock WHERE name = 'run'");
                int attempts = 0;
                long wonAfter = -1;
                while (wonAfter < 0 && millisSince(killed) < (ttl + 30) * 1_000L) {
                    attempts++;
                    if (update(one, String.format(TAKE, "node1", ttl)) == 1) {
                        wonAfter = millisSince(killed);
                    } else {
                        Thread.sleep(250);
                    }
                }
                String takenAt = text(one, "SELECT expires_at - INTERVAL " + ttl + " SECOND FROM run_lock WHERE name = 'run'");
                System.out.printf("lease holder's node killed: %d renewals before; its lease ran until %s; node 1 took it %d ms after the kill,"
                        + " at %s, on attempt %d%n", heartbeat.get(), expiresAt, wonAfter, takenAt, attempts);
                assertThat(wonAfter).isBetween(1L, (ttl + 30) * 1_000L);
                assertThat(takenAt).isGreaterThanOrEqualTo(expiresAt);
            } finally {
                beating.set(false);
                cluster.restart(3);
                holder.close();
            }
        }
    }

    /** Transactions of this node that lost to another node's: at certification, or aborted by an applier. */
    private static long conflicts(Connection connection) throws SQLException {
        return Long.parseLong(status(connection, "wsrep_local_cert_failures")) + Long.parseLong(status(connection, "wsrep_local_bf_aborts"));
    }

    private static void createLockTable(Connection connection) throws SQLException {
        execute(connection, "CREATE TABLE run_lock (name VARCHAR(64) PRIMARY KEY, owner VARCHAR(64) NULL, expires_at DATETIME(6) NULL)",
                "INSERT INTO run_lock (name) VALUES ('run')");
    }

    private record Result(Outcome outcome, int errorCode) {
    }

    private static Result take(Connection connection, String owner, CyclicBarrier barrier, boolean autocommit) {
        Outcome failure = Outcome.FAILED_AT_UPDATE;
        try {
            connection.setAutoCommit(autocommit);
            barrier.await();
            int rows = update(connection, String.format(TAKE, owner, 60));
            if (!autocommit) {
                failure = Outcome.FAILED_AT_COMMIT;
                connection.commit();
            }
            return new Result(rows == 1 ? Outcome.WON : Outcome.SAW_IT_TAKEN, 0);
        } catch (SQLException e) {
            rollbackQuietly(connection);
            return new Result(failure, e.getErrorCode());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the transaction is already rolled back by the certification failure
        }
    }
}
