package dev.safemigrate.dialect.mysql;

import static dev.safemigrate.dialect.mysql.GaleraSql.causal;
import static dev.safemigrate.dialect.mysql.GaleraSql.execute;
import static dev.safemigrate.dialect.mysql.GaleraSql.millisSince;
import static dev.safemigrate.dialect.mysql.GaleraSql.number;
import static dev.safemigrate.dialect.mysql.GaleraSql.seed;
import static dev.safemigrate.dialect.mysql.GaleraSql.update;
import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.kit.GaleraCluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Galera experiment 6 (docs/galera-notes.md): kill -9 of the node a client is connected to, with a
 * transaction open (plain, and streaming fragments already replicated) and while it commits.
 */
@GaleraExperiment
class GaleraCrashExperimentTest {
    private static final int COMMIT_ROWS = Integer.getInteger("safemigrate.galera.crashRows", 200_000);
    private final GaleraCluster cluster = GaleraCluster.get();

    @Test
    void anOpenTransactionOfAKilledNodeLeavesNothingOnTheOthers() throws SQLException {
        for (boolean streaming : new boolean[] {false, true}) {
            try (GaleraCluster.Database db = cluster.createDatabase("galera_exp_crash_open"); Connection one = db.connect(1)) {
                execute(one, "CREATE TABLE t (id BIGINT PRIMARY KEY, v VARCHAR(40))");
                Connection client = db.connect(3);
                execute(client, "INSERT INTO t SELECT seq, 'committed' FROM seq_1_to_100");
                if (streaming) {
                    execute(client, "SET SESSION wsrep_trx_fragment_unit = 'rows'", "SET SESSION wsrep_trx_fragment_size = 100");
                }
                client.setAutoCommit(false);
                execute(client, "INSERT INTO t SELECT seq, 'open' FROM seq_1001_to_2000");
                long fragments = number(one, "SELECT COUNT(*) FROM mysql.wsrep_streaming_log");
                SQLException seen;
                long killed = System.nanoTime();
                try {
                    cluster.kill(3);
                    seen = failure(() -> client.commit());
                    execute(one, "SET SESSION wsrep_sync_wait = 1");
                    long rows = number(one, "SELECT COUNT(*) FROM t");
                    long fragmentsLeft = waitForNoFragments(one);
                    assertThat((Object) seen).as("the client's COMMIT after its node died").isNotNull();
                    System.out.printf("kill -9 of the client's node with a %s transaction of 1,000 rows open (%d fragments replicated): the client's COMMIT"
                                    + " fails with %s, SQLState %s, code %d; node 1 has %d rows, %d fragments left after %d ms%n",
                            streaming ? "streaming" : "plain", fragments, seen.getClass().getSimpleName(), seen.getSQLState(), seen.getErrorCode(),
                            rows, fragmentsLeft, millisSince(killed));
                    assertThat(seen.getSQLState()).isEqualTo("08S01");
                    assertThat(rows).isEqualTo(100);
                    // Node 1 may not have applied the last fragment yet when it is counted.
                    assertThat(fragments).isBetween(streaming ? 1L : 0L, streaming ? 10L : 0L);
                    assertThat(fragmentsLeft).isZero();
                } finally {
                    cluster.restart(3);
                    client.abort(Runnable::run);
                }
            }
        }
    }

    /**
     * The client's node dies while a big write-set is being committed: the others apply all of it or none of it,
     * and a client that saw the connection fail cannot tell which (the transaction may have committed).
     */
    @Test
    void aKillDuringCommitLeavesAllOrNothing() throws Exception {
        for (long delay : new long[] {0, 50, 1_000}) {
            try (GaleraCluster.Database db = cluster.createDatabase("galera_exp_crash_commit"); Connection one = db.connect(1)) {
                seed(one, "t", COMMIT_ROWS);
                Connection client = causal(db, 3);
                assertThat(number(client, "SELECT COUNT(*) FROM t")).isEqualTo(COMMIT_ROWS);
                client.setAutoCommit(false);
                update(client, "DELETE FROM t");
                CompletableFuture<SQLException> commit = CompletableFuture.supplyAsync(() -> failure(() -> client.commit()));
                Thread.sleep(delay);
                boolean committedBeforeKill = commit.isDone();
                try {
                    cluster.kill(3);
                    SQLException seen = commit.get();
                    execute(one, "SET SESSION wsrep_sync_wait = 1");
                    long rows = number(one, "SELECT COUNT(*) FROM t");
                    System.out.printf("kill -9 of the client's node %d ms into the COMMIT of a %d-row DELETE (commit done before the kill: %s):"
                                    + " the client sees %s; node 1 has %d rows%n", delay, COMMIT_ROWS, committedBeforeKill,
                            seen == null ? "success" : seen.getSQLState() + " " + seen.getMessage().lines().findFirst().orElse(""), rows);
                    assertThat(rows).isIn(0L, (long) COMMIT_ROWS);
                } finally {
                    cluster.restart(3);
                    client.abort(Runnable::run);
                }
            }
        }
    }

    /** Streaming fragments of a transaction whose node left are rolled back by the others once they see the new view. */
    private static long waitForNoFragments(Connection connection) throws SQLException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        long left = number(connection, "SELECT COUNT(*) FROM mysql.wsrep_streaming_log");
        while (left > 0 && System.nanoTime() < deadline) {
            sleep(200);
            left = number(connection, "SELECT COUNT(*) FROM mysql.wsrep_streaming_log");
        }
        return left;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private interface SqlAction {
        void run() throws SQLException;
    }

    private static SQLException failure(SqlAction action) {
        try {
            action.run();
            return null;
        } catch (SQLException e) {
            return e;
        }
    }
}
