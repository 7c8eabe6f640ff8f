package dev.safemigrate.core.strategies;

import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.spi.DdlAction;
import dev.safemigrate.core.spi.Dialect;
import dev.safemigrate.core.spi.PlannedRun;
import dev.safemigrate.core.spi.Run;
import dev.safemigrate.core.spi.RunPhase;
import dev.safemigrate.core.spi.Strategy;
import dev.safemigrate.core.spi.TableLocks;
import java.util.List;
import java.util.Optional;

/**
 * For databases where DDL commits: phase 1 (archive, DML, checks, journal) is one transaction; phase 2
 * runs each DDL statement after journaling it. If phase 2 fails, phase 1 is reversed from the archive
 * in one transaction. Writers are kept out from before phase 1 until the run ends. An interrupted run is
 * completed (its remaining DDL) or reversed by {@code recover}.
 */
public final class CompensatingStrategy implements Strategy {
    public static final String NAME = "compensating";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int defaultPriority() {
        return 0;
    }

    @Override
    public Optional<String> refusal(PlannedRun plan) {
        Dialect dialect = plan.context(0).dialect();
        return dialect.tableLocksHoldOneNodeOnly() ? Optional.of("its table locks would hold writers off on the connected node only, not on"
                + " the other nodes of the " + dialect.name() + " cluster") : Optional.empty();
    }

    @Override
    public MigrationReport.Result run(Run run) {
        TableLocks.Release locks = null;
        try {
            List<DdlAction> ddl;
            try {
                run.start(RunPhase.PREPARING);
                run.createArchives();
                run.reached(RunListener.Phase.PREPARED);
                locks = run.lockTables(List.of());
                ddl = run.inTransaction(() -> {
                    run.applyDml();
                    List<DdlAction> actions = run.journalRestoreAndDdl();
                    run.record(RunPhase.DML_DONE);
                    return actions;
                });
            } catch (Exception e) {
                Locks.releaseQuietly(locks);
                locks = null;
                throw run.failed(e, "Nothing was changed: the data transaction was rolled back");
            }
            try {
                run.reached(RunListener.Phase.BETWEEN_PHASES);
                int[] number = {0};
                run.runDdl(ddl, action -> run.record(RunPhase.ddl(++number[0])));
                run.finish(null);
                return run.report();
            } catch (Exception e) {
                throw run.reverseAfter(e, "during its DDL");
            }
        } catch (SafeMigrateException e) {
            throw e;
        } finally {
            Locks.releaseQuietly(locks);
        }
    }
}
