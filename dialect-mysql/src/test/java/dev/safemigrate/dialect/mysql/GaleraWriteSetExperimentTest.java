package dev.safemigrate.dialect.mysql;

import static dev.safemigrate.dialect.mysql.GaleraSql.causal;
import static dev.safemigrate.dialect.mysql.GaleraSql.errorCode;
import static dev.safemigrate.dialect.mysql.GaleraSql.execute;
import static dev.safemigrate.dialect.mysql.GaleraSql.millisSince;
import static dev.safemigrate.dialect.mysql.GaleraSql.number;
import static dev.safemigrate.dialect.mysql.GaleraSql.seed;
import static dev.safemigrate.dialect.mysql.GaleraSql.update;
import static dev.safemigrate.dialect.mysql.GaleraSql.variable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.kit.GaleraCluster;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Galera experiment 4 (docs/galera-notes.md): the write-set limits, one big DELETE in one transaction, and
 * the same DELETE with streaming replication. Table size: {@code -Dsafemigrate.galera.bigRows} (default 200,000;
 * the notes give the figures at 1,000,000).
 */
@GaleraExperiment
class GaleraWriteSetExperimentTest {
    private static final int ROWS = Integer.getInteger("safemigrate.galera.bigRows", 200_000);
    private final GaleraCluster cluster = GaleraCluster.get();

    @Test
    void defaultLimitsAreNoRowLimitAndTwoGigabytes() throws SQLException {
        try (Connection one = cluster.connect(1)) {
            assertThat(variable(one, "wsrep_max_ws_rows")).isEqualTo("0");
            assertThat(variable(one, "wsrep_max_ws_size")).isEqualTo("2147483647");
            assertThat(variable(one, "wsrep_trx_fragment_size")).isEqualTo("0");
            assertThat(variable(one, "wsrep_trx_fragment_unit")).isEqualTo("bytes");
            assertThat(variable(one, "wsrep_provider_options")).contains("repl.max_ws_size = 2147483647");
        }
    }

    @Test
    void oneBigDeleteWithAndWithoutStreamingReplication() throws SQLException {
        try (GaleraCluster.Database db = cluster.createDatabase("galera_exp_write_set"); Connection one = db.connect(1); Connection three = causal(db, 3)) {
            String[][] settings = {
                {"one write-set", null},
                {"streaming, 10,000-row fragments", "10000"},
                {"streaming, 100,000-row fragments", "100000"},
            };
            for (String[] setting : settings) {
                long seedStart = System.nanoTime();
                seed(one, "t", ROWS);
                long seedMillis = millisSince(seedStart);
                assertThat(number(three, "SELECT COUNT(*) FROM t")).isEqualTo(ROWS);
                if (setting[1] != null) {
                    execute(one, "SET SESSION wsrep_trx_fragment_unit = 'rows'", "SET SESSION wsrep_trx_fragment_size = " + setting[1]);
                }
                one.setAutoCommit(false);
                long start = System.nanoTime();
                int deleted = update(one, "DELETE FROM t");
                long deleteMillis = millisSince(start);
                one.commit();
                long commitMillis = millisSince(start) - deleteMillis;
                one.setAutoCommit(true);
                long applied = System.nanoTime();
                long left = number(three, "SELECT COUNT(*) FROM t");
                System.out.printf("big DELETE (%s): %d rows seeded in %d ms; DELETE %d ms, COMMIT %d ms; node 3 caught up %d ms later%n",
                        setting[0], ROWS, seedMillis, deleteMillis, commitMillis, millisSince(applied));
                assertThat(deleted).isEqualTo(ROWS);
                assertThat(left).isZero();
                execute(one, "SET SESSION wsrep_trx_fragment_size = 0", "DROP TABLE t");
            }
        }
    }

    /** A transaction over either limit fails; streaming replication helps with the size limit only (the row limit counts the whole transaction). */
    @Test
    void aTransactionOverALimitFailsAndStreamingHelpsWithTheSizeLimitOnly() throws SQLException {
        assertLimit("wsrep_max_ws_rows", 10_000, 20_000, 1_000, false);
        assertLimit("wsrep_max_ws_size", 1_048_576, 100_000, 1_000, true);
    }

    private void assertLimit(String variable, long limit, int rows, int fragmentRows, boolean streamingPasses) throws SQLException {
        try (GaleraCluster.Database db = cluster.createDatabase("galera_exp_ws_limit"); Connection one = db.connect(1)) {
            seed(one, "t", rows);
            String before = variable(one, variable);
            execute(one, "SET GLOBAL " + variable + " = " + limit);
            try {
                int plain = errorCode(() -> update(one, "DELETE FROM t"));
                long leftByPlain = number(one, "SELECT COUNT(*) FROM t");
                execute(one, "SET SESSION wsrep_trx_fragment_unit = 'rows'", "SET SESSION wsrep_trx_fragment_size = " + fragmentRows);
                int streamed = errorCode(() -> update(one, "DELETE FROM t"));
                long leftByStreamed = number(one, "SELECT COUNT(*) FROM t");
                System.out.printf("%s = %d: DELETE of %d rows in one write-set: error %d (%d rows left); with %d-row fragments: error %d (%d rows left)%n",
                        variable, limit, rows, plain, leftByPlain, fragmentRows, streamed, leftByStreamed);
                assertThat(plain).isNotZero();
                assertThat(leftByPlain).isEqualTo(rows);
                assertThat(streamed == 0).isEqualTo(streamingPasses);
                assertThat(leftByStreamed).isEqualTo(streamingPasses ? 0 : rows);
            } finally {
                execute(one, "SET GLOBAL " + variable + " = " + before);
            }
        }
    }
}
