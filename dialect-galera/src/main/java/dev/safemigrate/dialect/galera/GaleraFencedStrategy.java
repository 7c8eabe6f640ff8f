package dev.safemigrate.dialect.galera;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.RunListener;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.spi.DdlAction;
import dev.safemigrate.core.spi.Db;
import dev.safemigrate.core.spi.Interrupted;
import dev.safemigrate.core.spi.JournalEntry;
import dev.safemigrate.core.spi.JournalKind;
import dev.safemigrate.core.spi.KeyGuard;
import dev.safemigrate.core.spi.PlannedRun;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.Run;
import dev.safemigrate.core.spi.RunPhase;
import dev.safemigrate.core.spi.StepContext;
import dev.safemigrate.core.spi.Strategy;
import dev.safemigrate.core.spi.TableLocks;
import dev.safemigrate.core.spi.TableWrite;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compensating strategy for a Galera cluster. Phase 1 (archive, DML, checks, journal) is one transaction,
 * phase 2 each DDL statement, journaled, as on one server; what differs is how writers on the other nodes are
 * held: instead of {@code LOCK TABLES} (one node only, and it can wedge the node) a {@link GaleraFence} on every
 * add_unique's key is up from before phase 1 until the constraint exists, and every other write of another node
 * to a row the run changes is settled by certification: whichever commits second fails with 1213 and nothing is
 * lost (docs/galera-notes.md section 3). When phase 1 is the one that fails that way, nothing of it committed, so
 * it is run again, at most {@link #ATTEMPTS} times. The DDL runs in total order (TOI, checked when planning): each
 * node adds the constraint at the same point of the write order, and writes to every table of every node wait
 * for it (about 1.5 s for 500,000 rows, section 5).
 */
final class GaleraFencedStrategy implements Strategy {
    static final String NAME = "galera_fenced";
    static final int ATTEMPTS = 3;
    static final int FRAGMENT_ROWS = 10_000;
    private static final int CERTIFICATION_FAILURE = 1213;
    private static final Logger LOG = LoggerFactory.getLogger(GaleraFencedStrategy.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int defaultPriority() {
        return 10;
    }

    /**
     * Only through a synced node of the primary component, in total-order DDL, and for tables Galera replicates
     * row by row: InnoDB tables with a primary key (without one, a row's write-set cannot be told apart from
     * another's, and other engines are not replicated).
     */
    @Override
    public Optional<String> refusal(PlannedRun plan) throws SQLException {
        StepContext context = plan.context(0);
        if (!(context.dialect() instanceof GaleraDialect)) {
            return Optional.of("it fences writers of a Galera cluster, and the " + context.dialect().name() + " dialect is not for one");
        }
        Optional<String> notReady = Wsrep.read(context.db()).whyNotReady();
        if (notReady.isPresent()) {
            return notReady;
        }
        List<String> problems = new ArrayList<>();
        for (ResolvedTable table : writtenTables(plan)) {
            if (table.primaryKey().isEmpty()) {
                problems.add(table + " has no primary key (Galera certifies and applies rows by their key)");
            }
            List<List<String>> engine = context.db().sample("SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                    + (table.schema() == null ? "DATABASE()" : literal(table.schema())) + " AND TABLE_NAME = " + literal(table.name()), 1);
            String name = engine.isEmpty() || engine.get(0).get(0) == null ? "none" : engine.get(0).get(0);
            if (!name.equalsIgnoreCase("InnoDB")) {
                problems.add(table + " is not an InnoDB table (engine " + name + "; Galera replicates InnoDB rows only)");
            }
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    private static List<ResolvedTable> writtenTables(PlannedRun plan) throws SQLException {
        List<ResolvedTable> tables = new ArrayList<>();
        for (int i = 0; i < plan.steps().size(); i++) {
            for (TableWrite write : plan.steps().get(i).writes()) {
                ResolvedTable table = plan.context(i).table(write.table());
                if (!tables.contains(table)) {
                    tables.add(table);
                }
            }
        }
        return tables;
    }

    /** A name as a string literal; names are validated identifiers, the doubling is for safety's sake. */
    private static String literal(String name) {
        return "'" + name.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    @Override
    public MigrationReport.Result run(Run run) {
        KeyGuard guard = run.context(0).dialect().keyGuard().orElseThrow();
        List<DdlAction> ddl;
        try {
            run.start(RunPhase.PREPARING);
            run.createArchives();
            GaleraFence.install(run);
            run.reached(RunListener.Phase.PREPARED);
            TableLocks.Release none = run.lockTables(List.of());
            none.release();
            GaleraFence.cleaning(run, true);
            streaming(run, true);
            ddl = dataTransaction(run);
        } catch (Exception e) {
            stopStreamingQuietly(run);
            throw run.failed(e, "Nothing was changed: the data transaction was rolled back" + removeFence(run, guard));
        }
        try {
            // After the commit: a failure from here on is reversed from the archive, never reported as "nothing changed".
            streaming(run, false);
            GaleraFence.cleaning(run, false);
            run.reached(RunListener.Phase.BETWEEN_PHASES);
            int[] number = {0};
            run.runDdl(ddl, action -> run.record(RunPhase.ddl(++number[0])));
            run.reached(RunListener.Phase.CONSTRAINED);
            removeFenceOrWarn(run, guard);
            run.finish(null);
            return run.report();
        } catch (Exception e) {
            SafeMigrateException reversed = run.reverseAfter(e, "during its DDL");
            if (reversed.exitCode() != ExitCode.INTERMEDIATE) {
                removeFence(run, guard);
            }
            throw reversed;
        }
    }

    /**
     * Phase 1, run again when certification failed it (it then committed nothing). It is replicated in fragments of
     * {@link #FRAGMENT_ROWS} rows as it goes (streaming replication): no write-set size limit applies to the whole, the
     * other nodes apply it as it runs instead of all at its commit (1,000,000 rows: COMMIT took 0.06 s instead of 7.1 s,
     * and the last node had it 0.2 s later instead of 8.1 s; docs/galera-notes.md section 4), and a node that dies
     * mid-transaction has its fragments rolled back by the others (section 6).
     */
    private static List<DdlAction> dataTransaction(Run run) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return run.inTransaction(() -> {
                    run.applyDml();
                    List<DdlAction> actions = run.journalRestoreAndDdl();
                    run.record(RunPhase.DML_DONE);
                    return actions;
                });
            } catch (SQLException e) {
                if (!certificationFailure(e) || attempt == ATTEMPTS) {
                    throw e;
                }
                LOG.warn("migration {}: a write through another node conflicted with the data transaction, which was rolled back ({});"
                        + " running it again (attempt {} of {})", run.migration().id(), e.getMessage(), attempt + 1, ATTEMPTS);
            }
        }
    }

    /** Streams the session's transactions in fragments ({@link #dataTransaction}), or stops. */
    private static void streaming(Run run, boolean on) throws SQLException {
        Db db = run.context(0).db();
        db.execute(on ? "SET SESSION wsrep_trx_fragment_unit = 'rows', wsrep_trx_fragment_size = " + FRAGMENT_ROWS
                : "SET SESSION wsrep_trx_fragment_size = 0");
    }

    /** After a failed phase 1: the setting is the session's own, and a session that failed may be gone with it. */
    private static void stopStreamingQuietly(Run run) {
        try {
            streaming(run, false);
        } catch (SQLException | RuntimeException ignored) {
            // Only this session streams; it ends with the run.
        }
    }

    private static boolean certificationFailure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getErrorCode() == CERTIFICATION_FAILURE) {
                return true;
            }
        }
        return false;
    }

    /** Removes the run's guards; a failure is left to {@code recover} (the journal lists them) and said in the message. */
    private static String removeFence(Run run, KeyGuard guard) {
        try {
            GaleraFence.remove(guard, run.journal(), run.context(0).db());
            return "";
        } catch (SQLException | RuntimeException e) {
            return "; its key guards could not be removed yet (" + e.getMessage() + "), they refuse new duplicates until the next migrate or"
                    + " recover removes them";
        }
    }

    /**
     * Once the constraint exists the fence only repeats it (the flag is down), so a failure to remove it does not
     * undo the run; but an applied run is never recovered, so the warning names what is left and how to drop it.
     */
    private static void removeFenceOrWarn(Run run, KeyGuard guard) {
        try {
            GaleraFence.remove(guard, run.journal(), run.context(0).db());
        } catch (SQLException | RuntimeException e) {
            String statements;
            try {
                statements = run.journal().entries(JournalKind.STRATEGY).stream().map(JournalEntry::statement).collect(Collectors.joining("; "));
            } catch (RuntimeException unreadable) {
                statements = "the statements of kind 'strategy' in safemigrate_journal for this migration (DROP TRIGGER, and an UPDATE that"
                        + " lowers the flag)";
            }
            run.context(0).warn("the migration is applied, but its fence (triggers that refuse what the new constraint refuses) could not be"
                    + " removed (" + e.getMessage() + "); remove it with: " + statements);
        }
    }

    /**
     * Completes or reverses the run with the guards still up (this session passes them: a reversal puts
     * duplicates back), then removes them. When neither is possible (exit 5) the guards stay, keeping new
     * duplicates out of the deduplicated table until {@code recover} completes the run.
     */
    @Override
    public String recover(Interrupted run) throws SQLException {
        KeyGuard guard = run.dialect().keyGuard().orElseThrow();
        GaleraFence.bypass(guard, run.db(), true);
        String outcome;
        try {
            outcome = run.completeOrReverse();
        } catch (SafeMigrateException e) {
            throw new SafeMigrateException(e.exitCode(), e.getMessage() + " Its key guards stay on the tables, refusing new duplicates, until"
                    + " recover completes it.", e);
        }
        int removed = GaleraFence.remove(guard, run.journal(), run.db());
        return removed == 0 ? outcome : outcome + " (its fence removed: the key guards and the cleaning flag that held writers off)";
    }
}
