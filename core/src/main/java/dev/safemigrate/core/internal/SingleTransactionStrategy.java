package dev.safemigrate.core.internal;

import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.spi.DdlAction;
import dev.safemigrate.core.spi.TableLocks;
import java.util.List;

/**
 * For databases with transactional DDL: locks, archive, DML, checks, DDL and history in one
 * transaction. Any error or crash leaves nothing changed.
 */
final class SingleTransactionStrategy {
    private SingleTransactionStrategy() {
    }

    static MigrationReport.Result run(MigrationRun run) {
        TableLocks.Release[] locks = new TableLocks.Release[1];
        try {
            Transactions.inTransaction(run.session.connection, () -> {
                run.start(HistoryStatus.RUNNING);
                run.createArchives();
                locks[0] = run.lockTables();
                run.applyDml();
                List<DdlAction> ddl = run.journalRestoreAndDdl();
                run.runDdl(ddl, action -> { });
                run.dropDiscardedArchives();
                run.finish();
                return null;
            });
        } catch (Exception e) {
            String state = "Nothing was changed: the whole migration ran in one transaction, which was rolled back.";
            run.recordFailure(e);
            throw run.failure(e, state);
        } finally {
            Recovery.releaseQuietly(locks[0]);
        }
        return run.report();
    }
}
