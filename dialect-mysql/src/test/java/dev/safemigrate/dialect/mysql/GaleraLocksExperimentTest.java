package dev.safemigrate.dialect.mysql;

import static dev.safemigrate.dialect.mysql.GaleraSql.execute;
import static dev.safemigrate.dialect.mysql.GaleraSql.millisSince;
import static dev.safemigrate.dialect.mysql.GaleraSql.number;
import static dev.safemigrate.dialect.mysql.GaleraSql.status;
import static dev.safemigrate.dialect.mysql.GaleraSql.text;
import static dev.safemigrate.dialect.mysql.GaleraSql.variable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.kit.GaleraCluster;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Galera experiment 1 (docs/galera-notes.md): the server-native locks safemigrate uses on one MariaDB
 * server act on one node only, and what a dialect can read from a connection to recognise Galera.
 */
@GaleraExperiment
class GaleraLocksExperimentTest {
    private final GaleraCluster cluster = GaleraCluster.get();

    @Test
    void getLockIsGrantedOnEveryNodeAtOnce() throws SQLException {
        try (Connection one = cluster.connect(1); Connection two = cluster.connect(2); Connection three = cluster.connect(3)) {
            assertThat(number(one, "SELECT GET_LOCK('safemigrate_experiment', 1)")).isEqualTo(1);
            assertThat(number(two, "SELECT GET_LOCK('safemigrate_experiment', 1)")).as("node 2 while node 1 holds it").isEqualTo(1);
            assertThat(number(three, "SELECT IS_FREE_LOCK('safemigrate_experiment')")).as("node 3 sees it free").isEqualTo(1);
            assertThat(number(one, "SELECT RELEASE_LOCK('safemigrate_experiment')")).isEqualTo(1);
            assertThat(number(two, "SELECT RELEASE_LOCK('safemigrate_experiment')")).isEqualTo(1);
        }
    }

    @Test
    void lockTablesOnOneNodeDoesNotStopAWriterOnAnother() throws SQLException, InterruptedException {
        try (GaleraCluster.Database db = cluster.createDatabase("galera_exp_lock_tables");
                Connection locker = db.connect(1); Connection writer = db.connect(2); Connection reader = db.connect(1)) {
            execute(locker, "CREATE TABLE t (id INT PRIMARY KEY, v INT)", "INSERT INTO t VALUES (1, 1)");
            execute(locker, "LOCK TABLES t WRITE");
            long start = System.nanoTime();
            execute(writer, "INSERT INTO t VALUES (2, 2)");
            long insertMillis = millisSince(start);
            // Node 1's applier now waits for the table lock: the write is committed in the cluster, queued on node 1.
            Thread.sleep(500);
            String applier = text(reader, "SELECT GROUP_CONCAT(DISTINCT state) FROM information_schema.processlist"
                    + " WHERE user = 'system user' AND state LIKE 'Waiting for table%'");
            long lockerSees = number(locker, "SELECT COUNT(*) FROM t");
            execute(locker, "UNLOCK TABLES");
            execute(reader, "SET SESSION wsrep_sync_wait = 1");
            long afterUnlock = number(reader, "SELECT COUNT(*) FROM t");
            System.out.printf("LOCK TABLES t WRITE on node 1: INSERT on node 2 committed in %d ms; node 1's applier '%s';"
                    + " the lock holder counts %d row(s); after UNLOCK TABLES node 1 counts %d%n", insertMillis, applier, lockerSees, afterUnlock);
            assertThat(insertMillis).isLessThan(1_000);
            assertThat(applier).isEqualTo("Waiting for table metadata lock");
            assertThat(lockerSees).isEqualTo(1);
            assertThat(afterUnlock).isEqualTo(2);
        }
    }

    /**
     * The "node-1 run hung for more than 9 minutes": a write by the LOCK TABLES holder, after a write to
     * the locked table arrived from another node, waits for that write to be applied first (commit order), and
     * the applier waits for the holder's table lock. Neither KILL nor a timeout ends it; the node is killed here.
     */
    @Test
    void theLockTablesHolderWedgesItsNodeWhenItWritesAfterARemoteWrite() throws Exception {
        try (GaleraCluster.Database db = cluster.createDatabase("galera_exp_lock_tables_wedge")) {
            try (Connection writer = db.connect(2)) {
                Connection locker = db.connect(1);
                execute(locker, "CREATE TABLE t (id INT PRIMARY KEY, v INT)", "INSERT INTO t VALUES (1, 1)", "SET SESSION innodb_lock_wait_timeout = 5", "SET SESSION max_statement_time = 5");
                execute(locker, "LOCK TABLES t WRITE");
                execute(writer, "INSERT INTO t VALUES (2, 2)");
                CompletableFuture<Void> holderWrite = CompletableFuture.runAsync(() -> {
                    try {
                        execute(locker, "INSERT INTO t VALUES (3, 3)");
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep(15_000);
                String state;
                try (Connection observer = db.connect(1)) {
                    state = text(observer, "SELECT state FROM information_schema.processlist WHERE info = 'INSERT INTO t VALUES (3, 3)'");
                }
                boolean done = holderWrite.isDone();
                long killed = System.nanoTime();
                cluster.kill(1);
                cluster.restart(1);
                System.out.printf("LOCK TABLES wedge: after 15 s the holder's INSERT is %s (state '%s'); node 1 killed and rejoined in %d ms%n",
                        done ? "done" : "still waiting", state, millisSince(killed));
                assertThat(done).isFalse();
                assertThat(state).isEqualTo("Waiting for certification");
                assertThat(holderWrite).failsWithin(30, TimeUnit.SECONDS);
                locker.close();
            }
        }
    }

    /** How a dialect can tell a Galera node from one MariaDB server: only the wsrep variables differ. */
    @Test
    void galeraIsVisibleInTheWsrepVariablesOnly() throws SQLException {
        try (Connection one = cluster.connect(1)) {
            DatabaseMetaData meta = one.getMetaData();
            String product = meta.getDatabaseProductName();
            String version = meta.getDatabaseProductVersion();
            String selected = text(one, "SELECT VERSION()");
            String wsrepOn = variable(one, "wsrep_on");
            String provider = variable(one, "wsrep_provider");
            String providerVersion = status(one, "wsrep_provider_version");
            String state = status(one, "wsrep_local_state_comment");
            String size = status(one, "wsrep_cluster_size");
            System.out.printf("probe: product '%s', version '%s', VERSION() '%s', wsrep_on %s, wsrep_provider %s, provider version '%s', state %s, size %s%n",
                    product, version, selected, wsrepOn, provider, providerVersion, state, size);
            assertThat(product).isEqualTo("MySQL");
            // The handshake's version carries the 5.5.5- prefix MariaDB sends to old MySQL clients.
            assertThat(version).isEqualTo("5.5.5-" + selected);
            assertThat(selected).contains("MariaDB").doesNotContainIgnoringCase("wsrep");
            assertThat(wsrepOn).isEqualTo("ON");
            assertThat(provider).endsWith("libgalera_smm.so");
            assertThat(providerVersion).startsWith("4.");
            assertThat(state).isEqualTo("Synced");
            assertThat(size).isEqualTo("3");
        }
    }
}
