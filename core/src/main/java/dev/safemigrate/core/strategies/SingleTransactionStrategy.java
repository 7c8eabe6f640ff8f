package dev.safemigrate.core.strategies;

import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.spi.DdlAction;
import dev.safemigrate.core.spi.PlannedRun;
import dev.safemigrate.core.spi.Run;
import dev.safemigrate.core.spi.RunPhase;
import dev.safemigrate.core.spi.Strategy;
import dev.safemigrate.core.spi.TableLocks;
import java.util.List;
import java.util.Optional;

/**
 * For databases whose DDL is transactional: table locks, preconditions, archive, DML, checks, DDL and
 * history in one transaction. Any error or crash leaves nothing changed, so there is nothing to recover.
 */
public final class SingleTransactionStrategy implements Strategy {
    public static final String NAME = "single_transaction";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int defaultPriority() {
        return 100;
    }

    @Override
    public Optional<String> refusal(PlannedRun plan) {
        return plan.context(0).dialect().supportsTransactionalDdl() ? Optional.empty()
                : Optional.of("DDL commits on " + plan.context(0).dialect().name() + ", so it cannot share the data's transaction");
    }

    @Override
    public MigrationReport.Result run(Run run) {
        TableLocks.Release[] locks = new TableLocks.Release[1];
        try {
            run.inTransaction(() -> {
                run.start(RunPhase.RUNNING);
                run.createArchives();
                locks[0] = run.lockTables(List.of());
                run.applyDml();
                List<DdlAction> ddl = run.journalRestoreAndDdl();
                run.runDdl(ddl, action -> { });
                run.finish(null);
                return null;
            });
        } catch (Exception e) {
            throw run.failed(e, "Nothing was changed: the whole migration ran in one transaction, which was rolled back");
        } finally {
            Locks.releaseQuietly(locks[0]);
        }
        return run.report();
    }
}
