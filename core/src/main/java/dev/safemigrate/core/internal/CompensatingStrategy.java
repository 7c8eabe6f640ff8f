package dev.safemigrate.core.internal;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.spi.DdlAction;
import dev.safemigrate.core.spi.TableLocks;
import java.util.List;

/**
 * For databases where DDL commits: phase 1 (archive, DML, checks, journal) is one transaction; phase 2
 * runs each DDL statement after journaling it. If phase 2 fails, phase 1 is reversed from the archive
 * in one transaction. Writers are kept out from before phase 1 until the run ends.
 */
final class CompensatingStrategy {
    private CompensatingStrategy() {
    }

    static MigrationReport.Result run(MigrationRun run) {
        TableLocks.Release locks = null;
        List<DdlAction>[] ddl = new List[1];
        try {
            run.start(HistoryStatus.PREPARING);
            run.createArchives();
            run.listener.phaseReached(run.migration.id(), RunListener.Phase.PREPARED);
            locks = run.lockTables();
            Transactions.inTransaction(run.session.connection, () -> {
                run.applyDml();
                ddl[0] = run.journalRestoreAndDdl();
                run.saveState(HistoryStatus.IN_PROGRESS, HistoryStatus.DML_DONE, null);
                return null;
            });
        } catch (Exception e) {
            Recovery.releaseQuietly(locks);
            String cleanup = Recovery.discardArchives(run.session, run.migration.id());
            run.recordFailure(e);
            throw run.failure(e, "Nothing was changed: the data transaction was rolled back" + cleanup + ".");
        }
        try {
            run.listener.phaseReached(run.migration.id(), RunListener.Phase.BETWEEN_PHASES);
            int[] number = {0};
            run.runDdl(ddl[0], action -> run.saveState(HistoryStatus.IN_PROGRESS, HistoryStatus.DDL_PREFIX + (++number[0]), null));
            run.dropDiscardedArchives();
            run.finish();
            return run.report();
        } catch (Exception e) {
            String reason = MigrationRun.describe(e);
            try {
                long restored = Recovery.reverse(run.session, run.migration.id(), HistoryStatus.ROLLED_BACK, "rolled back after: " + reason);
                String caveat = Recovery.triggerCaveat(run.session, run.migration.id());
                throw run.failure(e, "The data changes had been committed; they were reversed from the archive (" + restored
                        + " row(s) and value(s) restored), so the database is as it was before the run" + caveat + ".");
            } catch (SafeMigrateException reversed) {
                throw reversed;
            } catch (Exception reverseFailure) {
                e.addSuppressed(reverseFailure);
                SafeMigrateException stuck = Recovery.stuck(run.session, run.migration.id(), "its DDL failed: " + reason,
                        "putting the data back from the archive failed: " + MigrationRun.describe(reverseFailure));
                throw new SafeMigrateException(ExitCode.INTERMEDIATE, "migration " + run.migration.id() + " failed. " + stuck.getMessage(), e);
            }
        } finally {
            Recovery.releaseQuietly(locks);
        }
    }
}
