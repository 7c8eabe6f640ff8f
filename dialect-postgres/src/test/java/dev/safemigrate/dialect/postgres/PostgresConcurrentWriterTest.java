package dev.safemigrate.dialect.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.kit.Fixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 3: a writer keeps inserting rows (every other one a duplicate of a surviving key) while
 * a migration deduplicates 1,000,000 rows. Every insert either committed and is still there (in the
 * table, or in the archive if the migration removed it as a duplicate) or failed with a unique violation.
 */
class PostgresConcurrentWriterTest extends PostgresTestSupport {
    private static final int ROWS = 1_000_000;
    private static final long FIRST_WRITER_ID = 2_000_001;

    @Test
    void concurrentWriterLosesNothingAndTheConstraintHolds() throws Exception {
        createBigTable(ROWS, 900_000);
        List<Long> committed = new ArrayList<>();
        List<Long> rejected = new ArrayList<>();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong longestWaitNanos = new AtomicLong();
        Thread writer = new Thread(() -> {
            try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO big_items (id, grp, k, payload) VALUES (?, ?, ?, 'writer')")) {
                for (long id = FIRST_WRITER_ID; !stop.get(); id++) {
                    boolean duplicate = id % 2 == 0;
                    insert.setLong(1, id);
                    insert.setInt(2, (int) (id % 1000));
                    insert.setInt(3, duplicate ? (int) ((id / 1000) % 900) : 1_000_000 + (int) (id / 1000));
                    long start = System.nanoTime();
                    try {
                        insert.executeUpdate();
                        committed.add(id);
                    } catch (SQLException e) {
                        if (!"23505".equals(e.getSQLState())) {
                            throw e;
                        }
                        rejected.add(id);
                    }
                    longestWaitNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                }
            } catch (Throwable e) {
                unexpected.set(e);
            }
        }, "concurrent-writer");
        AtomicLong committedAtLock = new AtomicLong(-1);
        RunListener listener = new RunListener() {
            @Override
            public void phaseReached(String id, String phase) {
                if (RunListener.Phase.DML_APPLIED.equals(phase)) {
                    committedAtLock.set(committed.size());
                }
            }
        };

        writer.start();
        Thread.sleep(300);
        long t0 = System.nanoTime();
        var report = safeMigrate(dataSource, listener).migrate(List.of(bigMigration("pg_writer_001")));
        double seconds = (System.nanoTime() - t0) / 1e9;
        int committedWhenDone = committed.size();
        Thread.sleep(500);
        stop.set(true);
        writer.join();

        assertThat(unexpected.get()).as("the writer failed other than with a unique violation").isNull();
        assertThat(report.migrations().get(0).outcome()).isEqualTo("applied");
        assertThat(Fixture.constraintExists(dataSource, BIG_UNIQUE)).isTrue();
        assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM (SELECT grp, k FROM big_items GROUP BY grp, k HAVING COUNT(*) > 1) d")).isZero();
        String archive = archiveTables().get(0);
        Set<Long> present = ids("SELECT id FROM big_items WHERE id >= " + FIRST_WRITER_ID);
        Set<Long> archived = ids("SELECT id FROM \"" + archive + "\" WHERE id >= " + FIRST_WRITER_ID);
        for (Long id : committed) {
            assertThat(present.contains(id) || archived.contains(id)).as("committed row %d is in the table or the archive", id).isTrue();
        }
        for (Long id : rejected) {
            assertThat(id % 2).as("only duplicates are rejected").isZero();
            assertThat(present).doesNotContain(id);
        }
        assertThat(present.size() + archived.size()).isEqualTo(committed.size());
        assertThat(Fixture.count(dataSource, "SELECT COUNT(*) FROM big_items") + Fixture.count(dataSource, "SELECT COUNT(*) FROM \"" + archive + "\""))
                .isEqualTo(ROWS + committed.size());
        assertThat(rejected).isNotEmpty();
        assertThat(committed.size()).isGreaterThan(committedWhenDone);
        System.out.printf("concurrent writer: migration of %,d rows took %.1f s; writer committed %d rows (%d before the DML finished, %d by the"
                        + " time the migration returned), %d duplicates rejected by the new constraint, %d writer rows archived as duplicates;"
                        + " longest single insert waited %.1f s%n", ROWS, seconds, committed.size(), committedAtLock.get(), committedWhenDone,
                rejected.size(), archived.size(), longestWaitNanos.get() / 1e9);
    }

    private Set<Long> ids(String sql) throws SQLException {
        Set<Long> ids = new HashSet<>();
        for (Map<String, Object> row : Fixture.query(dataSource, sql)) {
            ids.add(((Number) row.get("id")).longValue());
        }
        return ids;
    }
}
