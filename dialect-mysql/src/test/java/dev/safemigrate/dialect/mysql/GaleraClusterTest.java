package dev.safemigrate.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.kit.GaleraCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The Galera fixture itself: three synced nodes, replication, and a node killed and rejoined. */
class GaleraClusterTest {
    private final GaleraCluster cluster = GaleraCluster.get();

    @Test
    void everyNodeIsSyncedInAClusterOfThree() throws SQLException {
        for (int node = 1; node <= GaleraCluster.NODES; node++) {
            assertThat(cluster.statusNumber(node, "wsrep_cluster_size")).as("node %d", node).isEqualTo(3);
            assertThat(cluster.status(node, "wsrep_local_state_comment")).as("node %d", node).isEqualTo("Synced");
            assertThat(cluster.status(node, "wsrep_cluster_status")).as("node %d", node).isEqualTo("Primary");
        }
    }

    @Test
    void aRowWrittenOnNode1IsReadOnNode3() throws SQLException {
        try (GaleraCluster.Database db = cluster.createDatabase("galera_fixture_replication")) {
            try (Connection one = db.connect(1); Statement statement = one.createStatement()) {
                statement.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))");
                statement.execute("INSERT INTO t VALUES (1, 'from node 1')");
            }
            assertThat(readCausally(db, 3, "SELECT v FROM t WHERE id = 1")).isEqualTo("from node 1");
        }
    }

    @Test
    void aKilledNodeLeavesATwoNodePrimaryThatTakesWritesAndRejoins() throws SQLException, InterruptedException {
        try (GaleraCluster.Database db = cluster.createDatabase("galera_fixture_kill")) {
            try (Connection one = db.connect(1); Statement statement = one.createStatement()) {
                statement.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))");
            }
            long killed = System.nanoTime();
            cluster.kill(3);
            try {
                // The survivors notice the loss after Galera's suspect timeout (evs.suspect_timeout, 5 s).
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (cluster.statusNumber(1, "wsrep_cluster_size") != 2 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                long noticed = System.nanoTime();
                assertThat(cluster.statusNumber(1, "wsrep_cluster_size")).isEqualTo(2);
                assertThat(cluster.status(2, "wsrep_cluster_status")).isEqualTo("Primary");
                try (Connection one = db.connect(1); Statement statement = one.createStatement()) {
                    statement.execute("INSERT INTO t VALUES (1, 'while 3 was down')");
                }
                assertThat(readCausally(db, 2, "SELECT v FROM t WHERE id = 1")).isEqualTo("while 3 was down");
                long restarted = System.nanoTime();
                cluster.restart(3);
                System.out.printf("galera fixture: node 3 killed, seen gone by node 1 after %d ms; rejoined and Synced in %d ms%n",
                        (noticed - killed) / 1_000_000, (System.nanoTime() - restarted) / 1_000_000);
            } finally {
                if (cluster.status(1, "wsrep_cluster_size").equals("2")) {
                    cluster.restart(3);
                }
            }
            assertThat(cluster.statusNumber(3, "wsrep_cluster_size")).isEqualTo(3);
            assertThat(readCausally(db, 3, "SELECT v FROM t WHERE id = 1")).isEqualTo("while 3 was down");
        }
    }

    /** The first column of the first row, read after the node has applied everything committed before. */
    static String readCausally(GaleraCluster.Database db, int node, String query) throws SQLException {
        try (Connection connection = db.connect(node); Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION wsrep_sync_wait = 1");
            try (ResultSet rows = statement.executeQuery(query)) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }
}
