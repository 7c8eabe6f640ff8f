package dev.safemigrate.core.internal;

import dev.safemigrate.core.HistoryEntry;
import dev.safemigrate.core.SafeMigrateException;
import dev.safemigrate.core.UndoReport;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts back what an applied migration deleted or changed, from its archive and journal, and drops what
 * it created. Refused, before any change, when rows inserted since would collide with restored ones.
 */
final class Undo {
    private Undo() {
    }

    static UndoReport undo(Session session, String migrationId) throws SQLException {
        HistoryEntry entry = session.journal.find(migrationId);
        if (entry == null) {
            throw SafeMigrateException.invalid("there is no migration " + migrationId + " in the history");
        }
        if (!HistoryStatus.APPLIED.equals(entry.status())) {
            throw SafeMigrateException.refused("migration " + migrationId + " is " + entry.status() + ", not applied; there is nothing to undo");
        }
        List<JournalEntry> journal = session.journal.entries(migrationId);
        boolean hasData = journal.stream().anyMatch(e -> e.kind().equals(JournalEntry.RESTORE));
        boolean hasArchive = journal.stream().anyMatch(e -> e.kind().equals(JournalEntry.ARCHIVE));
        if (hasData && !hasArchive) {
            throw SafeMigrateException.refused("migration " + migrationId + " was run with archive: false, so the rows it deleted were not kept; it cannot be undone");
        }
        requireShadowArchive(session, migrationId, journal);
        requireNoBlockers(session, migrationId, journal);
        int objects = (int) journal.stream().filter(e -> e.kind().equals(JournalEntry.DDL)).count();
        if (!session.dialect.supportsTransactionalDdl()) {
            session.journal.save(entry.withState(HistoryStatus.APPLIED, HistoryStatus.UNDOING, entry.finishedAt(), entry.stepCounts(), null));
        }
        try {
            long restored = Recovery.reverse(session, migrationId, HistoryStatus.UNDONE, "undone");
            return new UndoReport(migrationId, restored, objects);
        } catch (SQLException | RuntimeException e) {
            Recovery.recordPhase(session, migrationId, null);
            throw new SafeMigrateException(dev.safemigrate.core.ExitCode.FAILED_RESTORED, "undo of " + migrationId + " failed: "
                    + MigrationRun.describe(e) + ". Nothing was changed: the data transaction was rolled back and any constraint"
                    + " it had dropped was created again, so the migration stays applied", e);
        }
    }

    /** A shadow-swapped migration is undone from the original table it swapped out; without it there is nothing to restore from. */
    private static void requireShadowArchive(Session session, String migrationId, List<JournalEntry> journal) throws SQLException {
        for (JournalEntry archive : journal) {
            if (ShadowSwapStrategy.SHADOW_OLD.equals(archive.statement()) && !session.catalog.tableExists(archive.objectName())) {
                throw SafeMigrateException.refused("undo of " + migrationId + " refused, nothing was changed: it swapped " + archive.tableName()
                        + " for a cleaned copy, and the original table " + archive.objectName() + " that held the deleted rows no longer"
                        + " exists (archive: false, or it was dropped)");
            }
        }
    }

    private static void requireNoBlockers(Session session, String migrationId, List<JournalEntry> journal) throws SQLException {
        List<String> blocking = new ArrayList<>();
        for (JournalEntry blocker : journal) {
            if (blocker.kind().equals(JournalEntry.BLOCKER)) {
                for (List<String> key : session.db.sample(blocker.statement(), 5)) {
                    blocking.add("(" + String.join(", ", key) + ")");
                }
            }
        }
        if (!blocking.isEmpty()) {
            throw SafeMigrateException.refused("undo of " + migrationId + " refused, nothing was changed: rows inserted since the migration"
                    + " have the same primary key as rows it would restore, for example " + String.join(", ", blocking)
                    + "; delete or renumber them first");
        }
    }
}
