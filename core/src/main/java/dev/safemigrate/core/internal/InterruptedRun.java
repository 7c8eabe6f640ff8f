package dev.safemigrate.core.internal;

import dev.safemigrate.core.HistoryEntry;
import dev.safemigrate.core.HistoryStatus;
import dev.safemigrate.core.MigrationReport;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.model.Migration;
import dev.safemigrate.core.spi.Catalog;
import dev.safemigrate.core.spi.Db;
import dev.safemigrate.core.spi.Dialect;
import dev.safemigrate.core.spi.Interrupted;
import dev.safemigrate.core.spi.RunJournal;
import dev.safemigrate.core.spi.RunPhase;
import dev.safemigrate.core.spi.SlicedRestore;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;

/** An interrupted run as {@code recover} finds it, for the strategy that ran it. */
final class InterruptedRun implements Interrupted {
    private final Session session;
    private final HistoryEntry entry;
    private final boolean superseded;

    /** {@code superseded}: see {@link Interrupted#superseded}. */
    InterruptedRun(Session session, HistoryEntry entry, boolean superseded) {
        this.session = session;
        this.entry = entry;
        this.superseded = superseded;
    }

    @Override
    public HistoryEntry entry() {
        return entry;
    }

    @Override
    public RunJournal journal() {
        return session.journal.of(entry.id());
    }

    @Override
    public Dialect dialect() {
        return session.dialect;
    }

    @Override
    public Db db() {
        return session.db;
    }

    @Override
    public Catalog catalog() {
        return session.catalog;
    }

    @Override
    public Duration lockTimeout() {
        return session.settings.lockTimeout();
    }

    /**
     * Committed data changes: the remaining DDL is run; if that fails, everything is put back from the
     * archive, unless rows inserted or changed since stop it, in which case nothing is reversed and the
     * answer is exit 5 naming them. Nothing committed: the empty archives go and the run is rolled back.
     */
    @Override
    public String completeOrReverse() throws SQLException {
        if (entry.phase() == null || !new RunPhase(entry.phase()).dataCommitted()) {
            String cleanup = discardArchives();
            save(HistoryStatus.ROLLED_BACK, "interrupted before any data change was committed");
            return "migration " + entry.id() + ": the interrupted run had not committed any data change; marked rolled_back" + cleanup;
        }
        try {
            return Recovery.complete(session, entry);
        } catch (SQLException | RuntimeException completing) {
            String why = MigrationRun.describe(completing);
            Blockers.requireNone(session, entry.id(), true, blocked -> Recovery.stuck(session, entry.id(), why, blocked));
            try {
                Recovery.Reversal reversal = Recovery.reverse(session, entry.id(), HistoryStatus.ROLLED_BACK,
                        "interrupted, and completing it failed: " + why);
                return "migration " + entry.id() + ": completing the interrupted run failed (" + why + "), so recover reversed it "
                        + reversal.how() + reversal.triggerCaveat() + reversal.archiveNote();
            } catch (SQLException | RuntimeException reversing) {
                completing.addSuppressed(reversing);
                throw Recovery.stuck(session, entry.id(), why, "putting the data back from the archive failed: " + MigrationRun.describe(reversing));
            }
        }
    }

    @Override
    public String reverse(String reason) throws SQLException {
        return reverse(reason, null);
    }

    @Override
    public String reverse(String reason, SlicedRestore sliced) throws SQLException {
        if (sliced == null) {
            Blockers.requireNone(session, entry.id(), false, blocked -> Recovery.stuck(session, entry.id(), reason, blocked));
            Recovery.Reversal reversal = Recovery.reverse(session, entry.id(), HistoryStatus.ROLLED_BACK, reason);
            return "migration " + entry.id() + ": " + reason + "; recover reversed it " + reversal.how() + reversal.triggerCaveat() + reversal.archiveNote();
        }
        // A reversal in slices checks what blocks it itself, over the slices not done yet (the ones done put rows back).
        Recovery.Reversal reversal;
        try {
            reversal = Recovery.reverse(session, entry.id(), HistoryStatus.ROLLED_BACK, reason, sliced);
        } catch (SQLException | RuntimeException e) {
            boolean partly = e instanceof SlicedRestore.Partly;
            throw Recovery.stuck(session, entry.id(), reason, "putting the data back from the archive failed: "
                    + MigrationRun.describe(partly && e.getCause() != null ? e.getCause() : e), partly ? e.getMessage() : null);
        }
        return "migration " + entry.id() + ": " + reason + "; recover reversed it " + reversal.how() + reversal.leftNote()
                + reversal.triggerCaveat() + reversal.archiveNote();
    }

    @Override
    public boolean superseded() {
        return superseded;
    }

    @Override
    public MigrationReport.Result resume(Migration migration) throws SQLException, NotResumable {
        PlannedMigration planned;
        try {
            planned = Planner.plan(session, migration, false);
        } catch (SafeMigrateException refused) {
            throw new NotResumable(refused.getMessage(), refused);
        }
        return MigrationRun.run(session, planned, true);
    }

    @Override
    public void save(HistoryStatus status, String message) {
        session.journal.save(entry.withState(status, null, status == HistoryStatus.IN_PROGRESS ? null : Instant.now(), entry.stepCounts(), message));
    }

    @Override
    public String discardArchives() {
        return Recovery.discardArchives(session, entry.id());
    }
}
