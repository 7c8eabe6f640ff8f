package dev.safemigrate.dialect.mysql;

import static dev.safemigrate.dialect.mysql.GaleraSql.causal;
import static dev.safemigrate.dialect.mysql.GaleraSql.errorCode;
import static dev.safemigrate.dialect.mysql.GaleraSql.execute;
import static dev.safemigrate.dialect.mysql.GaleraSql.millisSince;
import static dev.safemigrate.dialect.mysql.GaleraSql.number;
import static dev.safemigrate.dialect.mysql.GaleraSql.seed;
import static dev.safemigrate.dialect.mysql.GaleraSql.update;
import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.kit.GaleraCluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Galera experiment 5 (docs/galera-notes.md): ALTER TABLE ... ADD UNIQUE in total order isolation (TOI)
 * while another node writes, a duplicate racing the constraint, and rolling schema upgrade (RSU).
 */
@GaleraExperiment
class GaleraDdlExperimentTest {
    private static final int ROWS = Integer.getInteger("safemigrate.galera.ddlRows", 500_000);
    private final GaleraCluster cluster = GaleraCluster.get();

    /** Writes of one table, on one node, until stopped: how many succeeded, the errors, the longest wait. */
    private record Writes(int done, Map<Integer, Integer> errors, long longestMillis) {
    }

    @Test
    void addUniqueUnderToiHoldsWritersOnEveryTable() throws Exception {
        try (GaleraCluster.Database db = cluster.createDatabase("galera_exp_ddl_toi"); Connection one = db.connect(1)) {
            assertThat(GaleraSql.variable(one, "wsrep_osu_method")).isEqualTo("TOI");
            seed(one, "t", ROWS);
            execute(one, "CREATE TABLE u (id BIGINT PRIMARY KEY, v INT)");
            for (int node = 2; node <= GaleraCluster.NODES; node++) {
                try (Connection connection = db.connect(node)) {
                    // The writers start once their nodes have applied the seed.
                    execute(connection, "SET SESSION wsrep_sync_wait = 1", "SELECT COUNT(*) FROM t", "SELECT COUNT(*) FROM u");
                }
            }
            AtomicBoolean writing = new AtomicBoolean(true);
            CompletableFuture<Writes> onT = write(db, 2, "t", writing);
            CompletableFuture<Writes> onU = write(db, 3, "u", writing);
            Thread.sleep(3_000);
            long start = System.nanoTime();
            execute(one, "ALTER TABLE t ADD CONSTRAINT uq_t_k UNIQUE (k)");
            long alterMillis = millisSince(start);
            Thread.sleep(1_000);
            writing.set(false);
            Writes t = GaleraSql.join(onT);
            Writes u = GaleraSql.join(onU);
            long indexes = 0;
            for (int node = 1; node <= GaleraCluster.NODES; node++) {
                try (Connection connection = db.connect(node)) {
                    execute(connection, "SET SESSION wsrep_sync_wait = 1");
                    indexes += number(connection, "SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = DATABASE() AND index_name = 'uq_t_k'");
                }
            }
            System.out.printf("ADD UNIQUE under TOI on %d rows: %d ms on node 1; writer of t on node 2: %d inserts, errors %s, longest wait %d ms;"
                    + " writer of another table on node 3: %d inserts, errors %s, longest wait %d ms; nodes with the index: %d%n",
                    ROWS, alterMillis, t.done, t.errors, t.longestMillis, u.done, u.errors, u.longestMillis, indexes);
            assertThat(indexes).isEqualTo(3);
            assertThat(t.longestMillis).isGreaterThan(alterMillis / 2);
        }
    }

    /** A duplicate committed on node 2 before the ALTER is ordered: the ALTER fails, on every node alike. */
    @Test
    void addUniqueFailsEverywhereWhenAnotherNodeCommittedADuplicateFirst() throws Exception {
        try (GaleraCluster.Database db = cluster.createDatabase("galera_exp_ddl_duplicate"); Connection one = db.connect(1); Connection two = causal(db, 2)) {
            seed(one, "t", ROWS);
            assertThat(number(two, "SELECT COUNT(*) FROM t")).isEqualTo(ROWS);
            execute(two, "INSERT INTO t VALUES (" + (ROWS + 1) + ", 1, 'duplicate from node 2')");
            int alter = errorCode(() -> {
                execute(one, "ALTER TABLE t ADD CONSTRAINT uq_t_k UNIQUE (k)");
                return null;
            });
            // During the ALTER: the insert of a duplicate on node 2 waits for it, then fails against the new index.
            CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
                try {
                    execute(one, "DELETE FROM t WHERE id = " + (ROWS + 1), "ALTER TABLE t ADD CONSTRAINT uq_t_k UNIQUE (k)");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            long start = System.nanoTime();
            int during = errorCode(() -> update(two, "INSERT INTO t VALUES (" + (ROWS + 2) + ", 2, 'duplicate during the ALTER')"));
            long duringMillis = millisSince(start);
            running.get();
            System.out.printf("ADD UNIQUE after a duplicate committed on node 2: error %d; a duplicate inserted on node 2 during the ALTER: error %d after %d ms%n",
                    alter, during, duringMillis);
            assertThat(alter).isEqualTo(1062);
            assertThat(during).isEqualTo(1062);
            assertThat(number(two, "SELECT COUNT(*) FROM t WHERE k = 2")).isEqualTo(1);
        }
    }

    /** RSU runs the DDL on the connected node only: the other nodes never get it. */
    @Test
    void rsuAppliesTheDdlOnOneNodeOnly() throws SQLException {
        try (GaleraCluster.Database db = cluster.createDatabase("galera_exp_ddl_rsu"); Connection one = db.connect(1); Connection two = causal(db, 2)) {
            seed(one, "t", 10_000);
            execute(one, "SET SESSION wsrep_OSU_method = 'RSU'", "ALTER TABLE t ADD CONSTRAINT uq_t_k UNIQUE (k)", "SET SESSION wsrep_OSU_method = 'TOI'");
            String query = "SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = DATABASE() AND index_name = 'uq_t_k'";
            long onOne = number(one, query);
            long onTwo = number(two, query);
            System.out.printf("ADD UNIQUE with wsrep_OSU_method = RSU on node 1: index on node 1: %d, on node 2: %d%n", onOne, onTwo);
            assertThat(onOne).isEqualTo(1);
            assertThat(onTwo).isZero();
        }
    }

    private static CompletableFuture<Writes> write(GaleraCluster.Database db, int node, String table, AtomicBoolean writing) {
        return CompletableFuture.supplyAsync(() -> {
            Map<Integer, Integer> errors = new TreeMap<>();
            int done = 0;
            long longest = 0;
            try (Connection connection = db.connect(node)) {
                for (long id = 10_000_000L * node; writing.get(); id++) {
                    long start = System.nanoTime();
                    String values = table.equals("t") ? id + ", " + id + ", 'written during the DDL'" : id + ", 1";
                    int code = errorCode(() -> update(connection, "INSERT INTO " + table + " VALUES (" + values + ")"));
                    longest = Math.max(longest, millisSince(start));
                    if (code == 0) {
                        done++;
                    } else {
                        errors.merge(code, 1, Integer::sum);
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return new Writes(done, errors, longest);
        });
    }
}
