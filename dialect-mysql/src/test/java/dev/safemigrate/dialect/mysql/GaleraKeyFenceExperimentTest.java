package dev.safemigrate.dialect.mysql;

import static dev.safemigrate.dialect.mysql.GaleraSql.causal;
import static dev.safemigrate.dialect.mysql.GaleraSql.errorCode;
import static dev.safemigrate.dialect.mysql.GaleraSql.execute;
import static dev.safemigrate.dialect.mysql.GaleraSql.number;
import static dev.safemigrate.dialect.mysql.GaleraSql.update;
import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.kit.GaleraCluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Galera experiment 3b (docs/galera-notes.md): triggers that reject only the writes that would create a
 * duplicate of the key, and whether they hold when two nodes insert the same new key at once.
 */
@GaleraExperiment
class GaleraKeyFenceExperimentTest {
    private static final int ROUNDS = Integer.getInteger("safemigrate.galera.fenceRounds", 100);
    private final GaleraCluster cluster = GaleraCluster.get();

    /** A trigger that looks for the key in the table: each node looks at its own copy. */
    @Test
    void aTriggerThatLooksForTheKeyLetsTwoNodesInsertTheSameNewKey() throws Exception {
        race("galera_exp_key_exists", "IF EXISTS (SELECT 1 FROM t WHERE k = NEW.k) THEN"
                + " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'safemigrate: duplicate key during migration'; END IF;", false);
    }

    /** A trigger that inserts the key into a guard table keyed by it: Galera certifies the guard rows. */
    @Test
    void aTriggerThatInsertsTheKeyIntoAGuardTableStopsTheSecondNode() throws Exception {
        race("galera_exp_key_guard", "INSERT INTO key_guard VALUES (NEW.k);", true);
    }

    private void race(String database, String triggerBody, boolean guarded) throws Exception {
        try (GaleraCluster.Database db = cluster.createDatabase(database); Connection one = db.connect(1); Connection two = causal(db, 2)) {
            execute(one, "CREATE TABLE t (id BIGINT PRIMARY KEY, k INT NOT NULL, v VARCHAR(40))",
                    "INSERT INTO t SELECT seq, seq, 'seed' FROM seq_1_to_1000",
                    "CREATE TABLE key_guard (k INT PRIMARY KEY)",
                    "INSERT INTO key_guard SELECT DISTINCT k FROM t",
                    "CREATE TRIGGER t_key_fence BEFORE INSERT ON t FOR EACH ROW BEGIN " + triggerBody + " END");
            int existing = errorCode(() -> update(two, "INSERT INTO t VALUES (5000, 1, 'duplicate of k = 1')"));
            int fresh = errorCode(() -> update(two, "INSERT INTO t VALUES (5001, 5001, 'new key')"));
            ExecutorService threads = Executors.newFixedThreadPool(2);
            Map<Integer, Integer> losers = new TreeMap<>();
            int bothCommitted = 0;
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    int key = 10_000 + round;
                    CyclicBarrier barrier = new CyclicBarrier(2);
                    long id = 20_000 + 2L * round;
                    CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> insertAfter(barrier, one, id, key), threads);
                    CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> insertAfter(barrier, two, id + 1, key), threads);
                    int a = first.get();
                    int b = second.get();
                    if (a == 0 && b == 0) {
                        bothCommitted++;
                    } else {
                        assertThat(a == 0 || b == 0).as("one of the two inserts commits in round %d", round).isTrue();
                        losers.merge(a == 0 ? b : a, 1, Integer::sum);
                    }
                }
            } finally {
                threads.shutdownNow();
            }
            long duplicateKeys = number(two, "SELECT COUNT(*) FROM (SELECT k FROM t GROUP BY k HAVING COUNT(*) > 1) d");
            System.out.printf("key fence (%s): a duplicate of an existing key on node 2: error %d; a new key: %d; the same new key inserted on"
                            + " nodes 1 and 2 at once, %d rounds: both committed %d times, losers' errors %s; duplicated keys in t: %d%n",
                    guarded ? "guard table" : "EXISTS", existing, fresh, ROUNDS, bothCommitted, losers, duplicateKeys);
            assertThat(existing).isEqualTo(guarded ? 1062 : 1644);
            assertThat(fresh).isZero();
            assertThat(duplicateKeys).isEqualTo(bothCommitted);
            if (guarded) {
                assertThat(bothCommitted).isZero();
            }
        }
    }

    private static int insertAfter(CyclicBarrier barrier, Connection connection, long id, int key) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return errorCode(() -> update(connection, "INSERT INTO t VALUES (" + id + ", " + key + ", 'race')"));
    }
}
