package dev.safemigrate.dialect.galera;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.GaleraCluster;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The data transaction is streamed in fragments, so a write-set size limit far below the whole transaction does not
 * fail it: 40,000 row changes under a 1 MiB {@code wsrep_max_ws_size} (one write-set of 100,000 deletes failed there,
 * docs/galera-notes.md section 4).
 */
class GaleraWriteSetTest {
    private static final int ROWS = 200_000;
    private static final long ONE_MIB = 1L << 20;
    private final GaleraCluster cluster = GaleraCluster.get();

    @Test
    void aRunLargerThanTheWriteSetSizeLimitApplies() throws Exception {
        try (GaleraCluster.Database db = cluster.createDatabase("sm_galera_ws_size"); Connection one = cluster.connect(1);
                Statement statement = one.createStatement()) {
            DataSource node1 = Items.seeded(db, ROWS);
            statement.execute("SET GLOBAL wsrep_max_ws_size = " + ONE_MIB);
            MigrationReport report;
            try {
                report = SafeMigrate.builder().dataSource(node1).build().migrate(List.of(Items.migration("ws_size_001")));
            } finally {
                statement.execute("SET GLOBAL wsrep_max_ws_size = DEFAULT");
            }
            assertThat(report.migrations().get(0).outcome()).isEqualTo("applied");
            DataSource three = GaleraDatabases.dataSource(db, 3);
            assertThat(Fixture.count(three, "SELECT COUNT(*) FROM items")).isEqualTo(Items.keys(ROWS));
            assertThat(Fixture.constraintExists(three, Items.UNIQUE)).isTrue();
        }
    }
}
