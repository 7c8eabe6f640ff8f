package dev.safemigrate.core.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.Migration;
import java.util.List;
import java.util.Objects;

/**
 * The fault sweep: a migration is run once to count its statements, then once per statement N on fresh
 * data with the N-th statement failing. Afterwards the data must be identical to before the run (history
 * rolled back or absent, archive empty) or identical to a clean run (history applied); then a clean
 * migrate must reach the same end state. Returns the figures.
 */
public final class Sweep {
    public interface Step {
        void run() throws Exception;
    }

    public interface Snapshot {
        Object take() throws Exception;
    }

    public record Figures(int statements, int tried, int restored, int completed, long rowsLost) {
        public String line(String name) {
            return String.format("fault sweep (%s): %d statements, %d fault points tried, %d restored, %d completed, %d rows lost",
                    name, statements, tried, restored, completed, rowsLost);
        }
    }

    /** Rows of the swept tables, for the rows-lost count: before = after + archived deletions. */
    public interface RowCount {
        long rows() throws Exception;
    }

    public static Figures run(KitSupport kit, Migration migration, Step seed, Snapshot snapshot, RowCount rowsPlusArchivedDeletions)
            throws Exception {
        return run(kit, migration, seed, snapshot, rowsPlusArchivedDeletions, 1);
    }

    /** As {@link #run(KitSupport, Migration, Step, Snapshot, RowCount)}, with a fault at every {@code every}-th statement only. */
    public static Figures run(KitSupport kit, Migration migration, Step seed, Snapshot snapshot, RowCount rowsPlusArchivedDeletions, int every)
            throws Exception {
        seed.run();
        Object before = snapshot.take();
        long rowsBefore = rowsPlusArchivedDeletions.rows();
        FaultInjector counter = new FaultInjector(0);
        kit.safeMigrate(counter).migrate(List.of(migration));
        Object complete = snapshot.take();
        int statements = counter.executed();
        int restored = 0;
        int completed = 0;
        long lost = 0;
        for (int n = 1; n <= statements; n += every) {
            kit.freshDatabase("sweep" + n);
            seed.run();
            FaultInjector fault = new FaultInjector(n);
            SafeMigrateException failure = null;
            try {
                kit.safeMigrate(fault).migrate(List.of(migration));
            } catch (SafeMigrateException e) {
                assertThat(e.exitCode()).as("fault at %d (%s): %s", n, fault.failedStatement(), e.getMessage())
                        .isIn(ExitCode.FAILED_RESTORED, ExitCode.REFUSED);
                failure = e;
            }
            Object after = snapshot.take();
            String where = "fault at statement " + n + " of " + statements + ": " + fault.failedStatement();
            if (failure != null) {
                // Exit 1 and 3 both say the database is as it was: the message must be true.
                assertThat(after).as(where + ", reported as: " + failure.getMessage()).isEqualTo(before);
            }
            if (Objects.equals(after, before)) {
                restored++;
                assertThat(kit.archivedRowCount()).as(where).isZero();
                assertThat(kit.historyStatus(migration.id())).as(where).isIn(null, "rolled_back");
            } else {
                assertThat(after).as(where).isEqualTo(complete);
                assertThat(kit.historyStatus(migration.id())).as(where).isEqualTo("applied");
                completed++;
            }
            lost += rowsBefore - rowsPlusArchivedDeletions.rows();
            kit.safeMigrate().migrate(List.of(migration));
            assertThat(snapshot.take()).as(where + ", then a clean migrate").isEqualTo(complete);
        }
        int tried = (statements + every - 1) / every;
        assertThat(restored + completed).isEqualTo(tried);
        assertThat(lost).isZero();
        return new Figures(statements, tried, restored, completed, lost);
    }

    private Sweep() {
    }
}
