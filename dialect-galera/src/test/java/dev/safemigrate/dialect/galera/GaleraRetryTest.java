package dev.safemigrate.dialect.galera;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.GaleraCluster;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A write through another node to a row the open data transaction deletes is certified first, so the data transaction
 * fails with 1213 and nothing of it is committed; the strategy runs it again, and the archive keeps the row as that
 * write left it: nothing is lost and nothing is counted twice.
 */
class GaleraRetryTest {
    private static final int ROWS = 10_000;
    private final GaleraCluster cluster = GaleraCluster.get();

    @Test
    void aDataTransactionThatLostCertificationRunsAgainAndArchivesTheOtherNodesWrite() throws Exception {
        try (GaleraCluster.Database db = cluster.createDatabase("sm_galera_retry")) {
            DataSource one = Items.seeded(db, ROWS);
            long loser = Fixture.count(one, "SELECT MAX(id) FROM items");
            AtomicInteger attempts = new AtomicInteger();
            RunListener writeThroughNodeTwo = new RunListener() {
                @Override
                public void phaseReached(String id, String phase) {
                    if (phase.equals(RunListener.Phase.DML_APPLIED) && attempts.incrementAndGet() == 1) {
                        try (Connection two = db.connect(2); Statement statement = two.createStatement()) {
                            // Past the cleaning flag, as a write that node 2 let through before the flag had reached it.
                            statement.execute("SET @safemigrate_bypass = 1");
                            assertThat(statement.executeUpdate("UPDATE items SET v = 'changed on node 2' WHERE id = " + loser)).isEqualTo(1);
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            };
            MigrationReport report = SafeMigrate.builder().dataSource(one).lockTimeout(Duration.ofSeconds(30)).listener(writeThroughNodeTwo).build()
                    .migrate(List.of(Items.migration("retry_001")));

            assertThat(attempts.get()).as("data transaction attempts").isEqualTo(2);
            long deleted = ROWS - Items.keys(ROWS);
            assertThat(report.migrations().get(0).steps().get(0).outcome().deleted()).isEqualTo(deleted);
            assertThat(report.migrations().get(0).steps()).hasSize(2);
            String archive = Fixture.tableNames(one).stream().filter(t -> t.startsWith("sm_archive_")).findFirst().orElseThrow();
            assertThat(Fixture.count(one, "SELECT COUNT(*) FROM " + archive)).isEqualTo(deleted);
            assertThat(Fixture.count(one, "SELECT COUNT(*) FROM " + archive + " WHERE id = " + loser + " AND v = 'changed on node 2'")).isEqualTo(1);
            assertThat(Fixture.count(one, "SELECT COUNT(*) FROM items")).isEqualTo(Items.keys(ROWS));
            System.out.printf("a write through node 2 to a row the open data transaction deleted: the run took %d attempts and applied%n", attempts.get());
        }
    }
}
