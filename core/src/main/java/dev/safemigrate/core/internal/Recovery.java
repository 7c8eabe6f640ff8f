package dev.safemigrate.core.internal;

import dev.safemigrate.core.ExitCode;
import dev.safemigrate.core.HistoryEntry;
import dev.safemigrate.core.HistoryStatus;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.spi.JournalEntry;
import dev.safemigrate.core.spi.JournalKind;
import dev.safemigrate.core.spi.ResolvedTable;
import dev.safemigrate.core.spi.RunJournal;
import dev.safemigrate.core.spi.RunPhase;
import dev.safemigrate.core.spi.SlicedRestore;
import dev.safemigrate.core.spi.Strategy;
import dev.safemigrate.core.spi.TableLocks;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finishes or reverses runs from the journal alone (no rules file needed): archive tables to remove,
 * restore statements, and each DDL statement with its undo ({@link JournaledObjects}). An interrupted run
 * is recovered by the strategy that ran it (the history names it).
 */
final class Recovery {
    private Recovery() {
    }

    /** Completes or reverses every {@code in_progress} run, and removes archives left by reversed runs. Returns what it did. */
    static List<String> recoverAll(Session session) throws SQLException {
        return recoverAll(session, Set.of(), Set.of());
    }

    /**
     * As {@link #recoverAll(Session)}, leaving the {@code in_progress} runs of {@code resuming} to the migrate that resumes
     * them; those of {@code superseded} were given to that migrate as changed rules files ({@link InterruptedRun#superseded}).
     */
    static List<String> recoverAll(Session session, Set<String> resuming, Set<String> superseded) throws SQLException {
        List<String> done = new ArrayList<>();
        for (HistoryEntry entry : session.journal.history()) {
            // The in_progress runs of resuming are left to the migrate that resumes them.
            if (entry.status() == HistoryStatus.IN_PROGRESS && !resuming.contains(entry.id())) {
                Strategy strategy = session.strategies.get(entry.strategy());
                if (strategy == null) {
                    throw SafeMigrateException.invalid("migration " + entry.id() + " was interrupted while strategy " + entry.strategy()
                            + " ran it, and that strategy is not on the class path (known: " + String.join(", ", new TreeSet<>(
                            session.strategies.keySet())) + "); add the jar that provides it, then run recover again");
                }
                done.add(strategy.recover(new InterruptedRun(session, entry, superseded.contains(entry.id()))));
            } else if (entry.status() == HistoryStatus.APPLIED && RunPhase.UNDOING.value().equals(entry.phase())) {
                int created = JournaledObjects.createMissing(session, entry.id());
                session.journal.save(entry.withState(HistoryStatus.APPLIED, null, entry.finishedAt(), entry.stepCounts(),
                        "an undo was interrupted before it restored any data; it stays applied"));
                done.add("migration " + entry.id() + ": an undo was interrupted before restoring data; recover re-created "
                        + created + " dropped object(s), so the migration stays applied");
            } else if (entry.status() == HistoryStatus.APPLIED && RunPhase.DISCARDING.value().equals(entry.phase())) {
                List<String> dropped = dropDiscarded(session, entry.id());
                session.journal.save(entry.withState(HistoryStatus.APPLIED, null, entry.finishedAt(), entry.stepCounts(), entry.message()));
                done.add("migration " + entry.id() + ": dropped the archive table(s) " + String.join(", ", dropped)
                        + " that the rules asked not to keep (archive: false)");
            } else if (entry.status() == HistoryStatus.ROLLED_BACK || entry.status() == HistoryStatus.UNDONE) {
                String cleanup = discardArchives(session, entry.id());
                if (!cleanup.isEmpty()) {
                    done.add("migration " + entry.id() + ": removed leftover archive tables" + cleanup);
                }
            }
        }
        return done;
    }

    /**
     * The honest answer when a committed run can be neither completed nor reversed: what is committed,
     * where the archived rows are, what blocked each way, and the ways out. Nothing in it is claimed restored.
     */
    static SafeMigrateException stuck(Session session, String migrationId, String completing, String reversing) {
        return stuck(session, migrationId, completing, reversing, null);
    }

    /** As {@link #stuck(Session, String, String, String)}, for a reversal in slices that failed after {@code partly} (what its slices put back). */
    static SafeMigrateException stuck(Session session, String migrationId, String completing, String reversing, String partly) {
        List<String> archives;
        try {
            archives = entries(session, migrationId, JournalKind.ARCHIVE).stream().map(JournalEntry::objectName).toList();
        } catch (RuntimeException e) {
            archives = List.of("(the journal could not be read: " + MigrationRun.describe(e) + ")");
        }
        // A run of DDL steps only has no archive: what it committed is its DDL.
        String committed = archives.isEmpty() ? "its committed changes (DDL only; no rows were archived) were NOT reversed"
                : "its data changes are committed and were " + (partly == null ? "NOT reversed" : "only partly reversed (" + partly + ")")
                + "; the archive table(s) " + String.join(", ", archives) + " hold every row it deleted and every value it changed";
        return new SafeMigrateException(ExitCode.INTERMEDIATE, "migration " + migrationId
                + " is still in progress: " + committed + ". recover could not complete it ("
                + completing + ") and could not reverse it (" + reversing + "). Remove the cause and run `safemigrate recover` again;"
                + " or run `safemigrate recover --abandon " + migrationId + "` to leave the data as it is now, mark the migration failed"
                + " and keep its archive tables for you to inspect");
    }

    /**
     * Gives up an interrupted run for good, at the user's request: the history says {@code failed} with what
     * stays committed, the archive tables are kept (and forgotten by the journal, so nothing drops them),
     * and the rest of its journal is removed. The data is left exactly as it is.
     */
    static String abandon(Session session, String migrationId) {
        HistoryEntry entry = session.journal.find(migrationId);
        if (entry == null || entry.status() != HistoryStatus.IN_PROGRESS) {
            throw SafeMigrateException.invalid("--abandon " + migrationId + ": there is no interrupted run of "
                    + migrationId + " (its history says " + (entry == null ? "nothing" : entry.status()) + ")");
        }
        List<String> archives = entries(session, migrationId, JournalKind.ARCHIVE).stream().map(JournalEntry::objectName).toList();
        String state = "abandoned by the user: its data changes stay committed, nothing was reversed; the archive table(s) "
                + String.join(", ", archives) + " are kept";
        session.journal.save(entry.withState(HistoryStatus.FAILED, null, Instant.now(), entry.stepCounts(), state));
        session.journal.of(migrationId).delete(null);
        return "migration " + migrationId + ": " + state;
    }

    /** What allowed triggers did that no reversal puts back, from the journal, for every message that says what was restored. */
    private static String triggerCaveat(Session session, String migrationId) {
        List<String> triggers = entries(session, migrationId, JournalKind.TRIGGER).stream()
                .map(t -> t.objectName() + " on " + t.tableName() + " (the rules say: " + t.statement() + ")").toList();
        return triggers.isEmpty() ? "" : ". Not put back: whatever the allowed trigger(s) " + String.join("; ", triggers)
                + " did while rows were changed and put back";
    }

    /**
     * Drops what the run created (only what exists), then in one transaction puts back every archived row
     * and value, empties the archive and gives the history row {@code status}; then drops the archive
     * tables. Where DDL is transactional the drops join that transaction; elsewhere, if the data
     * transaction fails, the dropped objects are created again, so the run is back where it was. Safe to
     * repeat: after a committed reversal the archive is empty.
     */
    static Reversal reverse(Session session, String migrationId, HistoryStatus status, String reason) throws SQLException {
        return reverse(session, migrationId, status, reason, null);
    }

    /**
     * As {@link #reverse(Session, String, HistoryStatus, String)}, but where {@code sliced} is given the strategy puts the
     * data back itself, in transactions of its own, after the drops (always first: its slices put duplicates back) and
     * before the one transaction, which then only empties the archive and records {@code status}. The dropped objects are
     * created again only if no slice committed.
     */
    static Reversal reverse(Session session, String migrationId, HistoryStatus status, String reason, SlicedRestore sliced) throws SQLException {
        List<JournalEntry> ddl = entries(session, migrationId, JournalKind.DDL);
        // Read before the reversal: after its commit a failed read would report a reversal that happened as failed.
        boolean archived = !entries(session, migrationId, JournalKind.ARCHIVE).isEmpty();
        String triggerCaveat = triggerCaveat(session, migrationId);
        boolean dropFirst = !session.dialect.supportsTransactionalDdl() || sliced != null;
        RunJournal journal = session.journal.of(migrationId);
        long[] restored = {0};
        SlicedRestore.Restored[] slices = {null};
        try {
            if (dropFirst) {
                // Inside the try: when a later drop fails, the ones already dropped are created again like any failure's.
                JournaledObjects.dropCreated(session, ddl, sliced == null ? session.db::execute : sliced::drop);
            }
            if (sliced != null) {
                slices[0] = sliced.restore(progress(session, migrationId));
                restored[0] = slices[0].restored();
            }
            Transactions.inTransaction(session.connection, () -> {
                if (!dropFirst) {
                    JournaledObjects.dropCreated(session, ddl);
                }
                for (JournalEntry restore : sliced == null ? journal.entries() : List.<JournalEntry>of()) {
                    if (restore.kind() == JournalKind.RESTORE) {
                        restored[0] += session.db.update(restore.statement());
                    } else if (restore.kind() == JournalKind.RESTORE_REPEATED) {
                        for (long generation = session.db.update(restore.statement()); generation > 0;
                             generation = session.db.update(restore.statement())) {
                            restored[0] += generation;
                        }
                    }
                }
                for (JournalEntry archive : entries(session, migrationId, JournalKind.ARCHIVE)) {
                    if (session.catalog.tableExists(archive.objectName())) {
                        session.db.update(session.dialect.sql().syntax().deleteAll(archiveTable(archive.objectName())));
                    }
                }
                HistoryEntry entry = session.journal.find(migrationId);
                session.journal.save(entry.withState(status, null, Instant.now(), entry.stepCounts(), reason));
                for (JournalKind kind : List.of(JournalKind.RESTORE, JournalKind.RESTORE_REPEATED, JournalKind.SLICED_RESTORE, JournalKind.BLOCKER,
                        JournalKind.CHANGED_SINCE, JournalKind.DDL, JournalKind.TABLE)) {
                    journal.delete(kind);
                }
                return null;
            });
        } catch (SQLException | RuntimeException e) {
            // Once a slice committed, the data no longer fits what was dropped (a unique constraint), nor needs it back.
            if (dropFirst && slices[0] == null && !(e instanceof SlicedRestore.Partly)) {
                JournaledObjects.recreateMissing(session, ddl, e);
            }
            throw e;
        }
        return new Reversal(restored[0], archived, triggerCaveat, discardArchives(session, migrationId), Optional.ofNullable(slices[0]));
    }

    /** The run's history row, as a sliced restore sees it between its slices. */
    private static SlicedRestore.Progress progress(Session session, String migrationId) {
        return new SlicedRestore.Progress() {
            @Override
            public RunPhase phase() {
                String phase = session.journal.find(migrationId).phase();
                return phase == null ? null : new RunPhase(phase);
            }

            @Override
            public void record(RunPhase phase) {
                HistoryEntry entry = session.journal.find(migrationId);
                session.journal.save(entry.withState(entry.status(), phase.value(), entry.finishedAt(), entry.stepCounts(), entry.message()));
            }

            @Override
            public <T> T inTransaction(dev.safemigrate.core.spi.Run.Work<T> work) throws SQLException {
                return Transactions.inTransaction(session.connection, work::run);
            }
        };
    }

    /**
     * How many rows and values a reversal put back, whether the run had archived anything (a run of DDL steps only
     * has no archive), what allowed triggers did that it did not put back (see {@link #triggerCaveat}), what became
     * of the archive tables (see {@link #discardArchives}), and, for a reversal in slices, how many and what it left.
     */
    record Reversal(long restored, boolean archived, String triggerCaveat, String archiveNote, Optional<SlicedRestore.Restored> sliced) {
        /** How the run was reversed, for messages: "reversed " + this. */
        String how() {
            return archived ? "from the archive (" + restored + " row(s) and value(s) restored"
                    + sliced.filter(s -> s.transactions() > 0).map(s -> ", in " + s.transactions() + " short transaction(s), the longest "
                    + s.longest().toMillis() + " ms").orElse("")
                    + ")"
                    : "by undoing the DDL it had run (it had archived no rows)";
        }

        /** What the reversal left the database like, for messages after {@link #how}: as before the run, or what was not put back. */
        String asBefore() {
            return sliced.filter(s -> s.left() > 0).map(s -> ", so the database is as it was before the run except that " + s.leftAsItIs())
                    .orElse(", so the database is as it was before the run");
        }

        /** What was left as it is, for messages that do not claim the state before the run; empty where nothing was. */
        String leftNote() {
            return sliced.filter(s -> s.left() > 0).map(s -> "; " + s.leftAsItIs()).orElse("");
        }

        /** The archive note when it is news: tables kept, or not removed yet. */
        Optional<String> archiveWarning() {
            return archiveNote.startsWith("; ") ? Optional.of(archiveNote.substring(2)) : Optional.empty();
        }
    }

    /**
     * Drops the empty archive tables journaled for a run that changed nothing (or was reversed) and forgets
     * them; returns a note for messages. An archive that holds rows is never dropped here: it is kept, and
     * the note says so.
     */
    static String discardArchives(Session session, String migrationId) {
        try {
            List<JournalEntry> archives = entries(session, migrationId, JournalKind.ARCHIVE);
            List<String> kept = new ArrayList<>();
            for (JournalEntry archive : archives) {
                String name = archive.objectName();
                if (session.catalog.tableExists(name) && session.db.queryLong(session.dialect.sql().syntax().countRows(archiveTable(name))) > 0) {
                    kept.add(name);
                } else {
                    dropArchive(session, name);
                }
            }
            session.journal.of(migrationId).delete(JournalKind.ARCHIVE);
            session.journal.of(migrationId).delete(JournalKind.DISCARD);
            String removed = archives.size() == kept.size() ? "" : " and its " + (archives.size() - kept.size()) + " empty archive table(s) were removed";
            return removed + (kept.isEmpty() ? "" : "; archive table(s) " + String.join(", ", kept) + " still hold rows and were kept");
        } catch (SQLException | RuntimeException e) {
            return "; its empty archive tables could not be removed yet (" + MigrationRun.describe(e) + "), the next migrate or recover removes them";
        }
    }

    /** Drops the archive tables of an applied run that the rules asked not to keep; returns their names. */
    static List<String> dropDiscarded(Session session, String migrationId) throws SQLException {
        List<String> names = entries(session, migrationId, JournalKind.DISCARD).stream().map(JournalEntry::objectName).toList();
        for (String name : names) {
            dropArchive(session, name);
        }
        return names;
    }

    static void dropArchive(Session session, String name) throws SQLException {
        if (session.tableExists(name)) {
            session.db.execute(session.dialect.sql().syntax().dropTable(archiveTable(name)));
        }
    }

    private static ResolvedTable archiveTable(String name) {
        return new ResolvedTable(null, name, List.of(), List.of());
    }

    /** The rows the archive tables of a run hold now (the rows it removed and the before-images it kept), for messages. */
    static long archivedRows(Session session, String migrationId) throws SQLException {
        long rows = 0;
        for (JournalEntry archive : entries(session, migrationId, JournalKind.ARCHIVE)) {
            if (session.catalog.tableExists(archive.objectName())) {
                rows += session.db.queryLong(session.dialect.sql().syntax().countRows(archiveTable(archive.objectName())));
            }
        }
        return rows;
    }

    private static List<JournalEntry> entries(Session session, String migrationId, JournalKind kind) {
        return session.journal.of(migrationId).entries(kind);
    }

    /** Sets the phase of a history row, best effort (a later recover sees a stale phase and repairs it anyway). */
    static void recordPhase(Session session, String migrationId, RunPhase phase) {
        try {
            HistoryEntry entry = session.journal.find(migrationId);
            session.journal.save(entry.withState(entry.status(), phase == null ? null : phase.value(), entry.finishedAt(), entry.stepCounts(),
                    entry.message()));
        } catch (RuntimeException ignored) {
            // The connection is gone; recover re-creates what an interrupted undo dropped.
        }
    }

    static void releaseQuietly(TableLocks.Release locks) {
        if (locks != null) {
            try {
                locks.release();
            } catch (SQLException ignored) {
                // Locks die with the session anyway.
            }
        }
    }

    /** Completes an interrupted run whose data changes were committed: runs its journaled DDL that is missing, and marks it applied. */
    static String complete(Session session, HistoryEntry entry) throws SQLException {
        int created = JournaledObjects.createMissing(session, entry.id());
        session.journal.save(entry.withState(HistoryStatus.APPLIED, null, Instant.now(), entry.stepCounts(),
                "completed by recover after an interrupted run"));
        return "migration " + entry.id() + ": the interrupted run had committed its data changes; " + (created == 0
                ? "its DDL had all run before it was cut short, so recover only recorded that: it is now applied"
                : "recover ran its remaining DDL (" + created + " statement(s)), so it is now applied");
    }
}
