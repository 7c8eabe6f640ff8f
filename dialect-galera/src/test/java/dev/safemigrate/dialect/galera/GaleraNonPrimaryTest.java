package dev.safemigrate.dialect.galera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.mysql.cj.jdbc.MysqlDataSource;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.GaleraCluster;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A node cut off from the primary component (node 1 isolated with {@code gmcast.isolate=1}: it sees a cluster of one,
 * non-Primary, and refuses reads and writes of tables with 1047) is no place to run: {@code plan} and {@code migrate}
 * through it stop before any change, with an exit code and a message that say why, while the other two nodes go on.
 * Node 1 then rejoins by itself once no longer isolated.
 */
class GaleraNonPrimaryTest {
    private final GaleraCluster cluster = GaleraCluster.get();

    @Test
    void planAndMigrateThroughANodeOutsideThePrimaryComponentChangeNothing() throws Exception {
        try (GaleraCluster.Database db = cluster.createDatabase("sm_galera_non_primary")) {
            DataSource one = Items.seeded(db, 1_000);
            DataSource two = GaleraDatabases.dataSource(db, 2);
            String before = Items.fingerprint(two);
            long isolatedMs;
            String plan;
            String migrate;
            try {
                isolate(1, true);
                long start = System.nanoTime();
                while (!"non-Primary".equals(cluster.status(1, "wsrep_cluster_status"))) {
                    assertThat(System.nanoTime() - start).as("node 1 non-Primary within 30 s").isLessThan(30_000_000_000L);
                    Thread.sleep(200);
                }
                isolatedMs = (System.nanoTime() - start) / 1_000_000;
                // Not the tests' usual data source: its causal reads at connect (wsrep_sync_wait) time out on a non-Primary node.
                MysqlDataSource plain = new MysqlDataSource();
                plain.setURL(db.url(1));
                plain.setUser("root");
                SafeMigrate throughOne = SafeMigrate.builder().dataSource(plain).lockTimeout(Duration.ofSeconds(5)).build();
                SafeMigrateException planned = catchThrowableOfType(SafeMigrateException.class, () -> throughOne.plan(List.of(Items.migration("np_001"))));
                SafeMigrateException migrated = catchThrowableOfType(SafeMigrateException.class,
                        () -> throughOne.migrate(List.of(Items.migration("np_001"))));
                plan = planned.exitCode() + ": " + planned.getMessage();
                migrate = migrated.exitCode() + ": " + migrated.getMessage();
                for (SafeMigrateException refused : List.of(planned, migrated)) {
                    assertThat(refused.exitCode().code()).as(refused.getMessage()).isEqualTo(3);
                    assertThat(refused.getMessage()).contains("primary component").contains("non-Primary");
                }
                assertThat(Items.fingerprint(two)).as("nodes 2 and 3 go on, unchanged").isEqualTo(before);
                Fixture.execute(two, "INSERT INTO items (id, k, v) VALUES (900000001, 900000001, 'while node 1 is cut off')");
            } finally {
                isolate(1, false);
            }
            long start = System.nanoTime();
            while (!"Synced".equals(cluster.status(1, "wsrep_local_state_comment")) || cluster.statusNumber(1, "wsrep_cluster_size") != 3) {
                assertThat(System.nanoTime() - start).as("node 1 back within 60 s").isLessThan(60_000_000_000L);
                Thread.sleep(200);
            }
            long backMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(Fixture.tableNames(one)).as("not even the bookkeeping tables were made").containsExactly("items");
            assertThat(Items.fingerprint(one)).isEqualTo(Items.fingerprint(two));
            System.out.printf("node 1 isolated (non-Primary after %d ms): plan %s; migrate %s; back in the cluster %d ms after isolate=0%n",
                    isolatedMs, plan, migrate, backMs);
        }
    }

    private void isolate(int node, boolean on) throws Exception {
        try (Connection connection = cluster.connect(node); Statement statement = connection.createStatement()) {
            statement.execute("SET GLOBAL wsrep_provider_options = 'gmcast.isolate=" + (on ? 1 : 0) + "'");
        }
    }
}
