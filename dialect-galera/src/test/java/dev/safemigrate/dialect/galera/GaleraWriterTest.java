package dev.safemigrate.dialect.galera;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrate;
import dev.safemigrate.core.kit.Fixture;
import dev.safemigrate.core.kit.GaleraCluster;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, acceptance 3: a writer on node 2 inserts rows, every other one a duplicate of an existing key, while a
 * migration runs on node 1. From the moment the run's key guards are up, no duplicate commits (the writer gets
 * 1062 from the key guard, or 1644 from the cleaning flag while the data transaction runs), new keys commit except
 * during the data transaction (1644); nothing the writer committed is lost; rows before + rows written = rows after + rows archived.
 */
class GaleraWriterTest {
    private static final int ROWS = Integer.getInteger("safemigrate.galera.writerRows", 200_000);
    private static final long FIRST_WRITER_ID = 100_000_000L;
    private final GaleraCluster cluster = GaleraCluster.get();

    /** One insert of the writer: when it started (relative to the guards), its key kind, and how it ended (0 = committed). */
    private record Write(long id, boolean duplicate, boolean afterGuards, int error) {
    }

    @Test
    void aWriterOnAnotherNodeLosesNothingAndSlipsNoDuplicatePastTheCleanup() throws Exception {
        try (GaleraCluster.Database db = cluster.createDatabase("sm_galera_writer")) {
            DataSource one = Items.seeded(db, ROWS);
            long before = Fixture.count(one, "SELECT COUNT(*) FROM items");
            AtomicBoolean guarded = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong writesDuringRun = new AtomicLong();
            CompletableFuture<List<Write>> writer = CompletableFuture.supplyAsync(() -> write(db, guarded, stop));
            Thread.sleep(500);
            RunListener marksGuards = new RunListener() {
                @Override
                public void phaseReached(String id, String phase) {
                    if (phase.equals(RunListener.Phase.PREPARED)) {
                        guarded.set(true);
                    }
                }
            };
            long start = System.nanoTime();
            MigrationReport report = SafeMigrate.builder().dataSource(one).lockTimeout(Duration.ofSeconds(30)).listener(marksGuards).build()
                    .migrate(List.of(Items.migration("writer_001")));
            long runMs = (System.nanoTime() - start) / 1_000_000;
            Thread.sleep(500);
            stop.set(true);
            List<Write> writes = writer.get(60, TimeUnit.SECONDS);

            DataSource three = GaleraDatabases.dataSource(db, 3);
            assertThat(report.migrations().get(0).outcome()).isEqualTo("applied");
            assertThat(Fixture.constraintExists(three, Items.UNIQUE)).isTrue();
            assertThat(Items.duplicatedKeys(three)).isZero();
            String archive = Fixture.tableNames(three).stream().filter(t -> t.startsWith("sm_archive_")).findFirst().orElseThrow();
            long archived = Fixture.count(three, "SELECT COUNT(*) FROM " + archive);
            long after = Fixture.count(three, "SELECT COUNT(*) FROM items");
            List<Write> committed = writes.stream().filter(w -> w.error() == 0).toList();
            assertThat(before + committed.size()).as("rows before + rows written = rows after + rows archived").isEqualTo(after + archived);
            for (Write w : committed) {
                assertThat(Fixture.count(three, "SELECT COUNT(*) FROM items WHERE id = " + w.id())
                        + Fixture.count(three, "SELECT COUNT(*) FROM " + archive + " WHERE id = " + w.id())).as("committed row %d", w.id()).isEqualTo(1);
            }
            List<Write> guardedDuplicates = writes.stream().filter(w -> w.afterGuards() && w.duplicate()).toList();
            List<Write> guardedNew = writes.stream().filter(w -> w.afterGuards() && !w.duplicate()).toList();
            assertThat(guardedDuplicates).isNotEmpty().allSatisfy(w -> assertThat(w.error()).as("duplicate %d", w.id()).isIn(1062, 1644, 1213));
            assertThat(guardedNew).isNotEmpty();
            assertThat(Fixture.count(three, "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()")).as("fence triggers").isZero();
            System.out.printf("writer on node 2 during a %,d-row migration on node 1 (%d ms, strategy %s): %d inserts, %d while guarded:"
                            + " duplicates %s, new keys %s; rows before %d + committed %d = after %d + archived %d%n",
                    ROWS, runMs, report.migrations().get(0).strategy(), writes.size(), guardedDuplicates.size() + guardedNew.size(),
                    outcomes(guardedDuplicates), outcomes(guardedNew), before, committed.size(), after, archived);
        }
    }

    private static Map<String, Integer> outcomes(List<Write> writes) {
        Map<String, Integer> counts = new TreeMap<>();
        writes.forEach(w -> counts.merge(w.error() == 0 ? "committed" : "error " + w.error(), 1, Integer::sum));
        return counts;
    }

    /** Autocommit inserts through node 2 until stopped: even ids a new key, odd ids the key of an existing row. */
    private static List<Write> write(GaleraCluster.Database db, AtomicBoolean guarded, AtomicBoolean stop) {
        List<Write> writes = new ArrayList<>();
        try (Connection two = db.connect(2); PreparedStatement insert = two.prepareStatement("INSERT INTO items (id, k, v) VALUES (?, ?, 'writer')")) {
            for (long i = 0; !stop.get(); i++) {
                long id = FIRST_WRITER_ID + i;
                boolean duplicate = i % 2 == 1;
                insert.setLong(1, id);
                insert.setLong(2, duplicate ? 1 + i % Items.keys(ROWS - 1) : 10_000_000 + i);
                boolean afterGuards = guarded.get();
                int error = 0;
                try {
                    insert.executeUpdate();
                } catch (SQLException e) {
                    error = e.getErrorCode();
                }
                writes.add(new Write(id, duplicate, afterGuards, error));
                Thread.sleep(2);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return writes;
    }
}
